import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings.local")

app = Celery("factcheck")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def retrying(*, soft_time_limit: int, time_limit: int) -> dict:
    """Options for tasks that touch the database: acknowledged after the work is done (a crashed worker's
    task is redelivered, so tasks must be idempotent) and retried with backoff when the database blips."""
    from django.db import OperationalError

    return {
        "bind": True,
        "acks_late": True,
        "autoretry_for": (OperationalError,),
        "retry_backoff": True,
        "max_retries": 5,
        "soft_time_limit": soft_time_limit,
        "time_limit": time_limit,
    }
