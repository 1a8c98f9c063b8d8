"""The one way to hand work to a Celery worker.

Services call ``enqueue_on_commit(task, *ids)``: the message is sent only once the transaction that made
the work necessary has committed, so a worker never looks for rows that are not there yet, and a rolled
back request sends nothing. A broker failure (Redis down, connection refused, timeout) is logged and
swallowed: the write the user made is already committed and must not turn into an error page. What was
not sent is picked up again by the beat sweeps (stale import jobs, summary recomputes), so a lost message
delays work, never loses it.
"""

from __future__ import annotations

import importlib
import logging
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)


def _resolve(task):
    """A task object, or its dotted name (services name tasks by string: tasks import services). The name is
    resolved by importing its module, which Python makes safe across threads; Celery's own lazy discovery is
    not, and two first requests at once could find the registry half filled."""
    if not isinstance(task, str):
        return task
    module_name, _, attribute = task.rpartition(".")
    try:
        found = getattr(importlib.import_module(module_name), attribute, None) if module_name else None
    except ImportError:
        found = None
    if found is None or getattr(found, "name", None) != task:
        raise LookupError(f"No Celery task named {task!r} is registered.")
    return found


def enqueue_now(task, *args, countdown: float | None = None) -> bool:
    """Send the task now; True when the broker accepted it, False (logged) when it could not be reached."""
    task = _resolve(task)
    try:
        task.apply_async(args=args, countdown=countdown)
    except Exception:
        if task.app.conf.task_always_eager:
            raise  # in-process the error is the task's own, not the broker's: let it show
        logger.warning("could not enqueue %s%s; the beat sweep will pick it up", task.name, args, exc_info=True)
        return False
    return True


def enqueue_on_commit(task, *args, countdown: float | None = None) -> None:
    """Send the task with these ids after the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(enqueue_now, task, *args, countdown=countdown))
