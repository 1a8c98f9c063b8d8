"""Who is told what: each desk event becomes one notice per recipient, once, and nothing for a rolled-back
change. The services only announce (factcheck.core.events); notifications decide the rest."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import ImportJob
from factcheck.accounts.roles import Role
from factcheck.core import events
from factcheck.notifications import selectors
from factcheck.notifications.models import Notice
from reviews.models import Assignment, Report
from reviews.services import assignments as assignment_services
from reviews.services.settlement import statement_settle
from reviews.services.summaries import statement_summary_recompute
from tests.conftest import _user_with_role
from tests.factories import ArticleFactory, AssignmentFactory, RatingFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.django_db


def notices(user, kind=None):
    found = Notice.objects.filter(recipient=user).order_by("pk")
    return list(found.filter(kind=kind) if kind else found)


def test_twenty_statements_assigned_in_one_action_are_one_notice(editor, reviewer, other_reviewer):
    article = ArticleFactory()
    statements = [StatementFactory(article=article) for _ in range(20)]
    assert (
        assignment_services.assignments_create(
            statements=statements, reviewers=[reviewer, other_reviewer], assigned_by=editor
        )
        == 40
    )
    for person in (reviewer, other_reviewer):
        [notice] = notices(person)
        assert notice.kind == Notice.Kind.ASSIGNED
        assert notice.title == "editor assigned you 20 statements"
        assert (notice.target_kind, notice.target_id) == (Notice.Target.QUEUE, None)
        assert selectors.unread_count(user=person) == 1
    assert notices(editor) == []


def test_one_statement_assigned_leads_to_its_assignment_and_a_second_action_is_a_second_notice(editor, reviewer):
    first, second = StatementFactory(text="The bridge cost $48 million."), StatementFactory()
    assignment_services.assignments_create(statements=[first], reviewers=[reviewer], assigned_by=editor)
    assignment_services.assignments_create(statements=[first, second], reviewers=[reviewer], assigned_by=editor)
    one, other = notices(reviewer)
    assignment = Assignment.objects.get(statement=first, reviewer=reviewer)
    assert one.title == "editor assigned you a statement: “The bridge cost $48 million.”"
    assert (one.target_kind, one.target_id) == (Notice.Target.ASSIGNMENT, assignment.pk)
    # The second action added only the new pair: one statement, its own notice.
    assert other.target_id == Assignment.objects.get(statement=second).pk
    assert selectors.unread_count(user=reviewer) == 2


def test_auto_assign_is_one_notice_per_reviewer(editor, reviewer, other_reviewer, third_reviewer):
    statements = [StatementFactory() for _ in range(9)]
    made = assignment_services.assignments_auto_create(statements=statements, assigned_by=editor, per_statement=2)
    assert made == 18
    people = (reviewer, other_reviewer, third_reviewer)
    per_reviewer = {p.pk: Assignment.objects.filter(reviewer=p).count() for p in people}
    for person in people:
        [notice] = notices(person)
        assert notice.title == f"editor assigned you {per_reviewer[person.pk]} statements"


def test_an_event_announced_twice_makes_one_notice_and_counts_once(editor, reviewer):
    statement = StatementFactory()
    assignment_services.assignments_create(statements=[statement], reviewers=[reviewer], assigned_by=editor)
    ids = list(Assignment.objects.values_list("pk", flat=True))
    events.announce(events.STATEMENTS_ASSIGNED, assignment_ids=ids, assigned_by_id=editor.pk)
    assert len(notices(reviewer)) == 1
    assert selectors.unread_count(user=reviewer) == 1


def test_a_rolled_back_assignment_tells_nobody(editor, reviewer):
    statement = StatementFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        assignment_services.assignments_create(statements=[statement], reviewers=[reviewer], assigned_by=editor)
        raise RuntimeError("the request failed after assigning")
    assert notices(reviewer) == []
    assert selectors.unread_count(user=reviewer) == 0


def disagree(statement, *people):
    for person, verdict in zip(people, ["true", "false"], strict=True):
        AssignmentFactory(statement=statement, reviewer=person)
        RatingFactory(statement=statement, reviewer=person, verdict=verdict)


def test_a_disputed_statement_is_told_to_editors_and_admins_once(reviewer, other_reviewer, editor, admin_user):
    statement = StatementFactory(text="Crime fell 40% last year.")
    disagree(statement, reviewer, other_reviewer)
    statement_summary_recompute(statement_id=statement.pk)
    statement_summary_recompute(statement_id=statement.pk)  # still disputed: nothing new
    for person in (editor, admin_user):
        [notice] = notices(person)
        assert notice.kind == Notice.Kind.DISPUTED
        assert notice.title == "Reviewers disagree, settle it: “Crime fell 40% last year.”"
        assert (notice.target_kind, notice.target_id) == (Notice.Target.STATEMENT, statement.pk)
    assert notices(reviewer) == [] and notices(other_reviewer) == []


def test_your_statement_settled_is_told_to_the_reviewers_who_rated_it(reviewer, other_reviewer, editor):
    statement = StatementFactory(text="Crime fell 40% last year.")
    disagree(statement, reviewer, other_reviewer)
    statement_summary_recompute(statement_id=statement.pk)
    statement_settle(statement=statement, editor=editor, verdict="mostly_false")
    statement_settle(statement=statement, editor=editor, verdict="false")  # a revision: told once
    for person in (reviewer, other_reviewer):
        [notice] = notices(person, Notice.Kind.SETTLED)
        assert notice.title == "Settled as Mostly false: “Crime fell 40% last year.”"
        assignment = Assignment.objects.get(statement=statement, reviewer=person)
        assert (notice.target_kind, notice.target_id) == (Notice.Target.ASSIGNMENT, assignment.pk)
    assert notices(editor, Notice.Kind.SETTLED) == []


def test_settled_by_consensus_is_told_to_the_raters(reviewer, other_reviewer):
    statement = StatementFactory()
    for person in (reviewer, other_reviewer):
        AssignmentFactory(statement=statement, reviewer=person)
        RatingFactory(statement=statement, reviewer=person, verdict="false")
    statement_summary_recompute(statement_id=statement.pk)
    assert [n.title.split(":")[0] for n in notices(reviewer)] == ["Settled as False"]
    assert len(notices(other_reviewer)) == 1


def test_a_published_report_is_told_to_editors_and_its_raters_but_not_its_publisher(
    reviewer, other_reviewer, editor, admin_user
):
    article = ArticleFactory()
    RatingFactory(statement=StatementFactory(article=article), reviewer=reviewer)
    RatingFactory(statement=StatementFactory(), reviewer=other_reviewer)  # another article's
    now = timezone.now()
    report = Report.objects.create(
        article=article, status="published", headline="Bridge claims", published_at=now, first_published_at=now,
        published_by=editor,
    )  # fmt: skip
    events.announce(events.REPORT_PUBLISHED, report_id=report.pk)
    events.announce(events.REPORT_PUBLISHED, report_id=report.pk)  # an update: told once
    [to_reviewer] = notices(reviewer)
    assert to_reviewer.title == "Report published: “Bridge claims”"
    assert (to_reviewer.target_kind, to_reviewer.target_id) == (Notice.Target.REPORT, report.pk)
    assert len(notices(admin_user)) == 1
    assert notices(editor) == [] and notices(other_reviewer) == []


@pytest.mark.parametrize(
    ("status", "failed", "told"),
    [
        (ImportJob.Status.DONE_WITH_ERRORS, 3, "Import “Monday's feeds” finished with 3 failed items"),
        (ImportJob.Status.FAILED, 0, "Import “Monday's feeds” stopped: The import stopped: disk full"),
        (ImportJob.Status.DONE, 0, None),
    ],
)
def test_an_import_with_failures_is_told_to_admins_only(editor, admin_user, status, failed, told):
    job = ImportJob.objects.create(
        label="Monday's feeds", status=status, failed=failed, error="The import stopped: disk full"
    )
    events.announce(events.IMPORT_FINISHED, job_id=job.pk)
    assert [n.title for n in notices(admin_user)] == ([told] if told else [])
    assert notices(editor) == []
    if told:
        assert notices(admin_user)[0].target_id == job.pk


def test_fan_out_to_editors_costs_the_same_for_three_or_thirty(reviewer, other_reviewer, editor):
    def dispute_cost():
        statement = StatementFactory()
        for person, verdict in [(reviewer, "true"), (other_reviewer, "false")]:
            RatingFactory(statement=statement, reviewer=person, verdict=verdict)
        with CaptureQueriesContext(connection) as queries:
            events.announce(events.STATEMENT_DISPUTED, statement_id=statement.pk)
        return len(queries)

    few = dispute_cost()
    for i in range(30):
        _user_with_role(f"editor{i}", Role.EDITOR)
    assert dispute_cost() == few
    assert Notice.objects.filter(kind=Notice.Kind.DISPUTED).count() == 1 + 31


def test_inactive_members_are_not_told(reviewer, other_reviewer, editor):
    UserFactory(username="gone")
    editor.is_active = False
    editor.save()
    statement = StatementFactory()
    disagree(statement, reviewer, other_reviewer)
    statement_summary_recompute(statement_id=statement.pk)
    assert notices(editor) == []
