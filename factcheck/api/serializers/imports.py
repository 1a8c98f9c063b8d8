"""Import jobs and their items as the API shows them, and what a new import may carry."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from articles.models import ImportItem, ImportJob
from factcheck.core.links import http_url

MAX_URLS = 500
MAX_RECORDS = 5000


class ImportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(ImportJob.Status.choices)
    source = serializers.ChoiceField(ImportJob.Source.choices)
    label = serializers.CharField()
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    finished = serializers.BooleanField(source="is_finished")
    percent = serializers.IntegerField()
    sources_total = serializers.IntegerField()
    sources_done = serializers.IntegerField()
    processed = serializers.IntegerField()
    succeeded = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    failed = serializers.IntegerField()
    error = serializers.CharField()
    retry_of = serializers.IntegerField(source="retry_of_id", allow_null=True)
    no_worker_suspected = serializers.BooleanField(
        help_text="Still pending after a while: probably no worker is running.", default=False
    )


class ImportItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    source_url = serializers.CharField()
    status = serializers.ChoiceField(ImportItem.Status.choices)
    error = serializers.CharField(help_text="Why it failed, in plain words.")
    article = serializers.IntegerField(
        source="article_id", allow_null=True, help_text="The article stored or duplicated."
    )
    processed_at = serializers.DateTimeField(allow_null=True)


class ImportItemFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(ImportItem.Status.choices, required=False)


class ImportCreateSerializer(serializers.Serializer):
    """Files (multipart `files`, several), URLs, or structured records (JSON objects with the fields of a CSV
    or JSON import: text/body, title, url, author, published, site_name …), in any mix."""

    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), required=False, default=list, max_length=200
    )
    urls = serializers.ListField(child=serializers.CharField(max_length=2000), required=False, default=list)
    records = serializers.ListField(child=serializers.DictField(), required=False, default=list)
    label = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)

    def validate_urls(self, urls):
        if len(urls) > MAX_URLS:
            raise serializers.ValidationError(f"At most {MAX_URLS} URLs per import; split them into several.")
        bad = [u for u in urls if not http_url(u)]
        if bad:
            raise serializers.ValidationError(f"Only http(s) URLs can be imported; check: {', '.join(bad[:3])}")
        return [u.strip() for u in urls]

    def validate_records(self, records):
        if len(records) > MAX_RECORDS:
            raise serializers.ValidationError(f"At most {MAX_RECORDS} records per import; split them into several.")
        return records

    def validate_files(self, files):
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        big = [f.name for f in files if f.size > limit]
        if big:
            raise serializers.ValidationError(
                f"{big[0]} is larger than the {limit // (1024 * 1024)} MB limit per file; split it."
            )
        return files

    def validate(self, data):
        if not (data.get("files") or data.get("urls") or data.get("records")):
            raise serializers.ValidationError("Send at least one file, URL or record to import.")
        return data
