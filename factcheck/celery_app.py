import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings.local")

app = Celery("factcheck")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _transient_errors() -> tuple[type[Exception], ...]:
    # A dropped connection, a cancelled query or a failover: worth retrying; anything else is a bug or bad data.
    from django.db import InterfaceError, OperationalError

    return (OperationalError, InterfaceError)


# Task options, set once per kind of task. Every task is idempotent (it takes ids and re-checks the rows),
# so "acknowledged after the work" is safe: a task lost with a crashed worker is delivered again.
_RETRYING = {"bind": True, "acks_late": True, "retry_backoff": True, "retry_backoff_max": 300, "max_retries": 5}
TASK_PRESETS: dict[str, dict] = {
    # Imports and model training: long, resumable work.
    "long": {**_RETRYING, "soft_time_limit": 30 * 60, "time_limit": 31 * 60},
    # Recomputing one statement's summaries, or the team figures: short and repeatable.
    "summary": {**_RETRYING, "soft_time_limit": 5 * 60, "time_limit": 6 * 60},
    # One feed poll: a fetch with its own timeouts, then a small write.
    "fetch": {**_RETRYING, "soft_time_limit": 120, "time_limit": 150},
    # Beat's sweeps: they only look for work and enqueue it; the next run repeats anything missed.
    "sweep": {"bind": True, "acks_late": True, "soft_time_limit": 30, "time_limit": 60},
}


def task_options(kind: str) -> dict:
    """Options for @shared_task by kind ("long", "summary", "fetch", "sweep"), with the transient errors to
    retry on."""
    options = dict(TASK_PRESETS[kind])
    if "max_retries" in options:
        options["autoretry_for"] = _transient_errors()
    return options
