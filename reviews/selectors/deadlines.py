"""Reads about deadlines and capacity: each reviewer's capacity, overdue work per reviewer, and who can take a
statement over."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Min, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from factcheck.core.pagination import keyset_page

from ..models import Assignment, AssignmentBatch, ReviewerCapacity
from .assignments import desk_reviewers

OVERDUE_ORDER = ("due_at", "pk")
# The per-reviewer summary counts at most this many overdue assignments (the figure then reads "1000+").
OVERDUE_COUNTED = 1000


def capacities(*, reviewer_ids) -> dict[int, int]:
    """Each reviewer's capacity: the one set on the Team page, else the desk default."""
    ids = list(reviewer_ids)
    set_here = dict(ReviewerCapacity.objects.filter(reviewer_id__in=ids).values_list("reviewer_id", "max_open"))
    default = settings.REVIEWER_DEFAULT_CAPACITY
    return {pk: set_here[pk] if set_here.get(pk) is not None else default for pk in ids}


def loads_and_capacities(*, user_ids) -> dict[int, tuple[int, int]]:
    """Each user's open assignments and capacity, (open, capacity), in one query (the Team page)."""
    default = settings.REVIEWER_DEFAULT_CAPACITY
    rows = (
        get_user_model()
        .objects.filter(pk__in=list(user_ids))
        .values_list("pk", "review_load__open_count", "review_capacity__max_open")
    )
    return {pk: (open_count or 0, default if limit is None else limit) for pk, open_count, limit in rows}


def lock_capacities(*, reviewer_ids, lock: bool) -> dict[int, int]:
    """Capacities as `capacities`; with `lock` (inside a transaction), each reviewer's capacity row is made if
    missing and locked, in id order, so two editors assigning the same reviewers take turns and the second reads
    the loads the first wrote."""
    ids = sorted(set(reviewer_ids))
    if lock and ids:
        ReviewerCapacity.objects.bulk_create([ReviewerCapacity(reviewer_id=pk) for pk in ids], ignore_conflicts=True)
        list(ReviewerCapacity.objects.select_for_update().filter(reviewer_id__in=ids).order_by("pk").values("pk"))
    return capacities(reviewer_ids=ids)


def reviewers_with_room() -> QuerySet:
    """Desk reviewers with their open count and capacity (`open_count`, `capacity`), least loaded first: who a
    statement can be given to."""
    return (
        desk_reviewers()
        .annotate(
            open_count=Coalesce(F("review_load__open_count"), 0),
            capacity=Coalesce(F("review_capacity__max_open"), settings.REVIEWER_DEFAULT_CAPACITY),
        )
        .order_by("open_count", "username")
    )


def _overdue(now: datetime) -> QuerySet[Assignment]:
    return Assignment.objects.filter(status=Assignment.Status.ASSIGNED, due_at__lt=now)


def overdue_by_reviewer(*, now: datetime | None = None) -> list[dict]:
    """Who is late with how many, most first: [{reviewer_id, username, count, oldest}], counting at most
    OVERDUE_COUNTED of the earliest overdue assignments (through the open-due index), so it costs the same
    however much is late."""
    now = now or timezone.now()
    earliest = _overdue(now).order_by(*OVERDUE_ORDER).values("pk")[:OVERDUE_COUNTED]
    rows = (
        Assignment.objects.filter(pk__in=earliest)
        .values("reviewer_id", username=F("reviewer__username"))
        .annotate(count=Count("pk"), oldest=Min("due_at"))
        .order_by("-count", "username")
    )
    return list(rows)


def overdue_page(*, now: datetime | None = None, reviewer_id: int | None = None, cursor: str = "", size: int = 25):
    """A page of overdue open assignments (one reviewer's, or everyone's), the longest overdue first."""
    rows = (
        _overdue(now or timezone.now())
        .select_related("reviewer", "statement__article")
        .defer("statement__article__body")
    )
    if reviewer_id:
        rows = rows.filter(reviewer_id=reviewer_id)
    return keyset_page(rows, order=OVERDUE_ORDER, cursor=cursor, size=size)


def due_mark(due_at: datetime | None, *, now: datetime) -> str:
    """ "overdue", "today" (due before the end of the desk's day) or ""."""
    if due_at is None:
        return ""
    if due_at < now:
        return "overdue"
    if timezone.localdate(due_at) == timezone.localdate(now):
        return "today"
    return ""


def batch_for_editors(*, pk: int) -> AssignmentBatch | None:
    return AssignmentBatch.objects.select_related("created_by").filter(pk=pk).first()


def recent_batches(*, limit: int = 10) -> QuerySet[AssignmentBatch]:
    return AssignmentBatch.objects.select_related("created_by").order_by("-pk")[:limit]
