"""API tokens: a member creates named tokens (shown once, stored as a hash), the API finds the token a request
carries and notes its last use, and the member (or an admin, for anyone) revokes it."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from factcheck.accounts import policy
from factcheck.audit.services import record

from ..audit_actions import TOKEN_CREATED, TOKEN_REVOKED
from ..models import ApiToken
from ..selectors import token_by_hash

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "fct_"  # noqa: S105 - recognisable in logs and secret scanners, not a secret
NAME_MAX = ApiToken._meta.get_field("name").max_length
# Noting each use would write a row per request; once a minute is enough to say when a token was last used.
LAST_USED_RESOLUTION = timedelta(seconds=60)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    raw: str  # shown to the member once; never stored


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, user, name: str) -> NewToken:
    """Make a token for the user; the returned raw value is the only time anyone sees it."""
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied("Log in to create an API token.")
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": ["Give the token a name that says where it is used, e.g. 'CMS plugin'."]})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": [f"Use at most {NAME_MAX} characters (this name has {len(name)})."]})
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
    if active >= settings.API_MAX_TOKENS_PER_USER:
        raise ValidationError(
            f"You have {active} active tokens, the most one member may have. Revoke one you no longer use."
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:12], key_hash=hash_token(raw))
    record(TOKEN_CREATED, user, actor=user, after={"name": name, "token": token.prefix})
    logger.info("API token %s (%s) created for %s", token.pk, token.prefix, user.username)
    return NewToken(token=token, raw=raw)


def token_authenticate(*, raw: str) -> ApiToken | None:
    """The active token matching `raw`, or None; notes its use at most once a minute."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = token_by_hash(key_hash=hash_token(raw))
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def token_revoke(*, token: ApiToken, revoked_by) -> ApiToken:
    """Revoke a token at once: its owner may, and admins may revoke anyone's. Revoking twice changes nothing."""
    if token.user_id != revoked_by.pk:
        policy.require(policy.can_manage_members, revoked_by, "Only admins can revoke another member's API token.")
    if token.revoked_at is not None:
        return token
    token.revoked_at, token.revoked_by = timezone.now(), revoked_by
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=token.revoked_at, revoked_by=revoked_by
    )
    record(TOKEN_REVOKED, token.user, actor=revoked_by, before={"name": token.name, "token": token.prefix})
    logger.info("API token %s (%s) of %s revoked by %s", token.pk, token.prefix, token.user, revoked_by.username)
    return token
