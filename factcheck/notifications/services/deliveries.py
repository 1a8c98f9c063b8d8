"""E-mails: owed per notice to those who want them at once, per day to those who want a digest; sent by a
worker that claims the row for a lease, sends, and marks it sent.

The guarantee: an e-mail row exists at most once per (notice) and per (member, day), and only the worker
holding the lease sends it, so retries, redelivered messages and overlapping sweeps send it once. The one
gap: a worker that dies (or loses the database) after the mail server accepted the message and before the
row is marked sent leaves the row "sending"; when its lease ends the sweep sends it again. So a crash at
that moment can send one duplicate, nothing else can.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from factcheck.core.enqueue import enqueue_on_commit

from .. import selectors
from ..emails import digest_email, notice_email
from ..models import Delivery, EmailDelivery, Notice

logger = logging.getLogger(__name__)
User = get_user_model()
S = EmailDelivery.Status

SEND_TASK = "factcheck.notifications.tasks.email_send_task"
# A pending e-mail younger than this is left to the task its creation sent; older ones lost their message.
REQUEUE_GRACE = timedelta(minutes=2)
REQUEUE_BATCH = 500
# A task sent by Celery's countdown may arrive a little before the row's next try.
EARLY_TOLERANCE = timedelta(seconds=5)


def _wants_email_now(user_ids) -> list[int]:
    """Of these members, the active ones with an address who want e-mail as it happens (the default)."""
    return list(
        User.objects.filter(pk__in=set(user_ids), is_active=True)
        .exclude(email="")
        .exclude(notification_preference__delivery__in=[Delivery.IN_APP, Delivery.DIGEST])
        .values_list("pk", flat=True)
    )


def emails_for_notices(inserted: list[tuple[int, int]]) -> int:
    """Owe an e-mail for each new notice whose recipient wants one at once, and send each after commit."""
    wanted = set(_wants_email_now(recipient for _, recipient in inserted))
    now = timezone.now()
    rows = EmailDelivery.objects.bulk_create(
        [
            EmailDelivery(recipient_id=recipient, notice_id=notice_id, not_before=now)
            for notice_id, recipient in inserted
            if recipient in wanted
        ]
    )
    for row in rows:
        enqueue_on_commit(SEND_TASK, row.pk)
    return len(rows)


@transaction.atomic
def digests_prepare(*, now=None) -> int:
    """Owe today's digest to each member who chose one and has unread notices of the last day, and send
    them. At most one digest per member and day (a unique key): running this again the same day adds none
    and only re-sends what is still pending. Returns how many digests are pending now."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    start = now - timedelta(hours=24)
    unread = Notice.objects.filter(
        recipient=OuterRef("pk"), read_at__isnull=True, created_at__gt=start, created_at__lte=now
    )
    members = list(
        User.objects.filter(is_active=True, notification_preference__delivery=Delivery.DIGEST)
        .exclude(email="")
        .filter(Exists(unread))
        .values_list("pk", flat=True)
    )
    EmailDelivery.objects.bulk_create(
        [
            EmailDelivery(recipient_id=pk, digest_day=day, window_start=start, window_end=now, not_before=now)
            for pk in members
        ],
        ignore_conflicts=True,
    )
    pending = list(EmailDelivery.objects.filter(digest_day=day, status=S.PENDING).values_list("pk", flat=True))
    for pk in pending:
        enqueue_on_commit(SEND_TASK, pk)
    return len(pending)


def _claim(delivery_id: int, now) -> bool:
    """Take the row for a lease: a pending one that is due, or one whose previous worker's lease ran out.
    Conditional, so of two workers at once only one gets it."""
    lease_end = now + timedelta(seconds=settings.NOTIFICATIONS_EMAIL_LEASE_SECONDS)
    claimable = Q(status=S.PENDING, not_before__lte=now + EARLY_TOLERANCE) | Q(status=S.SENDING, not_before__lt=now)
    return bool(
        EmailDelivery.objects.filter(claimable, pk=delivery_id).update(
            status=S.SENDING, not_before=lease_end, attempts=F("attempts") + 1
        )
    )


def _finish(delivery_id: int, status: str, **values) -> None:
    EmailDelivery.objects.filter(pk=delivery_id, status=S.SENDING).update(status=status, **values)


def _message(delivery: EmailDelivery):
    """The e-mail to send, or None when there is nothing to send any more (preference changed, nothing
    unread in the digest, member gone)."""
    recipient = delivery.recipient
    if not (recipient.is_active and recipient.email):
        return None
    wanted = selectors.delivery_of(user=recipient)
    if delivery.notice_id:
        return notice_email(delivery.notice, recipient) if wanted == Delivery.IMMEDIATE else None
    if wanted != Delivery.DIGEST:
        return None
    limit = settings.NOTIFICATIONS_DIGEST_MAX_ITEMS
    notices = selectors.digest_notices(
        user_id=recipient.pk, start=delivery.window_start, end=delivery.window_end, limit=limit
    )
    if not notices:
        return None
    return digest_email(recipient, notices[:limit], more=len(notices) > limit, day=delivery.digest_day)


def email_delivery_send(*, delivery_id: int, now=None) -> float | None:
    """Send one owed e-mail if this worker can claim it. Returns seconds until the next try when sending
    failed and tries are left, else None (sent, skipped, failed for good, or someone else's)."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        logger.info("e-mail %s is sent, being sent or not due; nothing to do", delivery_id)
        return None
    delivery = EmailDelivery.objects.select_related("recipient", "notice").get(pk=delivery_id)
    message = _message(delivery)
    if message is None:
        _finish(delivery_id, S.SKIPPED, not_before=now)
        return None
    try:
        message.send()
    except Exception as exc:  # the mail server refused, timed out or is down: try again later
        error = f"{type(exc).__name__}: {exc}"[:500]
        if delivery.attempts >= settings.NOTIFICATIONS_EMAIL_MAX_ATTEMPTS:
            logger.error("e-mail %s to user %s failed for good: %s", delivery_id, delivery.recipient_id, error)
            _finish(delivery_id, S.FAILED, last_error=error, not_before=now)
            return None
        retry_in = settings.NOTIFICATIONS_EMAIL_RETRY_BASE_SECONDS * 2 ** (delivery.attempts - 1)
        logger.warning("e-mail %s failed (try %s), again in %ss: %s", delivery_id, delivery.attempts, retry_in, error)
        _finish(delivery_id, S.PENDING, last_error=error, not_before=now + timedelta(seconds=retry_in))
        return retry_in
    _finish(delivery_id, S.SENT, sent_at=timezone.now(), last_error="")
    return None


def email_deliveries_requeue(*, now=None, limit: int = REQUEUE_BATCH) -> list[int]:
    """Send again e-mails whose message was lost (pending well past their time) or whose worker died
    (sending past the lease): oldest first, a batch at a time (index email_unfinished)."""
    now = now or timezone.now()
    ids = list(
        EmailDelivery.objects.filter(status__in=[S.PENDING, S.SENDING], not_before__lt=now - REQUEUE_GRACE)
        .order_by("not_before")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        enqueue_on_commit(SEND_TASK, pk)
    if ids:
        logger.warning("re-sending %s e-mails whose task did not finish", len(ids))
    return ids
