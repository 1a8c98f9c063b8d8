"""One shape for every API error:

    {"detail": "<a sentence for people>", "code": "<a stable word for programs>"}

and, for invalid input (400, code "invalid"), every problem by field:

    {"detail": "verdict: Choose a verdict from the scale.", "code": "invalid",
     "errors": {"verdict": [{"detail": "Choose a verdict from the scale.", "code": "invalid_choice"}],
                "evidence.0.url": [{"detail": "Enter a valid URL.", "code": "invalid"}]}}

Field paths are dotted (nested objects and list positions); problems not tied to one field are under
"non_field_errors". The services' Django ValidationError and PermissionDenied come out the same way.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


def _flatten(detail, path: str, into: dict[str, list[dict]]) -> None:
    if isinstance(detail, dict):
        for key, value in detail.items():
            _flatten(value, f"{path}.{key}" if path else str(key), into)
    elif isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail | str) for item in detail):
            for item in detail:
                into.setdefault(path or NON_FIELD, []).append(
                    {"detail": str(item), "code": getattr(item, "code", None) or "invalid"}
                )
        else:
            for index, item in enumerate(detail):
                if item:  # DRF gives {} for the list items that were fine
                    _flatten(item, f"{path}.{index}" if path else str(index), into)
    else:
        into.setdefault(path or NON_FIELD, []).append(
            {"detail": str(detail), "code": getattr(detail, "code", None) or "invalid"}
        )


def validation_body(detail) -> dict:
    errors: dict[str, list[dict]] = {}
    _flatten(detail, "", errors)
    if not errors:
        errors[NON_FIELD] = [{"detail": "The request is invalid.", "code": "invalid"}]
    field, problems = next(iter(errors.items()))
    first = problems[0]["detail"]
    return {"detail": first if field == NON_FIELD else f"{field}: {first}", "code": "invalid", "errors": errors}


def _from_django_validation_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        detail = {
            (NON_FIELD if field == "__all__" else field): [
                exceptions.ErrorDetail(message, code=error.code or "invalid")
                for error in errors
                for message in error.messages
            ]
            for field, errors in exc.error_dict.items()
        }
    else:
        detail = [exceptions.ErrorDetail(message, code=exc.code or "invalid") for message in exc.messages]
    return exceptions.ValidationError(detail)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = _from_django_validation_error(exc)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        view = context.get("view")
        logger.exception("API error in %s", type(view).__name__ if view else "an API view", exc_info=exc)
        return Response(
            {"detail": "Something went wrong on our side; it has been logged. Try again later.", "code": "error"},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        response.data = validation_body(exc.detail)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        if isinstance(detail, dict | list):
            response.data = validation_body(detail) | {"code": exc.default_code}
        else:
            response.data = {"detail": str(detail), "code": getattr(detail, "code", None) or exc.default_code}
    return response


@csrf_exempt  # any method may end here; the answer is the same 404 (a CSRF page would be HTML)
def not_found(request, *args, **kwargs):
    """Unknown paths under /api/ answer in the API's shape, not with the site's HTML page."""
    return JsonResponse({"detail": "There is no API endpoint at this path.", "code": "not_found"}, status=404)
