"""Writing the audit trail. Call record() inside the service's transaction, so the change and its event
commit or roll back together."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from .models import AuditEvent


@dataclass(frozen=True)
class Ref:
    """A record named by model label and id, for events about rows not loaded (or no longer there)."""

    type: str
    id: int

    @classmethod
    def to(cls, obj: models.Model | Ref) -> Ref:
        return obj if isinstance(obj, Ref) else cls(obj._meta.label_lower, obj.pk)


def event(
    action: str,
    target: models.Model | Ref,
    *,
    actor=None,
    parent: models.Model | Ref | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEvent:
    """An unsaved event, for bulk_create when one action touches many records."""
    target_ref = Ref.to(target)
    parent_ref = Ref.to(parent) if parent is not None else None
    return AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target_ref.type,
        target_id=target_ref.id,
        parent_type=parent_ref.type if parent_ref else "",
        parent_id=parent_ref.id if parent_ref else None,
        before=before or {},
        after=after or {},
        note=(note or "").strip(),
    )


def record(action: str, target: models.Model | Ref, **kwargs) -> AuditEvent:
    """Write one event: who (`actor`, None for the system) did `action` to `target`, with the values before
    and after and an optional note; `parent` puts it in the history of what the target belongs to."""
    instance = event(action, target, **kwargs)
    instance.save(force_insert=True)
    return instance


def record_many(events: list[AuditEvent]) -> None:
    AuditEvent.objects.bulk_create(events, batch_size=500)
