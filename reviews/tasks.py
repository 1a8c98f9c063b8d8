"""Celery tasks for reviews: thin wrappers that take ids and call one service. Each is safe to run twice."""

from celery import shared_task

from articles.services.scoring import statements_rescore
from factcheck.celery_app import task_options

from .services import deadline_notices, scorer_training, summaries, team_summaries


@shared_task(**task_options("summary"))
def statement_summary_task(self, statement_id: int) -> None:
    # Recomputing from the ratings makes a repeated run harmless.
    summaries.statement_summary_recompute(statement_id=statement_id)


@shared_task(**task_options("summary"))
def stale_summaries_drain_task(self) -> int:
    """Run by Celery beat: recompute what a lost message left stale."""
    return summaries.stale_summaries_drain()


@shared_task(**task_options("summary"))
def team_summaries_task(self) -> None:
    # Recomputes everything from the ratings, so a repeated or overlapping run is harmless.
    team_summaries.team_summaries_recompute()


@shared_task(**task_options("sweep"))
def assignment_deadlines_announce_task(self) -> tuple[int, int]:
    """Run by Celery beat: announce assignments due within a day and overdue ones, each once per due date."""
    return deadline_notices.assignment_deadlines_announce()


@shared_task(**task_options("long"))
def checkworthiness_train_task(self, requested_by_id: int | None = None) -> None:
    # A second run trains a second version from the same decisions: harmless, and the newest is active.
    if scorer_training.scorer_train_from_desk(trained_by_id=requested_by_id) is not None:
        statements_rescore()
        summaries.assignment_scores_refresh()  # the queue's order follows the new scores
