"""Celery tasks for reviews: thin wrappers that take ids and call one service. Each is safe to run twice."""

from celery import shared_task

from factcheck.celery_app import task_options

from . import services, team


@shared_task(**task_options("summary"))
def statement_summary_task(self, statement_id: int) -> None:
    # Recomputing from the ratings makes a repeated run harmless.
    services.statement_summary_recompute(statement_id=statement_id)


@shared_task(**task_options("summary"))
def team_summaries_task(self) -> None:
    # Recomputes everything from the ratings, so a repeated or overlapping run is harmless.
    team.team_summaries_recompute()
