"""Import jobs: record what was handed in, run it on a worker in batches (resumable, each batch stored once),
retry failed items as a new job, and send again jobs whose message or worker was lost."""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from factcheck.audit.transitions import transition
from factcheck.core.enqueue import enqueue_now, enqueue_on_commit
from factcheck.core.links import http_url

from ..importing import DEFAULT_POLICY, FetchPolicy, SourceItem, read_upload, read_url
from ..models import ImportItem, ImportJob, ImportSource
from .storage import store_articles

logger = logging.getLogger(__name__)

# Items are stored in batches: one transaction, a few set-based queries per batch, never one per row.
IMPORT_BATCH_SIZE = 200
IMPORT_TASK = "articles.tasks.import_job_run_task"


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def enqueue_import(job: ImportJob) -> None:
    # With the broker down the job stays pending (its page says so) and the stale-job sweep sends it again.
    enqueue_on_commit(IMPORT_TASK, job.pk)


@transaction.atomic
def import_job_create(
    *,
    created_by,
    uploads: Sequence[Upload] = (),
    urls: Sequence[str] = (),
    source: str = ImportJob.Source.UPLOAD,
    label: str = "",
) -> ImportJob:
    """Record what was handed in (files kept as bytes, URLs as given) and enqueue the import after commit."""
    urls = [u.strip() for u in urls if u.strip()]
    if not uploads and not urls:
        raise ValidationError("Nothing to import: choose at least one file or paste at least one URL.")
    refused = [u for u in urls if not http_url(u)]
    if refused:
        raise ValidationError(f"Only http(s) addresses can be imported; check: {', '.join(refused[:3])}")
    max_bytes = settings.IMPORT_MAX_UPLOAD_BYTES
    for upload in uploads:
        if len(upload.data) > max_bytes:
            raise ValidationError(
                f"{upload.name} is {len(upload.data) // (1024 * 1024)} MB; the limit is "
                f"{max_bytes // (1024 * 1024)} MB per file. Split it into smaller files."
            )
    if not label:
        names = [u.name for u in uploads] + list(urls)
        label = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    job = ImportJob.objects.create(
        created_by=created_by, source=source, label=label[:300], sources_total=len(uploads) + len(urls)
    )
    sources = [
        ImportSource(job=job, position=i, kind=ImportSource.Kind.FILE, name=u.name[:500], raw=u.data)
        for i, u in enumerate(uploads)
    ]
    sources += [
        ImportSource(job=job, position=len(uploads) + i, kind=ImportSource.Kind.URL, name=url[:500], url=url)
        for i, url in enumerate(urls)
    ]
    ImportSource.objects.bulk_create(sources)
    logger.info("import job %s created with %s sources", job.pk, len(sources))
    enqueue_import(job)
    return job


def fetch_policy(base: FetchPolicy = DEFAULT_POLICY) -> FetchPolicy:
    """The fetch guard's policy, opened only for the hosts the settings allow (tests' local servers)."""
    return dataclasses.replace(base, allow_hosts=frozenset(settings.IMPORT_FETCH_ALLOW_HOSTS))


def _read_source(source: ImportSource) -> list[SourceItem]:
    if source.kind == ImportSource.Kind.URL:
        return [read_url(source.url, policy=fetch_policy())]
    if source.kind == ImportSource.Kind.RECORD:
        # A retried CSV/JSON row: its raw input is the row as a JSON object.
        items = read_upload("record.json", bytes(source.raw))
        for item in items:
            item.name, item.kind = source.name, "record"
        return items
    return read_upload(source.name, bytes(source.raw))


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a pending job (or resume a running one). Safe to call twice: each batch is stored once."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        logger.warning("import job %s does not exist", job_id)
        return None
    claimed = job.status == ImportJob.Status.PENDING and transition(
        job, to=ImportJob.Status.RUNNING, by=None, values={"started_at": timezone.now()}
    )
    if not claimed:
        job.refresh_from_db()
        if job.status != ImportJob.Status.RUNNING:
            logger.info("import job %s is %s; nothing to do", job_id, job.status)
            return job
        # A redelivered or re-queued task resumes a running job; stored batches are skipped.
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING).update(started_at=timezone.now())
    try:
        # One source at a time: each holds a whole uploaded file, so fetching several at once would make the
        # worker's memory grow with the size of the job instead of the largest file.
        source_ids = list(job.sources.filter(done=False).order_by("position").values_list("pk", flat=True))
        for source_id in source_ids:
            _import_source(job, ImportSource.objects.get(pk=source_id))
    except Exception as exc:
        logger.exception("import job %s failed", job_id)
        error = f"The import stopped: {exc}"
        transition(job, to=ImportJob.Status.FAILED, by=None, values={"finished_at": timezone.now(), "error": error})
        raise
    job.refresh_from_db()
    final = ImportJob.Status.DONE_WITH_ERRORS if job.failed else ImportJob.Status.DONE
    if job.status == ImportJob.Status.RUNNING:
        transition(job, to=final, by=None, values={"finished_at": timezone.now()})
        job.refresh_from_db()
    logger.info(
        "import job %s %s: %s imported, %s duplicates, %s failed",
        job.pk,
        job.status,
        job.succeeded,
        job.duplicates,
        job.failed,
    )
    return job


def _import_source(job: ImportJob, source: ImportSource) -> None:
    try:
        items = _read_source(source)
    except Exception as exc:  # a reader bug must not sink the batch: record it against this source
        logger.exception("import job %s: reading %s failed", job.pk, source.name)
        items = [
            SourceItem(name=source.name, kind="file", raw=bytes(source.raw or b""), error=f"Could not read: {exc}")
        ]
    for start in range(0, len(items), IMPORT_BATCH_SIZE):
        _store_batch(job, source, list(enumerate(items[start : start + IMPORT_BATCH_SIZE], start=start)))
    with transaction.atomic():
        if ImportSource.objects.filter(pk=source.pk, done=False).update(done=True):
            ImportJob.objects.filter(pk=job.pk).update(sources_done=F("sources_done") + 1)


def _store_batch(job: ImportJob, source: ImportSource, batch: list[tuple[int, SourceItem]]) -> None:
    now = timezone.now()
    with transaction.atomic():
        # Lock the source so that a redelivered task running beside the first one waits here, then skips
        # what the first already stored: a batch is stored whole or not at all, and only once.
        ImportSource.objects.select_for_update().filter(pk=source.pk).first()
        stored = set(
            ImportItem.objects.filter(source=source, position__in=[pos for pos, _ in batch]).values_list(
                "position", flat=True
            )
        )
        batch = [(pos, item) for pos, item in batch if pos not in stored]
        if not batch:
            return
        parsed = [(pos, item) for pos, item in batch if item.article is not None and not item.error]
        outcomes = store_articles([item.article for _, item in parsed], imported_by=job.created_by)
        outcome_by_pos = {pos: outcome for (pos, _), outcome in zip(parsed, outcomes, strict=True)}
        rows = []
        counts = {"ok": 0, "dup": 0, "fail": 0}
        for pos, item in batch:
            outcome = outcome_by_pos.get(pos)
            if outcome is None:
                status, article_id, error = ImportItem.Status.FAILED, None, item.error or "Nothing to import."
                counts["fail"] += 1
            elif outcome.created:
                status, article_id, error = ImportItem.Status.IMPORTED, outcome.article_id, ""
                counts["ok"] += 1
            else:
                status, article_id, error = ImportItem.Status.DUPLICATE, outcome.article_id, ""
                counts["dup"] += 1
            rows.append(
                ImportItem(
                    job=job,
                    source=source,
                    position=pos,
                    name=item.name[:500],
                    kind=item.kind[:20],
                    source_url=(item.source_url or "")[:2000],
                    raw=item.raw,
                    status=status,
                    error=error,
                    article_id=article_id,
                    processed_at=now,
                )
            )
        ImportItem.objects.bulk_create(rows)
        ImportJob.objects.filter(pk=job.pk).update(
            processed=F("processed") + len(rows),
            succeeded=F("succeeded") + counts["ok"],
            duplicates=F("duplicates") + counts["dup"],
            failed=F("failed") + counts["fail"],
        )


def _retry_source_for(item: ImportItem, position: int, job: ImportJob) -> ImportSource:
    if item.kind == "url" or (item.source.kind == ImportSource.Kind.URL and not item.raw):
        url = item.source.url or item.source_url or item.name
        return ImportSource(job=job, position=position, kind=ImportSource.Kind.URL, name=url[:500], url=url)
    if "#" in item.name and item.kind in {"csv", "json", "jsonl", "record"}:
        kind = ImportSource.Kind.RECORD
    else:
        kind = ImportSource.Kind.FILE
    return ImportSource(job=job, position=position, kind=kind, name=item.name, raw=bytes(item.raw))


@transaction.atomic
def import_job_retry_failed(*, job: ImportJob, user) -> ImportJob:
    """Try a finished job's failed items again in a new job, from their kept raw input (URLs are re-fetched).

    The original job and its items stay as they were, so the history of what failed is never rewritten.
    """
    if not job.is_finished:
        raise ValidationError("This import is still running; retry its failed items once it has finished.")
    failed = list(job.items.filter(status=ImportItem.Status.FAILED).select_related("source").order_by("pk"))
    if not failed:
        raise ValidationError("This import has no failed items to retry.")
    retry = ImportJob.objects.create(
        created_by=user,
        source=job.source,
        label=f"Retry of {len(failed)} failed item(s) from import #{job.pk}",
        sources_total=len(failed),
        retry_of=job,
    )
    ImportSource.objects.bulk_create([_retry_source_for(item, i, retry) for i, item in enumerate(failed)])
    logger.info("import job %s retries %s failed items of job %s", retry.pk, len(failed), job.pk)
    enqueue_import(retry)
    return retry


def import_jobs_requeue_stale(*, pending_for: datetime.timedelta, running_for: datetime.timedelta) -> list[int]:
    """Enqueue again jobs left behind: pending ones whose message was lost, running ones whose worker died
    or hit its time limit. Safe because a job run claims, resumes and skips stored batches."""
    now = timezone.now()
    stale = list(
        ImportJob.objects.filter(
            Q(status=ImportJob.Status.PENDING, created_at__lt=now - pending_for)
            | Q(status=ImportJob.Status.RUNNING, started_at__lt=now - running_for)
        ).values_list("pk", flat=True)[:100]
    )
    for job_id in stale:
        logger.warning("import job %s looks stale; enqueueing it again", job_id)
        enqueue_now(IMPORT_TASK, job_id)
    return stale
