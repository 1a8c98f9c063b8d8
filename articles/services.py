"""Writes for articles: creating import jobs, running them, storing articles and their statements."""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from factcheck.core.enqueue import enqueue_now, enqueue_on_commit

from . import scoring
from .importing import (
    DEFAULT_POLICY,
    FEED_POLICY,
    FeedError,
    FetchError,
    FetchPolicy,
    ParsedArticle,
    SourceItem,
    content_hash,
    fetch_url,
    parse_feed,
    read_upload,
    read_url,
)
from .models import Article, Feed, FeedEntry, ImportItem, ImportJob, ImportSource, Statement
from .splitting import split_statements

logger = logging.getLogger(__name__)

# Items are stored in batches: one transaction, a few set-based queries per batch, never one per row.
IMPORT_BATCH_SIZE = 200

JOB_TRANSITIONS = {
    ImportJob.Status.PENDING: {ImportJob.Status.RUNNING},
    ImportJob.Status.RUNNING: {
        ImportJob.Status.DONE,
        ImportJob.Status.DONE_WITH_ERRORS,
        ImportJob.Status.FAILED,
    },
    # Retrying failed items reopens a finished job.
    ImportJob.Status.DONE_WITH_ERRORS: {ImportJob.Status.PENDING},
    ImportJob.Status.FAILED: {ImportJob.Status.PENDING},
    ImportJob.Status.DONE: set(),
}


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


IMPORT_TASK = "articles.tasks.import_job_run_task"
FEED_POLL_TASK = "articles.tasks.feed_poll_task"


def _enqueue_import(job: ImportJob) -> None:
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
    _enqueue_import(job)
    return job


def _fetch_policy(base: FetchPolicy = DEFAULT_POLICY) -> FetchPolicy:
    return dataclasses.replace(base, allow_hosts=frozenset(settings.IMPORT_FETCH_ALLOW_HOSTS))


def _read_source(source: ImportSource) -> list[SourceItem]:
    if source.kind == ImportSource.Kind.URL:
        return [read_url(source.url, policy=_fetch_policy())]
    if source.kind == ImportSource.Kind.RECORD:
        # A retried CSV/JSON row: its raw input is the row as a JSON object.
        items = read_upload("record.json", bytes(source.raw))
        for item in items:
            item.name, item.kind = source.name, "record"
        return items
    return read_upload(source.name, bytes(source.raw))


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a pending job (or resume a running one). Safe to call twice: each batch is stored once."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        # A redelivered or re-queued task resumes a running job; stored batches are skipped.
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING).update(started_at=timezone.now())
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        logger.warning("import job %s does not exist", job_id)
        return None
    if not claimed and job.status != ImportJob.Status.RUNNING:
        logger.info("import job %s is %s; nothing to do", job_id, job.status)
        return job
    try:
        # One source at a time: each holds a whole uploaded file, so fetching several at once would make the
        # worker's memory grow with the size of the job instead of the largest file.
        source_ids = list(job.sources.filter(done=False).order_by("position").values_list("pk", flat=True))
        for source_id in source_ids:
            _import_source(job, ImportSource.objects.get(pk=source_id))
    except Exception as exc:
        logger.exception("import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now(), error=f"The import stopped: {exc}"
        )
        raise
    job.refresh_from_db()
    final = ImportJob.Status.DONE_WITH_ERRORS if job.failed else ImportJob.Status.DONE
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING).update(
        status=final, finished_at=timezone.now()
    )
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
            total=F("total") + len(rows),
            processed=F("processed") + len(rows),
            succeeded=F("succeeded") + counts["ok"],
            duplicates=F("duplicates") + counts["dup"],
            failed=F("failed") + counts["fail"],
        )


@dataclass(frozen=True)
class StoreOutcome:
    article_id: int
    created: bool


def store_articles(articles: Sequence[ParsedArticle], *, imported_by=None) -> list[StoreOutcome]:
    """Insert new articles with their scored statements; same content hash or URL → the existing article.

    Runs in the caller's transaction. Set-based: one lookup, one insert of articles, one of statements.
    """
    if not articles:
        return []
    articles = [_with_safe_url(a) for a in articles]
    hashes = [content_hash(a) for a in articles]
    urls = [a.url for a in articles if a.url]
    existing = Article.objects.filter(Q(content_hash__in=hashes) | Q(url__in=urls)).values_list(
        "pk", "content_hash", "url"
    )
    by_hash: dict[str, int] = {}
    by_url: dict[str, int] = {}
    for pk, h, url in existing:
        by_hash[h] = pk
        if url:
            by_url[url] = pk

    results: list[StoreOutcome | None] = [None] * len(articles)
    same_as: dict[int, int] = {}  # index of a repeat inside this batch -> index of its first occurrence
    new_articles: list[tuple[int, Article]] = []
    pending_hash: dict[str, int] = {}  # duplicates inside this batch point at the first occurrence
    pending_url: dict[str, int] = {}
    for i, (parsed, h) in enumerate(zip(articles, hashes, strict=True)):
        known = by_hash.get(h) or (by_url.get(parsed.url) if parsed.url else None)
        if known:
            results[i] = StoreOutcome(known, False)
            continue
        first = pending_hash.get(h)
        if first is None and parsed.url:
            first = pending_url.get(parsed.url)
        if first is not None:
            same_as[i] = first
            continue
        pending_hash[h] = i
        if parsed.url:
            pending_url[parsed.url] = i
        new_articles.append((i, _article_row(parsed, h, imported_by)))

    if new_articles:
        try:
            with transaction.atomic():
                created = Article.objects.bulk_create([a for _, a in new_articles])
        except IntegrityError:
            # Another job stored one of these meanwhile: fall back to one at a time for this batch.
            created = [_get_or_create_article(a) for _, a in new_articles]
        fresh = []
        for (i, _), (article, was_created) in zip(new_articles, _as_pairs(created), strict=True):
            results[i] = StoreOutcome(article.pk, was_created)
            if was_created:
                fresh.append(article)
        _store_statements(fresh)
    for i, first in same_as.items():
        results[i] = StoreOutcome(results[first].article_id, False)  # type: ignore[union-attr]
    return results  # type: ignore[return-value]


def _as_pairs(created: list) -> list[tuple[Article, bool]]:
    return [c if isinstance(c, tuple) else (c, True) for c in created]


def _get_or_create_article(article: Article) -> tuple[Article, bool]:
    existing = Article.objects.filter(Q(content_hash=article.content_hash) | (Q(url=article.url) & ~Q(url=""))).first()
    if existing:
        return existing, False
    with transaction.atomic():
        article.save()
    return article, True


def _with_safe_url(article: ParsedArticle) -> ParsedArticle:
    """Keep only http(s) URLs: an imported "javascript:" or "data:" link must never become a link on a page."""
    url = (article.url or "").strip()
    if url and (not url.lower().startswith(("http://", "https://")) or len(url) > 2000):
        return dataclasses.replace(article, url="")
    return article if url == article.url else dataclasses.replace(article, url=url)


def _article_row(parsed: ParsedArticle, digest: str, imported_by) -> Article:
    return Article(
        title=(parsed.title or "Untitled")[:500],
        body=parsed.body,
        url=(parsed.url or "")[:2000],
        author=(parsed.author or "")[:300],
        published=parsed.published,
        site_name=(parsed.site_name or "")[:200],
        content_hash=digest,
        imported_by=imported_by,
    )


def _store_statements(articles: Iterable[Article]) -> None:
    rows: list[Statement] = []
    for article in articles:
        spans = split_statements(article.body)
        rows.extend(
            Statement(article=article, position=i, start=span.start, end=span.end, text=span.text)
            for i, span in enumerate(spans)
        )
    _score_into(rows)
    Statement.objects.bulk_create(rows, batch_size=1000)


def _score_into(statements: list[Statement]) -> None:
    """Set score, reasons, model name and the initial checkability on unsaved statements."""
    if not statements:
        return
    scores, model_name = scoring.score_texts([s.text for s in statements])
    threshold = settings.CHECKWORTHINESS_THRESHOLD
    for statement, score in zip(statements, scores, strict=True):
        statement.score = min(1.0, max(0.0, float(score.score)))
        statement.score_reasons = list(score.reasons)
        statement.scored_by = model_name
        statement.checkability = (
            Statement.Checkability.CHECKABLE
            if statement.score >= threshold
            else Statement.Checkability.CANDIDATE_NOT_CHECKABLE
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
    _enqueue_import(retry)
    return retry


# -- Feeds ---------------------------------------------------------------------------------------


@transaction.atomic
def feed_subscribe(*, url: str, created_by, title: str = "", interval_minutes: int = 60, poll_now: bool = True) -> Feed:
    """Subscribe to an RSS/Atom feed (or return the existing subscription); by default a worker polls it now."""
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        raise ValidationError("A feed address must start with http:// or https://.")
    if interval_minutes < 5:
        raise ValidationError("Poll a feed at most every 5 minutes.")
    feed, created = Feed.objects.get_or_create(
        url=url, defaults={"title": title.strip(), "interval_minutes": interval_minutes, "created_by": created_by}
    )
    if not created and not feed.active:
        feed.active = True
        feed.save(update_fields=["active"])
    if poll_now:
        _enqueue_feed_poll(feed)
    return feed


def feed_poll_soon(*, feed: Feed) -> None:
    """Ask a worker to poll this feed now rather than at its next scheduled time."""
    _enqueue_feed_poll(feed)


def _enqueue_feed_poll(feed: Feed) -> None:
    enqueue_on_commit(FEED_POLL_TASK, feed.pk)


def feed_poll(*, feed_id: int) -> ImportJob | None:
    """Fetch a feed and import its entries not seen before, as one URL import job.

    The (feed, guid) unique constraint is what guarantees an entry is never imported twice, even when
    two polls of the same feed overlap.
    """
    feed = Feed.objects.filter(pk=feed_id, active=True).first()
    if feed is None:
        return None
    now = timezone.now()
    next_poll = now + datetime.timedelta(minutes=feed.interval_minutes)
    try:
        entries = parse_feed(fetch_url(feed.url, policy=_fetch_policy(FEED_POLICY)).body)
    except (FetchError, FeedError) as exc:
        logger.warning("feed %s poll failed: %s", feed.pk, exc)
        Feed.objects.filter(pk=feed.pk).update(last_polled_at=now, next_poll_at=next_poll, last_error=str(exc))
        return None
    with transaction.atomic():
        Feed.objects.select_for_update().filter(pk=feed.pk).first()  # one poll of a feed at a time
        seen = set(
            FeedEntry.objects.filter(feed=feed, guid__in=[e.guid for e in entries]).values_list("guid", flat=True)
        )
        new, guids = [], set()
        for entry in entries:
            if entry.guid in seen or entry.guid in guids or not entry.link:
                continue
            guids.add(entry.guid)
            new.append(entry)
        job = None
        if new:
            job = ImportJob.objects.create(
                source=ImportJob.Source.FEED,
                label=f"{feed} · {len(new)} new entr{'y' if len(new) == 1 else 'ies'}",
                sources_total=len(new),
            )
            ImportSource.objects.bulk_create(
                [
                    ImportSource(job=job, position=i, kind=ImportSource.Kind.URL, name=e.link[:500], url=e.link)
                    for i, e in enumerate(new)
                ]
            )
            FeedEntry.objects.bulk_create(
                [
                    FeedEntry(
                        feed=feed,
                        guid=e.guid[:1000],
                        link=e.link[:2000],
                        title=e.title[:500],
                        published=e.published,
                        job=job,
                    )
                    for e in new
                ]
            )
            _enqueue_import(job)
        Feed.objects.filter(pk=feed.pk).update(last_polled_at=now, next_poll_at=next_poll, last_error="")
    logger.info("feed %s polled: %s entries, %s new", feed.pk, len(entries), len(new))
    return job


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


def feeds_due(*, now=None) -> list[int]:
    """Ids of active feeds whose next poll time has come (or that were never polled)."""
    now = now or timezone.now()
    return list(
        Feed.objects.filter(active=True)
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .values_list("pk", flat=True)
    )


@transaction.atomic
def feed_set_active(*, feed: Feed, active: bool) -> Feed:
    feed.active = active
    feed.save(update_fields=["active"])
    if active:
        _enqueue_feed_poll(feed)
    return feed
