from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60 * 30,
    time_limit=60 * 31,
)
def import_job_run_task(self, job_id: int) -> None:
    services.import_job_run(job_id=job_id)
