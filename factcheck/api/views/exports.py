"""Every settled verdict as CSV or JSON, streamed a batch at a time from one query (as the CSV page does)."""

from __future__ import annotations

from datetime import date

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer

from factcheck.accounts import policy
from reviews.publishing.exports import in_pieces, verdict_csv_pieces, verdict_json_pieces
from reviews.publishing.selectors import settled_statement_rows

from ..serializers.publishing import VerdictExportRowSerializer
from .base import ApiView, FirstRenderer


def _stream(chunks, content_type: str, extension: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(in_pieces(chunks), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="verdicts-{date.today().isoformat()}.{extension}"'
    return response


class _ExportView(ApiView):
    policy = {"GET": policy.can_publish}
    throttle_scope = "export"
    renderer_classes = [JSONRenderer]  # for errors; the export itself streams in its own type
    content_negotiation_class = FirstRenderer

    def rows(self):
        return settled_statement_rows()


class VerdictsCsvView(_ExportView):
    @extend_schema(
        operation_id="exports_verdicts_csv",
        summary="Settled verdicts as CSV",
        description="One line per settled statement; cells a spreadsheet would run as formulas are neutralised.",
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV with a header line")},
    )
    def get(self, request):
        return _stream(verdict_csv_pieces(self.rows()), "text/csv; charset=utf-8", "csv")


class VerdictsJsonView(_ExportView):
    @extend_schema(
        operation_id="exports_verdicts_json",
        summary="Settled verdicts as JSON",
        description="A JSON array, one object per settled statement (verdict values with their labels).",
        responses={200: VerdictExportRowSerializer(many=True)},
    )
    def get(self, request):
        return _stream(verdict_json_pieces(self.rows()), "application/json", "json")
