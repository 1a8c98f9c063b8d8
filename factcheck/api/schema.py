"""What drf-spectacular needs to describe the API truthfully: the token scheme, who may call each operation
(public ones need no credentials) and the error responses every operation can give, in their one shape."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from .permissions import PUBLIC, check_for


class ErrorItemSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """Every error: a sentence and a code; invalid input adds `errors`, each field's problems by dotted path."""

    detail = serializers.CharField()
    code = serializers.CharField(help_text="e.g. invalid, not_authenticated, permission_denied, not_found, throttled")
    errors = serializers.DictField(
        child=ErrorItemSerializer(many=True), required=False, help_text="Only for code 'invalid' (status 400)."
    )


ERROR_RESPONSES = {
    "400": "Invalid input (a body, a filter, a cursor): `errors` lists each field's problems.",
    "401": "No valid credentials: send a session cookie or `Authorization: Bearer <token>`.",
    "403": "Your role does not allow this (the permission policy's sentence is in `detail`).",
    "404": "Not there, or not yours to see.",
    "429": "Too many requests for this token; `Retry-After` says when to try again.",
}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "factcheck.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A member's API token from their My settings page: `Authorization: Bearer fct_…`.",
        }


class DeskAutoSchema(AutoSchema):
    def _is_public(self) -> bool:
        return check_for(self.view, self.method) is PUBLIC

    def get_auth(self):
        auths = super().get_auth()
        if self._is_public() and {} not in auths:
            auths.append({})
        return auths

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = ["429"]
        if not self._is_public():
            codes += ["401", "403"]
        if self.method != "DELETE":
            codes.append("400")
        if "{" in self.path:
            codes.append("404")
        for code in sorted(codes):
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = ERROR_RESPONSES[code]
                responses[code] = response
        return responses
