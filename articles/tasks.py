"""Celery tasks for articles: thin wrappers that take ids and call one service. Each is safe to run twice."""

from celery import shared_task

from factcheck.celery_app import task_options
from factcheck.core.enqueue import enqueue_now

from .selectors.feeds import feeds_due
from .services import claim_memory, feeds, imports, scoring


@shared_task(**task_options("long"))
def import_job_run_task(self, job_id: int) -> None:
    # A job claims itself, resumes where it stopped and skips stored batches: a repeat stores nothing twice.
    imports.import_job_run(job_id=job_id)


@shared_task(**task_options("fetch"))
def feed_poll_task(self, feed_id: int) -> None:
    # Entries already seen are skipped by the (feed, guid) constraint, so a repeated poll is harmless.
    feeds.feed_poll(feed_id=feed_id)


@shared_task(**task_options("sweep"))
def feeds_poll_due_task(self) -> int:
    """Run by Celery beat every minute: queue a poll for each feed whose interval has passed."""
    due = feeds_due()
    for feed_id in due:
        enqueue_now(feed_poll_task, feed_id)
    return len(due)


@shared_task(**task_options("long"))
def statements_rescore_task(self) -> None:
    # Re-scoring is idempotent: the same model gives the same scores.
    scoring.statements_rescore()


@shared_task(**task_options("sweep"))
def import_jobs_requeue_stale_task(self) -> int:
    """Run by Celery beat: pick up jobs whose message was lost or whose worker died."""
    return len(imports.import_jobs_requeue_stale())


@shared_task(**task_options("match"))
def statements_match_pending_task(self, statement_ids: list[int] | None = None) -> int:
    """Look statements up in the claim memory: these ids (after an import or curation), or, from beat, whatever
    is still waiting. A statement is stamped matched, so a repeat suggests nothing twice."""
    if statement_ids is None:
        return claim_memory.statements_match_pending()
    return claim_memory.statements_match(statement_ids)


@shared_task(**task_options("match"))
def claim_memory_sync_task(self) -> tuple[int, int]:
    # Set-based and convergent: a second run finds nothing to add or drop.
    return claim_memory.claim_memory_sync()


@shared_task(**task_options("match"))
def matcher_train_task(self, requested_by_id: int | None = None) -> int | None:
    """Train the claim matcher from the desk's decisions; too few decisions is logged, not retried."""
    return claim_memory.matcher_train_from_desk(trained_by_id=requested_by_id)
