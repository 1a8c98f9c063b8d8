"""Import jobs: record what was handed in, run it on a worker in batches (resumable, each batch stored once),
retry failed items as a new job, and send again jobs whose message or worker was lost."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from factcheck.audit.transitions import transition
from factcheck.core import events
from factcheck.core.enqueue import enqueue_now, enqueue_on_commit
from factcheck.core.links import http_url

from ..importing import DEFAULT_POLICY, FetchPolicy, SourceItem, iter_upload, read_url
from ..models import ImportItem, ImportJob, ImportSource
from .storage import store_articles

logger = logging.getLogger(__name__)

# Items are stored in batches: one transaction, a few set-based queries per batch, never one per row.
IMPORT_BATCH_SIZE = 200
IMPORT_TASK = "articles.tasks.import_job_run_task"
# Worth retrying: the connection dropped, the query was cancelled, the server failed over.
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)


@dataclass(frozen=True)
class Upload:
    """A file handed in: its bytes, or an open file (an upload spooled to disk) read only when it is stored,
    one at a time, so a request with many big files never holds them all in memory."""

    name: str
    data: bytes | BinaryIO

    @property
    def size(self) -> int:
        if isinstance(self.data, bytes | bytearray):
            return len(self.data)
        return self.data.size

    def read(self) -> bytes:
        if isinstance(self.data, bytes | bytearray):
            return bytes(self.data)
        self.data.seek(0)
        return self.data.read()


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
        if upload.size > max_bytes:
            raise ValidationError(
                f"{upload.name} is {upload.size // (1024 * 1024)} MB; the limit is "
                f"{max_bytes // (1024 * 1024)} MB per file. Split it into smaller files."
            )
    if not label:
        names = [u.name for u in uploads] + list(urls)
        label = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    job = ImportJob.objects.create(
        created_by=created_by, source=source, label=label[:300], sources_total=len(uploads) + len(urls)
    )
    for position, upload in enumerate(uploads):
        # One file at a time: read, stored, let go.
        ImportSource.objects.create(
            job=job, position=position, kind=ImportSource.Kind.FILE, name=upload.name[:500], raw=upload.read()
        )
    ImportSource.objects.bulk_create(
        [
            ImportSource(job=job, position=len(uploads) + i, kind=ImportSource.Kind.URL, name=url[:500], url=url)
            for i, url in enumerate(urls)
        ]
    )
    logger.info("import job %s created with %s sources", job.pk, len(uploads) + len(urls))
    enqueue_import(job)
    return job


def fetch_policy(base: FetchPolicy = DEFAULT_POLICY) -> FetchPolicy:
    """The fetch guard's policy, opened only for the hosts the settings allow (tests' local servers)."""
    return dataclasses.replace(base, allow_hosts=frozenset(settings.IMPORT_FETCH_ALLOW_HOSTS))


def _read_source(source: ImportSource) -> Iterator[SourceItem]:
    """The source's items, read lazily: a big CSV or zip is stored batch by batch, never held whole."""
    if source.kind == ImportSource.Kind.URL:
        yield read_url(source.url, policy=fetch_policy())
    elif source.kind == ImportSource.Kind.RECORD:
        # A retried CSV/JSON row: its raw input is the row as a JSON object.
        for item in iter_upload("record.json", bytes(source.raw)):
            item.name, item.kind = source.name, "record"
            yield item
    else:
        yield from iter_upload(source.name, bytes(source.raw))


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a pending job (or resume a running one). Safe to call twice: each batch is stored once.

    A transient database error (connection dropped, query cancelled, failover) leaves the job running and
    propagates, so the task is retried with backoff and resumes where it stopped; any other error fails the
    job, and "Retry" then re-runs every item that was not stored.
    """
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        logger.warning("import job %s does not exist", job_id)
        return None
    now = timezone.now()
    claimed = job.status == ImportJob.Status.PENDING and transition(
        job, to=ImportJob.Status.RUNNING, by=None, values={"started_at": now, "heartbeat_at": now}
    )
    if not claimed:
        job.refresh_from_db()
        if job.status != ImportJob.Status.RUNNING:
            logger.info("import job %s is %s; nothing to do", job_id, job.status)
            return job
        # A redelivered, retried or re-queued task resumes a running job; stored batches are skipped.
        logger.info("import job %s resumes", job_id)
        _beat(job)
    try:
        # One source at a time: each holds a whole uploaded file, so fetching several at once would make the
        # worker's memory grow with the size of the job instead of the largest file.
        source_ids = list(job.sources.filter(done=False).order_by("position").values_list("pk", flat=True))
        for source_id in source_ids:
            _import_source(job, ImportSource.objects.get(pk=source_id))
    except TRANSIENT_DB_ERRORS:
        logger.warning("import job %s hit a transient database error; it will resume", job_id, exc_info=True)
        raise
    except Exception as exc:
        logger.exception("import job %s failed", job_id)
        error = f"The import stopped: {exc}"
        if transition(job, to=ImportJob.Status.FAILED, by=None, values={"finished_at": timezone.now(), "error": error}):
            events.announce(events.IMPORT_FINISHED, job_id=job.pk)
        raise
    job.refresh_from_db()
    final = ImportJob.Status.DONE_WITH_ERRORS if job.failed else ImportJob.Status.DONE
    if job.status == ImportJob.Status.RUNNING:
        if transition(job, to=final, by=None, values={"finished_at": timezone.now()}):
            events.announce(events.IMPORT_FINISHED, job_id=job.pk)
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


def _beat(job: ImportJob) -> None:
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(heartbeat_at=timezone.now())


def _import_source(job: ImportJob, source: ImportSource) -> None:
    skip = set()
    if source.resumes_id:
        # Items the failed job already stored from this source are not imported (nor recorded) again.
        skip = set(ImportItem.objects.filter(source_id=source.resumes_id).values_list("position", flat=True))
    items = enumerate(_read_source(source))
    while True:
        try:
            chunk = list(islice(items, IMPORT_BATCH_SIZE))
        except TRANSIENT_DB_ERRORS:
            raise
        except Exception as exc:  # a reader bug must not sink the job: record it against this source
            logger.exception("import job %s: reading %s failed", job.pk, source.name)
            raw = bytes(source.raw or b"")
            failed = SourceItem(name=source.name, kind="file", raw=raw, error=f"Could not read: {exc}")
            _store_batch(job, source, [(_next_free_position(source), failed)])
            break
        if not chunk:
            break
        batch = [(pos, item) for pos, item in chunk if pos not in skip]
        if batch:
            _store_batch(job, source, batch)
    with transaction.atomic():
        if ImportSource.objects.filter(pk=source.pk, done=False).update(done=True):
            ImportJob.objects.filter(pk=job.pk).update(sources_done=F("sources_done") + 1, heartbeat_at=timezone.now())


def _next_free_position(source: ImportSource) -> int:
    last = ImportItem.objects.filter(source=source).order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


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
            heartbeat_at=now,
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
    """Try again, in a new job, everything of a finished job that was not stored: its failed items, from their
    kept raw input (URLs are re-fetched), and, when the job failed part-way, the sources it never finished
    (whose stored items are skipped). The original job and its items stay as they were."""
    if not job.is_finished:
        raise ValidationError("This import is still running; retry its failed items once it has finished.")
    failed = list(job.items.filter(status=ImportItem.Status.FAILED).select_related("source").order_by("pk"))
    unfinished = list(job.sources.filter(done=False).order_by("position"))
    if not failed and not unfinished:
        raise ValidationError("This import has nothing to retry: every item was imported or is a duplicate.")
    parts = [f"{len(failed)} failed item(s)"] if failed else []
    if unfinished:
        parts.append(f"{len(unfinished)} unfinished source(s)")
    retry = ImportJob.objects.create(
        created_by=user,
        source=job.source,
        label=f"Retry of {' and '.join(parts)} from import #{job.pk}",
        sources_total=len(failed) + len(unfinished),
        retry_of=job,
    )
    sources = [_retry_source_for(item, i, retry) for i, item in enumerate(failed)]
    sources += [
        ImportSource(
            job=retry,
            position=len(failed) + i,
            kind=source.kind,
            name=source.name,
            url=source.url,
            raw=bytes(source.raw or b""),
            resumes=source,
        )
        for i, source in enumerate(unfinished)
    ]
    ImportSource.objects.bulk_create(sources)
    logger.info("import job %s retries %s of job %s", retry.pk, " and ".join(parts), job.pk)
    enqueue_import(retry)
    return retry


def import_jobs_requeue_stale(*, now=None) -> list[int]:
    """Send again jobs left behind: running ones whose heartbeat stopped (their worker died: a worker beats
    after every batch of a few seconds, so a silent minute means gone), and pending ones whose message may
    be lost. Safe because a run claims, resumes and skips stored batches; a job is not sent again until its
    last re-send had its chance."""
    now = now or timezone.now()
    settle = now - settings.IMPORT_REQUEUE_INTERVAL
    not_just_sent = Q(requeued_at__isnull=True) | Q(requeued_at__lt=settle) | Q(requeued_at__lt=F("heartbeat_at"))
    stale = list(
        ImportJob.objects.filter(
            Q(status=ImportJob.Status.RUNNING, heartbeat_at__lt=now - settings.IMPORT_HEARTBEAT_TIMEOUT)
            | Q(status=ImportJob.Status.RUNNING, heartbeat_at__isnull=True)
            | Q(status=ImportJob.Status.PENDING, created_at__lt=now - settings.IMPORT_PENDING_REQUEUE_AFTER)
        )
        .filter(not_just_sent)
        .order_by("created_at")
        .values_list("pk", flat=True)[:100]
    )
    for job_id in stale:
        if enqueue_now(IMPORT_TASK, job_id):
            logger.warning("import job %s looks stale; sent it to the workers again", job_id)
            ImportJob.objects.filter(pk=job_id).update(requeued_at=now)
    return stale
