"""A change that makes summaries stale marks them in its own transaction; a lost message is caught up."""

from datetime import timedelta

import pytest

from reviews.models import StaleSummary, StatementSummary, TeamSummary
from reviews.services import ratings, settlement, summaries
from tests.brokers import celery_producer_using
from tests.factories import AssignmentFactory, StatementFactory

pytestmark = pytest.mark.django_db


def rate(user, statement, verdict="false"):
    assignment = AssignmentFactory(statement=statement, reviewer=user)
    ratings.rating_submit(assignment=assignment, reviewer=user, verdict=verdict, confidence=4, rationale="Minutes.")


def test_a_rating_marks_its_statement_and_the_task_clears_the_mark(reviewer, django_capture_on_commit_callbacks):
    statement = StatementFactory()
    with django_capture_on_commit_callbacks(execute=False):
        rate(reviewer, statement)
        assert StaleSummary.objects.filter(pk=statement.pk).exists()  # in the rating's own transaction
    summaries.statement_summary_recompute(statement_id=statement.pk)
    assert not StaleSummary.objects.exists()
    assert StatementSummary.objects.get(statement=statement).rating_count == 1


def test_a_mark_made_while_a_recompute_runs_survives_it(reviewer):
    statement = StatementFactory()
    summaries.summaries_mark_stale([statement.pk])
    seen = StaleSummary.objects.get(pk=statement.pk).version
    summaries.summaries_mark_stale([statement.pk])  # another rating lands meanwhile
    StaleSummary.objects.filter(pk=statement.pk, version=seen).delete()  # what the first recompute does
    assert StaleSummary.objects.filter(pk=statement.pk).exists()


def test_with_the_broker_down_ratings_and_settlements_wait_and_the_drain_brings_them_right(
    own_redis, reviewer, other_reviewer, editor, django_capture_on_commit_callbacks
):
    agreed, decided = StatementFactory(), StatementFactory()
    own_redis.stop()
    with celery_producer_using(own_redis.url), django_capture_on_commit_callbacks(execute=True):
        rate(reviewer, agreed)
        rate(other_reviewer, agreed)
        settlement.statement_settle(statement=decided, editor=editor, verdict="mostly_true", note="Checked.")
    assert StaleSummary.objects.count() == 2
    assert not StatementSummary.objects.filter(statement=agreed).exists()

    assert summaries.stale_summaries_drain(older_than=summaries.DRAIN_GRACE) == 0  # too fresh: the task may come
    assert summaries.stale_summaries_drain(older_than=timedelta(0)) == 2
    summary = StatementSummary.objects.get(statement=agreed)
    assert (summary.rating_count, summary.consensus, summary.settled) == (2, "false", True)
    assert StatementSummary.objects.get(statement=decided).final_verdict == "mostly_true"
    assert not StaleSummary.objects.exists()
    assert TeamSummary.objects.get(scope="desk").rating_count == 2  # the team figures came along
