"""Reads about feed subscriptions and the entries seen in them."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ..models import Feed, FeedEntry


def feeds_with_counts() -> QuerySet[Feed]:
    return Feed.objects.annotate(entries_total=Count("entries")).order_by("-active", "title", "url")


def feed_entries(*, feed: Feed) -> QuerySet[FeedEntry]:
    return feed.entries.select_related("job").order_by("-seen_at", "-pk")


def feeds_due(*, now=None) -> list[int]:
    """Ids of active feeds whose next poll time has come (or that were never polled)."""
    now = now or timezone.now()
    return list(
        Feed.objects.filter(active=True)
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .values_list("pk", flat=True)
    )


def feeds_by_name(*, limit: int = 200) -> QuerySet[Feed]:
    """Feeds by title for a filter's choices; a desk follows tens of feeds, the limit keeps the page bounded."""
    return Feed.objects.only("pk", "title", "url").order_by("title", "url", "pk")[:limit]
