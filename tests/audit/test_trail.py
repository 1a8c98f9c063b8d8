"""The audit trail: written by the services, read by the history pages, never editable."""

import pytest
from django.urls import reverse

from articles.services import curation
from factcheck.audit.models import AuditEvent
from reviews.publishing import services as publishing
from reviews.services import assignments, settlement
from tests.factories import AssignmentFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_article_history_page_shows_curation_review_and_report_events_newest_first(editor, editor_client, reviewer):
    statement = StatementFactory(text="The council spent $48 million on the bridge.")
    article = statement.article
    curation.statement_mark(statement=statement, user=editor, checkability="not_checkable")
    assignments.assignments_create(statements=[statement], reviewers=[reviewer], assigned_by=editor)
    settlement.statement_settle(statement=statement, editor=editor, verdict="false", note="Minutes say $12m.")
    publishing.report_draft_save(article=article, editor=editor, headline="Bridge claims")

    page = editor_client.get(reverse("reviews:article_history", args=[article.pk])).content.decode()
    lines = [line for line in page.splitlines() if '<li class="mb-1' in line]
    labels = ["Saved draft", "Settled", "Assigned", "Changed checkability"]
    assert [next(label for label in labels if label in line) for line in lines] == labels
    assert "Checkable → Not checkable" in page and "rev_a" in page and "(Minutes say $12m.)" in page


def test_nobody_can_add_change_or_delete_an_event_in_the_django_admin(client):
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client.force_login(boss)
    event = AuditEvent.objects.create(action="statement.marked", target_type="articles.statement", target_id=1)
    change_url = reverse("admin:audit_auditevent_change", args=[event.pk])
    page = client.get(change_url)
    assert page.status_code == 200 and b'name="_save"' not in page.content  # read-only view
    assert client.post(change_url, {"action": "forged"}).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "statement.marked"


def test_assigning_writes_one_event_per_new_pair_under_the_statement_and_its_article(editor, reviewer):
    statement = StatementFactory()
    AssignmentFactory(statement=statement, reviewer=reviewer)  # already there: no second event
    other = UserFactory(username="rev_z")
    from django.contrib.auth.models import Group

    other.groups.add(Group.objects.get(name="Reviewer"))
    assignments.assignments_create(statements=[statement], reviewers=[reviewer, other], assigned_by=editor)
    events = AuditEvent.objects.filter(action="statement.assigned")
    assert [(e.target_id, e.parent_id, e.after) for e in events] == [
        (statement.pk, statement.article_id, {"reviewer": "rev_z"})
    ]
