"""Double submissions and concurrent editors, with real concurrent transactions (PostgreSQL row locks)."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Statement
from factcheck.audit.models import AuditEvent
from reviews.models import Assignment, Rating, ReviewerCapacity, ReviewerLoad, StatementSummary
from reviews.services.auto_assign import AutoAssignChoices, auto_assign_confirm
from reviews.services.summaries import statement_summary_recompute
from reviews.services.team_summaries import lock_team
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


def _another_backend_waits_for_a_lock(timeout: float = 20.0) -> bool:
    """Whether, within the timeout, some other connection to this database waits for a row lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # the view is read once per transaction otherwise
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


def test_a_summary_task_waiting_for_the_team_lock_holds_no_lock_a_recompute_or_a_settlement_needs(
    reviewer, other_reviewer
):
    """Locks in one order: team row, statement, summary. A full recompute holds the team lock and then updates
    summaries and statements; an editor's settlement locks a statement and then its summary. A summary task that
    took its summary's lock before waiting for the team's would deadlock with either."""
    statement = StatementFactory()
    for person, verdict in ((reviewer, "false"), (other_reviewer, "true")):
        AssignmentFactory(statement=statement, reviewer=person)
        Rating.objects.create(statement=statement, reviewer=person, verdict=verdict, confidence=3, rationale="r")
    statement_summary_recompute(statement_id=statement.pk)  # the summary exists and the team sums are built

    def hold_the_team_lock_like_a_recompute():
        with transaction.atomic():
            lock_team()
            assert _another_backend_waits_for_a_lock(), "the summary task never waited for the team lock"
            # NOWAIT: raises at once if the waiting task holds either row.
            StatementSummary.objects.select_for_update(nowait=True).get(statement=statement)
            Statement.objects.select_for_update(nowait=True).get(pk=statement.pk)
            return "locked both"

    def run_the_task():
        time.sleep(0.2)  # let the recompute take the team lock first
        return statement_summary_recompute(statement_id=statement.pk)

    held, task = at_once(hold_the_team_lock_like_a_recompute, run_the_task)
    assert held == "locked both"
    assert isinstance(task, StatementSummary) and task.consensus == "disputed"
