"""Announcing deadlines: open assignments due within a day, and overdue ones, each announced once per due
date (factcheck.core.events), for whoever listens (notifications tell the reviewer, and the editors of
overdue work). Run by beat every few minutes; nothing here knows who is told or how."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from factcheck.core import events

from ..models import DUE_SOON_UNNOTICED, OVERDUE_UNNOTICED, Assignment

DEADLINE_BATCH = 500


def _take(condition, limit: int, **due) -> list[int]:
    """Up to `limit` open assignments matching the partial index's own condition, earliest due first, locked
    (skipping rows another scan holds, so two overlapping runs announce each once)."""
    return list(
        Assignment.objects.filter(condition, **due)
        .order_by("due_at", "pk")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def assignment_deadlines_announce(*, now=None, limit: int = DEADLINE_BATCH) -> tuple[int, int]:
    """Announce open assignments that became overdue, then those due within NOTIFICATIONS_DUE_SOON_HOURS,
    each once per due date: the mark (the due date announced) is written in the same transaction as the
    announcement, and a moved due date is announced again. Reads only what is still to announce, through the
    partial indexes, a batch at a time (the next run takes the rest). Returns (overdue, due soon) counts."""
    now = now or timezone.now()
    overdue = _take(OVERDUE_UNNOTICED, limit, due_at__lte=now)
    if overdue:
        # Overdue says more than "due soon": an assignment announced overdue is not announced due soon after.
        Assignment.objects.filter(pk__in=overdue).update(
            overdue_noticed_for=F("due_at"), due_soon_noticed_for=F("due_at")
        )
        events.announce(events.ASSIGNMENTS_OVERDUE, assignment_ids=overdue)
    soon_until = now + timedelta(hours=settings.NOTIFICATIONS_DUE_SOON_HOURS)
    due_soon = _take(DUE_SOON_UNNOTICED, limit, due_at__gt=now, due_at__lte=soon_until)
    if due_soon:
        Assignment.objects.filter(pk__in=due_soon).update(due_soon_noticed_for=F("due_at"))
        events.announce(events.ASSIGNMENTS_DUE_SOON, assignment_ids=due_soon)
    return len(overdue), len(due_soon)
