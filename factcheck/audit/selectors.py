"""Reading the audit trail: the history of one record, or of everything that belongs to it."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import AuditEvent
from .services import Ref


def history(*, of, including_parts: bool = False, actions: tuple[str, ...] = ()) -> QuerySet[AuditEvent]:
    """Events about `of` (a model instance or Ref), oldest first; with `including_parts`, also the events of
    the records that belong to it (an article's statements and report). Meant to be paginated."""
    ref = Ref.to(of)
    where = Q(target_type=ref.type, target_id=ref.id)
    if including_parts:
        where |= Q(parent_type=ref.type, parent_id=ref.id)
    events = AuditEvent.objects.filter(where)
    if actions:
        events = events.filter(action__in=actions)
    return events.select_related("actor").order_by("created_at", "pk")


def history_of_targets(*, target_type: str, target_ids: list[int]) -> QuerySet[AuditEvent]:
    """Events of several records of one kind (a statement and those merged into it), oldest first."""
    return (
        AuditEvent.objects.filter(target_type=target_type, target_id__in=target_ids)
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def events_about(target_type: str, target_id, *, action: str = "", by_person: bool = False) -> QuerySet[AuditEvent]:
    """Events about one record (target_id may be an OuterRef, for Exists subqueries), optionally of one
    action and only those a person did (not the system)."""
    events = AuditEvent.objects.filter(target_type=target_type, target_id=target_id)
    if action:
        events = events.filter(action=action)
    if by_person:
        events = events.filter(actor__isnull=False)
    return events
