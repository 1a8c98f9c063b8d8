"""API authentication: the browser's session (with CSRF, as DRF does it), or a member's token sent as
`Authorization: Bearer <token>`."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .services.tokens import token_authenticate

KEYWORDS = (b"bearer", b"token")


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer fct_…` (or `Token fct_…`). A wrong, revoked or inactive member's token is a 401,
    never a silent anonymous request."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as 'Authorization: Bearer <token>', with no spaces in the token.", code="invalid_token"
            )
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("That is not an API token.", code="invalid_token") from None
        token = token_authenticate(raw=raw)
        if token is None:
            raise exceptions.AuthenticationFailed(
                "This API token is unknown or was revoked. Create a new one on your My settings page.",
                code="invalid_token",
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                "The member this token belongs to is deactivated.", code="inactive_member"
            )
        return token.user, token

    def authenticate_header(self, request):
        # Makes an unauthenticated request a 401 with this challenge (a 403 is kept for "not your role").
        return 'Bearer realm="api"'
