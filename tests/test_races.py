"""Double submissions and concurrent editors, with real concurrent transactions (PostgreSQL row locks)."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from factcheck.audit.models import AuditEvent
from reviews.models import Assignment, Rating, ReviewerCapacity, ReviewerLoad
from reviews.services.auto_assign import AutoAssignChoices, auto_assign_confirm
from tests.factories import ArticleFactory, AssignmentFactory, StatementFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def at_once(*calls):
    """Run the calls in threads released together; return their results (or the exception they raised)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # the test looks at it
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def client_for(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize("trial", range(5))
def test_the_same_rating_posted_twice_at_once_saves_one_rating_and_never_errors(reviewer, trial):
    assignment = AssignmentFactory(statement=StatementFactory(), reviewer=reviewer)
    form = {
        "verdict": "false",
        "confidence": 4,
        "rationale": "The minutes say $12 million.",
        "evidence-TOTAL_FORMS": 0,
        "evidence-INITIAL_FORMS": 0,
    }
    url = reverse("reviews:assignment_detail", args=[assignment.pk])
    first, second = client_for(reviewer), client_for(reviewer)
    responses = at_once(lambda: first.post(url, form), lambda: second.post(url, form))
    assert [r.status_code for r in responses] == [302, 302]
    assert Rating.objects.filter(statement=assignment.statement, reviewer=reviewer).count() == 1
    events = AuditEvent.objects.filter(target_id=assignment.statement_id).values_list("action", flat=True)
    assert sorted(events) == ["statement.rated", "statement.rating_edited"]  # the second one is an edit


@pytest.mark.parametrize("trial", range(5))
def test_two_editors_auto_assigning_one_article_at_once_write_each_assignment_and_event_once(
    editor, admin_user, reviewer, other_reviewer, third_reviewer, trial
):
    article = ArticleFactory()
    for position in range(12):
        StatementFactory(article=article, position=position)
    url = reverse("reviews:auto_assign")
    due = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    form = {"article": article.pk, "top": 50, "min_score": 0, "per_statement": 2, "only_checkable": "on", "due_at": due}
    one, two = client_for(editor), client_for(admin_user)
    responses = at_once(lambda: one.post(url, form), lambda: two.post(url, form))
    # One confirm makes the batch; the other finds every statement covered and says so, writing nothing.
    assert sorted(r.status_code for r in responses) == [200, 302]
    assignments = Assignment.objects.filter(statement__article=article)
    assert assignments.count() == 24
    assert AuditEvent.objects.filter(action="statement.assigned", parent_id=article.pk).count() == 24


@pytest.mark.parametrize("trial", range(3))
def test_two_editors_confirming_auto_assigns_at_once_never_exceed_a_reviewers_capacity(
    editor, admin_user, reviewer, other_reviewer, trial
):
    """Each batch alone fits (8 statements, room for 10), both together would not: the capacity rows' locks make
    the second confirm read the loads the first wrote, so nobody ends above 5 open."""
    for person in (reviewer, other_reviewer):
        ReviewerCapacity.objects.create(reviewer=person, max_open=5)
    articles = [ArticleFactory(), ArticleFactory()]
    for article in articles:
        for position in range(8):
            StatementFactory(article=article, position=position)

    def confirm(article, user):
        choices = AutoAssignChoices(article_id=article.pk, per_statement=1)
        return auto_assign_confirm(choices=choices, confirmed_by=user).assignment_count

    made = at_once(lambda: confirm(articles[0], editor), lambda: confirm(articles[1], admin_user))
    assert sum(made) == 10, made
    for person in (reviewer, other_reviewer):
        real = Assignment.objects.filter(reviewer=person, status="assigned").count()
        assert real == 5
        assert ReviewerLoad.objects.get(reviewer=person).open_count == real
