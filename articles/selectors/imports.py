"""Reads about import jobs and their items, scoped to who may see them."""

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from ..models import ImportItem, ImportJob


def import_jobs_for(*, user) -> QuerySet[ImportJob]:
    """Jobs an importer may see: all of them (imports are a desk-wide concern)."""
    return ImportJob.objects.select_related("created_by")


def import_items_for(*, job: ImportJob, status: str | None = None) -> QuerySet[ImportItem]:
    """A job's items in the order they were handed in, without their raw bytes."""
    items = job.items.select_related("article").defer("raw").order_by("source__position", "position")
    if status:
        items = items.filter(status=status)
    return items


def import_item_raw(*, pk: int) -> QuerySet[ImportItem]:
    """The one item, with only what its download needs."""
    return ImportItem.objects.filter(pk=pk).only("pk", "name", "raw")


def no_worker_suspected(job: ImportJob) -> bool:
    """A job still pending after a while: probably no worker is consuming the queue."""
    waited = timezone.now() - job.created_at
    return job.status == ImportJob.Status.PENDING and waited > settings.IMPORT_PENDING_WARNING_AFTER


def failed_import_jobs() -> QuerySet[ImportJob]:
    """Jobs that failed or left failed items, newest first (the importjob_failed index); the caller slices."""
    failed = [ImportJob.Status.FAILED, ImportJob.Status.DONE_WITH_ERRORS]
    return ImportJob.objects.filter(status__in=failed).order_by("-created_at", "-pk")
