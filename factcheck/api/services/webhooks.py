"""Webhooks: admins register a URL and the events it wants; each event becomes one delivery row per endpoint
(written in the transaction of the change that caused it), sent signed by a Celery task, retried with backoff
and logged with the answer. Every URL passes the same address guard as article imports, when it is registered
and again on every delivery (a name may resolve elsewhere later)."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import logging
import secrets
import time
import uuid
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from articles.importing.fetching import DEFAULT_POLICY, FetchError, FetchPolicy, check_destination, post_url
from factcheck.accounts import policy
from factcheck.audit.services import record
from factcheck.core.enqueue import enqueue_now, enqueue_on_commit
from factcheck.core.events import EVENTS
from factcheck.core.links import http_url

from ..audit_actions import WEBHOOK_CHANGED, WEBHOOK_CREATED, WEBHOOK_DELETED
from ..models import WebhookDelivery, WebhookEndpoint
from ..selectors import webhook_endpoints_for

logger = logging.getLogger(__name__)

DELIVERY_TASK = "factcheck.api.tasks.webhook_delivery_task"
SIGNATURE_HEADER = "X-Factcheck-Signature"
TIMESTAMP_HEADER = "X-Factcheck-Timestamp"
EVENT_HEADER = "X-Factcheck-Event"
DELIVERY_HEADER = "X-Factcheck-Delivery"
SECRET_PREFIX = "whsec_"  # noqa: S105 - a recognisable prefix, not a secret
RESPONSE_LOG_CHARS = 500


def webhook_policy() -> FetchPolicy:
    """The import fetcher's address guard, opened only for the hosts the settings allow (tests' local
    servers), with the webhook timeouts."""
    return dataclasses.replace(
        DEFAULT_POLICY,
        allow_hosts=frozenset(settings.IMPORT_FETCH_ALLOW_HOSTS),
        timeout=settings.API_WEBHOOK_TIMEOUT_SECONDS,
        deadline=settings.API_WEBHOOK_TIMEOUT_SECONDS * 2,
        user_agent="FactcheckWebhooks/1.0",
    )


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value: HMAC-SHA256 over "<timestamp>.<body>" with the endpoint's secret."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def _clean_url(url: str) -> str:
    url = http_url(url or "")
    if not url:
        raise ValidationError({"url": ["Give an http:// or https:// address the desk can reach."]})
    try:
        check_destination(url, policy=webhook_policy())
    except FetchError as exc:
        raise ValidationError({"url": [str(exc)]}) from None
    return url


def _clean_events(events: Sequence[str]) -> list[str]:
    chosen = list(dict.fromkeys(events or []))
    unknown = [e for e in chosen if e not in EVENTS]
    if unknown or not chosen:
        raise ValidationError({"events": [f"Choose one or more of: {', '.join(EVENTS)}."]})
    return chosen


@transaction.atomic
def webhook_create(*, url: str, events: Sequence[str], description: str = "", created_by) -> WebhookEndpoint:
    """Register an endpoint; its signing secret is made here and returned on the row."""
    policy.require(policy.can_manage_members, created_by, "Only admins can register webhooks.")
    endpoint = WebhookEndpoint.objects.create(
        url=_clean_url(url),
        events=_clean_events(events),
        description=(description or "").strip()[:200],
        secret=SECRET_PREFIX + secrets.token_urlsafe(32),
        created_by=created_by,
    )
    record(WEBHOOK_CREATED, endpoint, actor=created_by, after={"url": endpoint.url, "events": endpoint.events})
    logger.info("webhook %s registered for %s by %s", endpoint.pk, endpoint.events, created_by.username)
    return endpoint


@transaction.atomic
def webhook_update(
    *,
    endpoint: WebhookEndpoint,
    changed_by,
    url: str | None = None,
    events: Sequence[str] | None = None,
    description: str | None = None,
    is_active: bool | None = None,
) -> WebhookEndpoint:
    """Change what was given; the secret stays."""
    policy.require(policy.can_manage_members, changed_by, "Only admins can change webhooks.")
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    before = {"url": endpoint.url, "events": endpoint.events, "is_active": endpoint.is_active}
    if url is not None:
        endpoint.url = _clean_url(url)
    if events is not None:
        endpoint.events = _clean_events(events)
    if description is not None:
        endpoint.description = description.strip()[:200]
    if is_active is not None:
        endpoint.is_active = bool(is_active)
    endpoint.save()
    after = {"url": endpoint.url, "events": endpoint.events, "is_active": endpoint.is_active}
    record(WEBHOOK_CHANGED, endpoint, actor=changed_by, before=before, after=after)
    return endpoint


@transaction.atomic
def webhook_delete(*, endpoint: WebhookEndpoint, deleted_by) -> None:
    """Remove the endpoint and its delivery log."""
    policy.require(policy.can_manage_members, deleted_by, "Only admins can remove webhooks.")
    record(WEBHOOK_DELETED, endpoint, actor=deleted_by, before={"url": endpoint.url, "events": endpoint.events})
    endpoint.delete()


def webhook_event_record(*, event: str, data: dict, occurred_at=None) -> list[WebhookDelivery]:
    """One pending delivery per active endpoint subscribed to `event`, in the caller's transaction, each sent
    by a task once it commits."""
    endpoints = webhook_endpoints_for(event=event)
    if not endpoints:
        return []
    event_id = uuid.uuid4()
    now = occurred_at or timezone.now()
    payload = {"event": event, "event_id": str(event_id), "occurred_at": now.isoformat(), "data": data}
    # Through JSON once, so dates and the like are stored exactly as they will be sent.
    payload = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(endpoint=e, event=event, event_id=event_id, payload=payload, next_attempt_at=now)
            for e in endpoints
        ]
    )
    for delivery in deliveries:
        enqueue_on_commit(DELIVERY_TASK, delivery.pk)
    return deliveries


def _backoff(attempts: int) -> int:
    """Seconds to wait after the `attempts`-th failed attempt: base, 2×base, 4×base … capped."""
    base = settings.API_WEBHOOK_RETRY_BASE_SECONDS
    return int(min(base * 2 ** max(0, attempts - 1), settings.API_WEBHOOK_RETRY_MAX_SECONDS))


def webhook_delivery_attempt(*, delivery_id: int) -> int | None:
    """Send one due delivery once. Returns the seconds to wait before trying again, or None when there is
    nothing more to do (delivered, failed for good, not due, or another worker has it). Safe to run twice: a
    delivery is claimed with a conditional update before it is sent."""
    now = timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now + timedelta(seconds=1))
    claimed = WebhookDelivery.objects.filter(due, pk=delivery_id, status=WebhookDelivery.Status.PENDING).update(
        status=WebhookDelivery.Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
    )
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        _finish(delivery, WebhookDelivery.Status.FAILED, error="The endpoint was switched off; not sent.")
        return None
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.pk),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret=endpoint.secret, timestamp=timestamp, body=body),
    }
    try:
        response = post_url(endpoint.url, body, headers=headers, policy=webhook_policy())
    except FetchError as exc:
        refused = str(exc).startswith("Refused")
        logger.warning("webhook delivery %s to endpoint %s failed: %s", delivery.pk, endpoint.pk, exc)
        # The address guard's refusal will not change by waiting; a network failure may.
        return _failed_attempt(delivery, error=str(exc), status_code=None, body="", final=refused)
    answer = response.body.decode("utf-8", "replace")[:RESPONSE_LOG_CHARS]
    if 200 <= response.status < 300:
        _finish(delivery, WebhookDelivery.Status.DELIVERED, status_code=response.status, body=answer)
        logger.info("webhook delivery %s to endpoint %s: %s", delivery.pk, endpoint.pk, response.status)
        return None
    error = f"The endpoint answered {response.status} {response.reason}."
    logger.warning("webhook delivery %s to endpoint %s: %s", delivery.pk, endpoint.pk, error)
    return _failed_attempt(delivery, error=error, status_code=response.status, body=answer, final=False)


def _failed_attempt(delivery: WebhookDelivery, *, error: str, status_code, body: str, final: bool) -> int | None:
    if final or delivery.attempts >= settings.API_WEBHOOK_MAX_ATTEMPTS:
        _finish(delivery, WebhookDelivery.Status.FAILED, status_code=status_code, body=body, error=error)
        return None
    wait = _backoff(delivery.attempts)
    WebhookDelivery.objects.filter(pk=delivery.pk, status=WebhookDelivery.Status.SENDING).update(
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at=timezone.now() + timedelta(seconds=wait),
        response_status=status_code,
        response_body=body,
        error=error,
    )
    return wait


def _finish(delivery: WebhookDelivery, status: str, *, status_code=None, body: str = "", error: str = "") -> None:
    values = {"status": status, "response_status": status_code, "response_body": body, "error": error}
    if status == WebhookDelivery.Status.DELIVERED:
        values["delivered_at"] = timezone.now()
    values["next_attempt_at"] = None
    WebhookDelivery.objects.filter(pk=delivery.pk, status=WebhookDelivery.Status.SENDING).update(**values)


def webhook_deliveries_requeue(*, now=None) -> list[int]:
    """Send again deliveries left behind: pending ones well past their time (their message was lost) and ones
    stuck "sending" (their worker died mid-request). Safe beside the messages still queued: a delivery is
    claimed before it is sent, and only when due."""
    now = now or timezone.now()
    grace = timedelta(seconds=settings.API_WEBHOOK_REQUEUE_AFTER_SECONDS)
    stuck_since = now - timedelta(seconds=settings.API_WEBHOOK_TIMEOUT_SECONDS * 4)
    stuck = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.SENDING, last_attempt_at__lt=stuck_since)
    ids = list(stuck.values_list("pk", flat=True)[:200])
    WebhookDelivery.objects.filter(pk__in=ids, status=WebhookDelivery.Status.SENDING).update(
        status=WebhookDelivery.Status.PENDING, next_attempt_at=now
    )
    ids += list(
        WebhookDelivery.objects.filter(
            Q(next_attempt_at__lt=now - grace) | Q(next_attempt_at__isnull=True),
            status=WebhookDelivery.Status.PENDING,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:200]
    )
    for delivery_id in ids:
        enqueue_now(DELIVERY_TASK, delivery_id)
    if ids:
        logger.warning("sent %s overdue webhook deliveries to the workers again", len(ids))
    return ids
