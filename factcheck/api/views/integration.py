"""The caller (me), API tokens and webhooks."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from factcheck.accounts import policy

from .. import selectors
from ..models import ApiToken
from ..pagination import IdCursorPagination
from ..permissions import anyone_signed_in
from ..serializers.integration import (
    MeSerializer,
    NewTokenSerializer,
    NewWebhookSerializer,
    TokenCreateSerializer,
    TokenSerializer,
    WebhookCreateSerializer,
    WebhookDeliverySerializer,
    WebhookSerializer,
    WebhookUpdateSerializer,
)
from ..services import tokens as token_services
from ..services import webhooks as webhook_services
from .base import ApiView

PREDICATES = [
    policy.can_rate,
    policy.can_view_articles,
    policy.can_assign,
    policy.can_settle,
    policy.can_curate,
    policy.can_publish,
    policy.can_import,
    policy.can_manage_members,
]


class MeView(ApiView):
    policy = {"GET": anyone_signed_in}
    serializer_class = MeSerializer

    def get(self, request):
        """Who you are to the API: your roles and what the permission policy lets you do."""
        user = request.user
        data = {
            "id": user.pk,
            "username": user.username,
            "name": user.get_full_name(),
            "roles": policy.roles_of(user),
            "permissions": {check.__name__: check(user) for check in PREDICATES},
            "authenticated_by": "token" if isinstance(request.auth, ApiToken) else "session",
        }
        return Response(MeSerializer(data).data)


class TokenListView(ApiView, generics.ListCreateAPIView):
    """Your API tokens (admins: every member's), newest first, with when each was last used."""

    policy = {"GET": anyone_signed_in, "POST": anyone_signed_in}
    serializer_class = TokenSerializer
    pagination_class = IdCursorPagination

    def get_queryset(self):
        user = self.request.user
        return selectors.tokens_visible_to(user=user, can_see_all=policy.can_manage_members(user))

    @extend_schema(
        summary="Create an API token",
        description="With the browser session only (a token cannot make tokens). The token is in the answer this "
        "once; only its hash is kept.",
        request=TokenCreateSerializer,
        responses={201: NewTokenSerializer},
    )
    def post(self, request, *args, **kwargs):
        if isinstance(request.auth, ApiToken):
            # A leaked token must not be able to mint others that outlive its revocation.
            raise PermissionDenied(
                "Create tokens signed in with your password: on My settings, or in this browser session."
            )
        serializer = TokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = token_services.token_create(user=request.user, name=serializer.validated_data["name"])
        new.token.token = new.raw  # in this answer only
        return Response(NewTokenSerializer(new.token).data, status=status.HTTP_201_CREATED)


class TokenDetailView(ApiView):
    policy = {"GET": anyone_signed_in, "DELETE": anyone_signed_in}
    serializer_class = TokenSerializer

    def _token(self, request, pk: int) -> ApiToken:
        user = request.user
        visible = selectors.tokens_visible_to(user=user, can_see_all=policy.can_manage_members(user))
        return get_object_or_404(visible, pk=pk)

    def get(self, request, pk: int):
        return Response(TokenSerializer(self._token(request, pk)).data)

    @extend_schema(summary="Revoke a token (yours; admins: anyone's)", responses={204: None})
    def delete(self, request, pk: int):
        token_services.token_revoke(token=self._token(request, pk), revoked_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookListView(ApiView, generics.ListCreateAPIView):
    """Registered webhooks (admins)."""

    policy = {"GET": policy.can_manage_members, "POST": policy.can_manage_members}
    serializer_class = WebhookSerializer
    pagination_class = IdCursorPagination

    def get_queryset(self):
        return selectors.webhook_endpoints()

    @extend_schema(
        summary="Register a webhook",
        description="The URL must be public (the import address guard applies). Each event is POSTed as JSON "
        "signed with the secret in this answer (shown once).",
        request=WebhookCreateSerializer,
        responses={201: NewWebhookSerializer},
    )
    def post(self, request, *args, **kwargs):
        serializer = WebhookCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = webhook_services.webhook_create(created_by=request.user, **serializer.validated_data)
        return Response(NewWebhookSerializer(endpoint).data, status=status.HTTP_201_CREATED)


class WebhookDetailView(ApiView):
    policy = {"GET": policy.can_manage_members, "PATCH": policy.can_manage_members, "DELETE": policy.can_manage_members}
    serializer_class = WebhookSerializer

    def get(self, request, pk: int):
        return Response(WebhookSerializer(get_object_or_404(selectors.webhook_endpoints(), pk=pk)).data)

    @extend_schema(request=WebhookUpdateSerializer, responses={200: WebhookSerializer})
    def patch(self, request, pk: int):
        endpoint = get_object_or_404(selectors.webhook_endpoints(), pk=pk)
        serializer = WebhookUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = webhook_services.webhook_update(
            endpoint=endpoint, changed_by=request.user, **serializer.validated_data
        )
        return Response(WebhookSerializer(endpoint).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        endpoint = get_object_or_404(selectors.webhook_endpoints(), pk=pk)
        webhook_services.webhook_delete(endpoint=endpoint, deleted_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryListView(ApiView, generics.ListAPIView):
    """The webhook's deliveries, newest first: payload, attempts, the last answer's status and start."""

    policy = {"GET": policy.can_manage_members}
    serializer_class = WebhookDeliverySerializer
    pagination_class = IdCursorPagination

    def get_queryset(self):
        endpoint = get_object_or_404(selectors.webhook_endpoints(), pk=self.kwargs["pk"])
        return selectors.webhook_deliveries(endpoint=endpoint)
