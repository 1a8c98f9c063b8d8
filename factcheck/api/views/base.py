"""What every API view shares: the policy per method, filters validated like any input, JSON only."""

from __future__ import annotations

from rest_framework import generics
from rest_framework.negotiation import BaseContentNegotiation


class ApiView(generics.GenericAPIView):
    """`policy` maps each HTTP method to the permission policy's predicate (or permissions.PUBLIC)."""

    policy: dict = {}

    def filters(self, serializer_class) -> dict:
        """The query string validated by `serializer_class`; invalid filters are a 400 like any input."""
        serializer = serializer_class(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class FirstRenderer(BaseContentNegotiation):
    """Streams answer in their own type whatever the client accepts; errors before that are JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
