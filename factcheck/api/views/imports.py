"""Imports: create a job from files, URLs or records; follow it (counts and each item's outcome); retry it."""

from __future__ import annotations

import json

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from articles.selectors import imports as selectors
from articles.services import imports as services
from factcheck.accounts import policy
from factcheck.core.uploads import request_too_big

from ..pagination import IdCursorPagination, OldestFirstPagination
from ..serializers.imports import (
    ImportCreateSerializer,
    ImportItemFilterSerializer,
    ImportItemSerializer,
    ImportJobSerializer,
)
from .base import ApiView

MB = 1024 * 1024


def _job_data(job) -> dict:
    job.no_worker_suspected = selectors.no_worker_suspected(job)
    return ImportJobSerializer(job).data


def _created(job) -> Response:
    return Response(
        _job_data(job),
        status=status.HTTP_201_CREATED,
        headers={"Location": reverse("api:import-detail", args=[job.pk])},
    )


class ImportListView(ApiView, generics.ListCreateAPIView):
    policy = {"GET": policy.can_import, "POST": policy.can_import}
    serializer_class = ImportJobSerializer
    pagination_class = IdCursorPagination
    parser_classes = [JSONParser, MultiPartParser]
    throttle_scopes = {"POST": "import"}

    def get_queryset(self):
        return selectors.import_jobs_for(user=self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([_job_data(job) for job in page])

    @extend_schema(
        summary="Import articles",
        description="Files as multipart `files` (several; `urls` may be repeated there too, or one per line), or "
        "JSON with `urls` and/or `records` (objects with the fields of a CSV/JSON import: text or body, title, "
        "url, author, published, site_name …). Answers at once with the pending job; follow it at its URL.",
        request={"multipart/form-data": ImportCreateSerializer, "application/json": ImportCreateSerializer},
        responses={201: ImportJobSerializer, 413: None},
    )
    def post(self, request, *args, **kwargs):
        if request_too_big(request):
            limit = settings.UPLOAD_MAX_REQUEST_BYTES // MB
            return Response(
                {"detail": f"At most {limit} MB can be sent at once; send the files in several imports.",
                 "code": "request_too_large"},
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )  # fmt: skip
        data = request.data
        if hasattr(data, "getlist"):  # multipart: repeated fields, and URLs one per line as on the page
            data = {
                "files": data.getlist("files"),
                "urls": [line for value in data.getlist("urls") for line in str(value).splitlines() if line.strip()],
                "label": data.get("label", ""),
            }
        serializer = ImportCreateSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        uploads = [services.Upload(name=f.name, data=f) for f in values["files"]]
        if values["records"]:
            records = json.dumps(values["records"], ensure_ascii=False).encode()
            uploads.append(services.Upload(name="records.json", data=records))
        job = services.import_job_create(
            created_by=request.user, uploads=uploads, urls=values["urls"], label=values["label"]
        )
        return _created(job)


class ImportDetailView(ApiView):
    policy = {"GET": policy.can_import}
    serializer_class = ImportJobSerializer

    def get(self, request, pk: int):
        job = get_object_or_404(selectors.import_jobs_for(user=request.user), pk=pk)
        return Response(_job_data(job))


@extend_schema(parameters=[ImportItemFilterSerializer])
class ImportItemListView(ApiView, generics.ListAPIView):
    """Each item's outcome (imported, duplicate with its article, failed with the reason), in the order handed in."""

    policy = {"GET": policy.can_import}
    serializer_class = ImportItemSerializer
    pagination_class = OldestFirstPagination

    def get_queryset(self):
        job = get_object_or_404(selectors.import_jobs_for(user=self.request.user), pk=self.kwargs["pk"])
        return selectors.import_items_for(job=job, status=self.filters(ImportItemFilterSerializer).get("status"))


class ImportRetryView(ApiView):
    policy = {"POST": policy.can_import}
    throttle_scope = "import"
    serializer_class = ImportJobSerializer

    @extend_schema(
        summary="Retry a finished job's failed items",
        description="Makes a new job of the failed items and unfinished sources; the original stays as it was.",
        request=None,
        responses={201: ImportJobSerializer},
    )
    def post(self, request, pk: int):
        job = get_object_or_404(selectors.import_jobs_for(user=request.user), pk=pk)
        return _created(services.import_job_retry_failed(job=job, user=request.user))
