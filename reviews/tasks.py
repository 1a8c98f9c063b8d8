from celery import shared_task

from factcheck.celery_app import retrying

from . import services, team


@shared_task(**retrying(soft_time_limit=60, time_limit=90))
def statement_summary_task(self, statement_id: int) -> None:
    # Recomputing from the ratings makes a repeated run harmless.
    services.statement_summary_recompute(statement_id=statement_id)


@shared_task(bind=True, acks_late=True, soft_time_limit=60 * 30, time_limit=60 * 31)
def summaries_recompute_all_task(self) -> None:
    services.summaries_recompute_all()


@shared_task(**retrying(soft_time_limit=5 * 60, time_limit=6 * 60))
def team_summaries_task(self) -> None:
    # Recomputes everything from the ratings, so a repeated or overlapping run is harmless.
    team.team_summaries_recompute()
