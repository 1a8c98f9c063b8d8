"""Enqueueing after commit: a broker that is down never turns a committed write into an error page."""

import logging

import pytest
from django.urls import reverse

from reviews.models import Rating, StatementSummary
from tests.brokers import celery_producer_using
from tests.factories import AssignmentFactory, StatementFactory

pytestmark = pytest.mark.django_db


def rating_form(verdict="false"):
    return {
        "verdict": verdict,
        "confidence": 4,
        "rationale": "The minutes say $12 million.",
        "evidence-TOTAL_FORMS": 0,
        "evidence-INITIAL_FORMS": 0,
    }


def test_a_rating_made_while_the_broker_is_down_is_saved_and_answers_with_a_redirect(
    own_redis, reviewer, reviewer_client, django_capture_on_commit_callbacks
):
    assignment = AssignmentFactory(statement=StatementFactory(), reviewer=reviewer)
    own_redis.stop()
    with celery_producer_using(own_redis.url), django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = reviewer_client.post(reverse("reviews:assignment_detail", args=[assignment.pk]), rating_form())
    assert response.status_code == 302
    assert len(callbacks) == 1  # the summary task was due to be sent after the commit
    assert Rating.objects.filter(statement=assignment.statement, reviewer=reviewer, verdict="false").exists()
    # The summary was not computed: no worker got the message. (The reliability sweep catches this up.)
    assert not StatementSummary.objects.filter(statement=assignment.statement, rating_count=1).exists()


def test_a_settlement_made_while_the_broker_is_down_is_saved_and_answers_with_a_redirect(
    own_redis, editor, editor_client, django_capture_on_commit_callbacks
):
    statement = StatementFactory()
    own_redis.stop()
    with celery_producer_using(own_redis.url), django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("reviews:statement_settle", args=[statement.pk]), {"verdict": "false", "note": "Minutes."}
        )
    assert response.status_code == 302
    assert StatementSummary.objects.get(statement=statement).editor_verdict == "false"


def test_a_task_sent_while_the_broker_is_up_reaches_it_and_one_sent_while_it_is_down_is_logged(own_redis):
    import redis

    from factcheck.core.enqueue import enqueue_now

    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("factcheck.core.enqueue")
    logger.addHandler(handler)
    try:
        with celery_producer_using(own_redis.url):
            assert enqueue_now("reviews.tasks.statement_summary_task", 41) is True
            from factcheck.celery_app import queue_for

            # Routed by kind: a summary task goes to the summaries queue.
            assert redis.Redis(port=own_redis.port).llen(queue_for("summaries")) == 1
            own_redis.stop()
            assert enqueue_now("reviews.tasks.statement_summary_task", 42) is False
    finally:
        logger.removeHandler(handler)
    assert [r.getMessage() for r in records] == [
        "could not enqueue reviews.tasks.statement_summary_task(42,); the beat sweep will pick it up"
    ]


def test_enqueueing_an_unknown_task_name_is_a_clear_error():
    from factcheck.core.enqueue import enqueue_now

    with pytest.raises(LookupError, match="No Celery task named 'nope.task'"):
        enqueue_now("nope.task")
