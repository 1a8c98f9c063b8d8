"""Reads about API tokens, webhook endpoints and their deliveries."""

from __future__ import annotations

from django.db.models import F, QuerySet

from .models import ApiToken, WebhookDelivery, WebhookEndpoint


def tokens_of(*, user) -> QuerySet[ApiToken]:
    """The user's own tokens, active ones first, newest first."""
    active_first = F("revoked_at").desc(nulls_first=True)
    return ApiToken.objects.filter(user=user).select_related("user").order_by(active_first, "-created_at", "-pk")


def tokens_active() -> QuerySet[ApiToken]:
    """Every member's active tokens, for admins who may revoke anyone's."""
    return ApiToken.objects.filter(revoked_at__isnull=True).select_related("user").order_by("user__username", "pk")


def tokens_visible_to(*, user, can_see_all: bool) -> QuerySet[ApiToken]:
    """Admins see every token; everyone else their own."""
    tokens = ApiToken.objects.select_related("user")
    return tokens if can_see_all else tokens.filter(user=user)


def token_by_hash(*, key_hash: str) -> ApiToken | None:
    """The active token with this hash and its (active or not) user, or None."""
    return ApiToken.objects.select_related("user").filter(key_hash=key_hash, revoked_at__isnull=True).first()


def webhook_endpoints() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.select_related("created_by").order_by("pk")


def webhook_endpoints_for(*, event: str) -> list[WebhookEndpoint]:
    """Active endpoints subscribed to `event`. There are a handful, so the event list is read in Python: a
    JSON "contains" lookup would not work on SQLite."""
    return [e for e in WebhookEndpoint.objects.filter(is_active=True).order_by("pk") if event in (e.events or [])]


def webhook_deliveries(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """An endpoint's delivery log, newest first."""
    return endpoint.deliveries.order_by("-created_at", "-pk")
