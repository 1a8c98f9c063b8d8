"""Throttling per API token: each token (else the signed-in member, else the address) has its own budget per
scope. Views name their scope (`throttle_scope`, or `throttle_scopes` per method); otherwise reads count as
"read" and writes as "write". The rates are settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]); the counts
live in API_THROTTLE_CACHE_URL's Redis when it is set, else in Django's default cache."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@cache
def _redis_cache(url: str):
    from django.core.cache.backends.redis import RedisCache

    return RedisCache(url, {"KEY_PREFIX": "api-throttle"})


def throttle_cache():
    url = getattr(settings, "API_THROTTLE_CACHE_URL", "")
    return _redis_cache(url) if url else caches["default"]


class TokenRateThrottle(SimpleRateThrottle):
    def __init__(self):
        # Rates are read per request (not once at import) so settings changes, and tests, take effect.
        pass

    def allow_request(self, request, view):
        self.cache = throttle_cache()
        self.scope = (
            getattr(view, "throttle_scopes", {}).get(request.method)
            or getattr(view, "throttle_scope", None)
            or ("read" if request.method in SAFE_METHODS else "write")
        )
        self.rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return f"throttle_{self.scope}_{ident}"
