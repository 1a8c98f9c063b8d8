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
    # One e-mail to a mail server: short. Its row's lease (NOTIFICATIONS_EMAIL_LEASE_SECONDS) outlasts the hard
    # limit, so a slow send is never taken over by a second worker while the first still runs.
    "notify": {**_RETRYING, "soft_time_limit": 60, "time_limit": 90},
    # Claim memory work: a batch of lookups (the first in a process builds its index), a memory sync, training.
    "match": {**_RETRYING, "soft_time_limit": 15 * 60, "time_limit": 16 * 60},
}


# Which queue each kind of task goes to, so each can have its own workers (docker-compose runs one worker
# service per queue and scales them separately): long imports never hold up a rating's summary.
QUEUE_OF_KIND = {
    "long": "imports",
    "fetch": "imports",
    "summary": "summaries",
    "sweep": "maintenance",
    "match": "matching",  # its workers hold the claim memory's index: few processes, much memory each
    "notify": "notifications",  # e-mails; webhook deliveries too (a "fetch" routed there by name)
}


def task_options(kind: str, *, queue: str = "") -> dict:
    """Options for @shared_task by kind ("long", "summary", "fetch", "sweep", "notify", "match"), with the transient
    errors to retry on, and the queue it is routed to (by default the kind's; see route_task)."""
    options = dict(TASK_PRESETS[kind])
    if "max_retries" in options:
        options["autoretry_for"] = _transient_errors()
    options["queue_name"] = queue or QUEUE_OF_KIND[kind]
    return options


def queue_for(name: str, *, base: str | None = None) -> str:
    """A queue's full name: the default queue's name, a dot, the queue's own name ("factcheck.imports")."""
    return f"{base or app.conf.task_default_queue}.{name}"


def route_task(name, args, kwargs, options, task=None, **kw):
    """Celery router: a task goes to its kind's queue, named after the default queue at send time (so a test
    that gives itself its own default queue gets its own set of queues)."""
    queue_name = getattr(task, "queue_name", None)
    return {"queue": queue_for(queue_name)} if queue_name else None


def all_queues(base: str | None = None) -> list[str]:
    """Every queue a worker that does everything should consume."""
    base = base or app.conf.task_default_queue
    kinds = {queue_for(q, base=base) for q in QUEUE_OF_KIND.values()} | {queue_for("notifications", base=base)}
    return [base, *sorted(kinds)]
