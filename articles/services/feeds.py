"""Feed subscriptions: subscribe, poll (each new entry becomes a URL in one import job), pause and resume."""

from __future__ import annotations

import dataclasses
import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from factcheck.core.enqueue import enqueue_on_commit
from factcheck.core.links import http_url

from ..importing import FEED_POLICY, FeedError, FetchError, fetch_url, parse_feed
from ..models import Feed, FeedEntry, ImportJob, ImportSource
from .imports import enqueue_import, fetch_policy

logger = logging.getLogger(__name__)

FEED_POLL_TASK = "articles.tasks.feed_poll_task"


@transaction.atomic
def feed_subscribe(*, url: str, created_by, title: str = "", interval_minutes: int = 60, poll_now: bool = True) -> Feed:
    """Subscribe to an RSS/Atom feed (or return the existing subscription); by default a worker polls it now."""
    url = http_url(url)
    if not url:
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
        entries = parse_feed(fetch_url(feed.url, policy=fetch_policy(FEED_POLICY)).body)
    except (FetchError, FeedError) as exc:
        logger.warning("feed %s poll failed: %s", feed.pk, exc)
        Feed.objects.filter(pk=feed.pk).update(last_polled_at=now, next_poll_at=next_poll, last_error=str(exc))
        return None
    with transaction.atomic():
        Feed.objects.select_for_update().filter(pk=feed.pk).first()  # one poll of a feed at a time
        seen = set(
            FeedEntry.objects.filter(feed=feed, guid__in=[e.guid for e in entries]).values_list("guid", flat=True)
        )
        new, guids, unlinked = [], set(), 0
        for entry in entries:
            if entry.guid in seen or entry.guid in guids:
                continue
            link = http_url(entry.link)
            if not link:
                unlinked += 1  # no http(s) page to fetch; a "javascript:" link is never stored
                continue
            guids.add(entry.guid)
            new.append(dataclasses.replace(entry, link=link))
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
            enqueue_import(job)
        Feed.objects.filter(pk=feed.pk).update(last_polled_at=now, next_poll_at=next_poll, last_error="")
    logger.info(
        "feed %s polled: %s entries, %s new, %s without an http(s) link", feed.pk, len(entries), len(new), unlinked
    )
    return job


@transaction.atomic
def feed_set_active(*, feed: Feed, active: bool) -> Feed:
    feed.active = active
    feed.save(update_fields=["active"])
    if active:
        _enqueue_feed_poll(feed)
    return feed
