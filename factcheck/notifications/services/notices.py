"""Writing notices: each event's notices in one statement (at most one per event and recipient), the unread
counts with them, and the e-mails owed; marking notices read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from factcheck.core.counters import add_to_counters

from ..models import Notice, UnreadCount
from .deliveries import emails_for_notices

TITLE_MAX = Notice._meta.get_field("title").max_length
INSERT_BATCH = 500


@dataclass(frozen=True)
class Draft:
    """One notice to write: for whom, which event (the key), what it says and where it leads."""

    recipient_id: int
    key: str
    kind: str
    title: str
    target_kind: str
    target_id: int | None = None


def _insert_new(drafts: Sequence[Draft], now) -> list[tuple[int, int]]:
    """Insert the drafts whose (recipient, key) is not there yet; (id, recipient id) of those inserted.
    ON CONFLICT DO NOTHING ... RETURNING says exactly which rows are new, so the unread counts add just
    those (bulk_create(ignore_conflicts=True) would not tell), on PostgreSQL and SQLite alike."""
    table = Notice._meta.db_table
    columns = ["recipient_id", "key", "kind", "title", "target_kind", "target_id", "created_at"]
    stamp = connection.ops.adapt_datetimefield_value(now)
    inserted: list[tuple[int, int]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(drafts), INSERT_BATCH):
            batch = drafts[start : start + INSERT_BATCH]
            values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(batch))
            params = [
                item
                for d in batch
                for item in (d.recipient_id, d.key, d.kind, d.title[:TITLE_MAX], d.target_kind, d.target_id, stamp)
            ]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values} "  # noqa: S608 - names from _meta
                "ON CONFLICT (recipient_id, key) DO NOTHING RETURNING id, recipient_id",
                params,
            )
            inserted.extend((row[0], row[1]) for row in cursor.fetchall())
    return inserted


# No savepoint of its own: its one caller, the desk-event listener, writes it inside one (and an uncaught error
# rolls a caller's transaction back anyway); two fewer queries in every settling or disputing summary task.
@transaction.atomic(savepoint=False)
def notices_create(*, drafts: Iterable[Draft]) -> int:
    """Write the notices not written yet (a repeated event adds nothing), add them to their recipients'
    unread counts and queue the e-mails of those who want one at once. Returns how many were new."""
    drafts = list({(d.recipient_id, d.key): d for d in drafts}.values())
    if not drafts:
        return 0
    inserted = _insert_new(drafts, timezone.now())
    if not inserted:
        return 0
    per_user = Counter(recipient for _, recipient in inserted)
    add_to_counters(UnreadCount, "user", {user: {"unread": n} for user, n in per_user.items()})
    emails_for_notices(inserted)
    return len(inserted)


@transaction.atomic
def notice_mark_read(*, user, notice_id: int) -> bool:
    """Mark one of the user's notices read; False when it was read already (or is not theirs). The update
    is conditional, so two clicks at once take one off the count, not two."""
    changed = Notice.objects.filter(pk=notice_id, recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    if changed:
        add_to_counters(UnreadCount, "user", {user.pk: {"unread": -changed}})
    return bool(changed)


@transaction.atomic
def notices_mark_all_read(*, user) -> int:
    """Mark every unread notice of the user read; returns how many were unread."""
    changed = Notice.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    if changed:
        add_to_counters(UnreadCount, "user", {user.pk: {"unread": -changed}})
    return changed
