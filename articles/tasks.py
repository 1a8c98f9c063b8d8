import datetime

from celery import shared_task

from factcheck.celery_app import retrying

from . import scoring, services


@shared_task(**retrying(soft_time_limit=60 * 30, time_limit=60 * 31))
def import_job_run_task(self, job_id: int) -> None:
    services.import_job_run(job_id=job_id)


@shared_task(bind=True, acks_late=True, soft_time_limit=120, time_limit=150)
def feed_poll_task(self, feed_id: int) -> None:
    # Entries already seen are skipped by the (feed, guid) constraint, so a repeated poll is harmless.
    services.feed_poll(feed_id=feed_id)


@shared_task(bind=True, soft_time_limit=30, time_limit=60)
def feeds_poll_due_task(self) -> int:
    """Run by Celery beat every minute: queue a poll for each feed whose interval has passed."""
    due = services.feeds_due()
    for feed_id in due:
        feed_poll_task.delay(feed_id)
    return len(due)


@shared_task(**retrying(soft_time_limit=60 * 30, time_limit=60 * 31))
def checkworthiness_train_task(self) -> None:
    # A second run trains a second version from the same decisions: harmless, and the newest is active.
    if scoring.scorer_train_from_desk() is not None:
        scoring.statements_rescore()


@shared_task(**retrying(soft_time_limit=60 * 30, time_limit=60 * 31))
def statements_rescore_task(self) -> None:
    # Re-scoring is idempotent: the same model gives the same scores.
    scoring.statements_rescore()


@shared_task(bind=True, soft_time_limit=30, time_limit=60)
def import_jobs_requeue_stale_task(self) -> int:
    """Run by Celery beat: pick up jobs whose message was lost or whose worker died."""
    stale = services.import_jobs_requeue_stale(
        pending_for=datetime.timedelta(minutes=10), running_for=datetime.timedelta(minutes=40)
    )
    return len(stale)
