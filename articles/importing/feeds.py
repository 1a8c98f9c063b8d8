"""RSS/Atom feed parsing with feedparser (the caller fetches the bytes, e.g. with fetch_url)."""

from __future__ import annotations

import datetime
import hashlib
import io
from dataclasses import dataclass

import feedparser

from .cleaning import clean_title
from .dates import utc_datetime


class FeedError(ValueError):
    """The bytes are not a feed we can read; the message is meant for a person."""


@dataclass
class FeedEntry:
    guid: str  # stable id for "seen before?": the entry id, else its link, else a hash of title+date
    link: str
    title: str
    published: datetime.datetime | None  # aware, UTC


def parse_feed(data: bytes) -> list[FeedEntry]:
    """Entries of an RSS or Atom feed, in feed order. Raises FeedError when data is not a feed."""
    if not data or not data.strip():
        raise FeedError("The feed is empty.")
    # A stream, so feedparser never treats the input as a URL or a file path to open.
    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=True, sanitize_html=True)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f" ({problem})" if problem else ""
        raise FeedError(
            f"This is not an RSS or Atom feed{detail}. Check that the address points to the feed itself, "
            "not to the site's home page."
        )
    return [_entry(entry) for entry in parsed.entries]


def _entry(entry: feedparser.FeedParserDict) -> FeedEntry:
    link = (entry.get("link") or "").strip()
    title = clean_title(entry.get("title") or "")
    published = utc_datetime(entry.get("published_parsed") or entry.get("updated_parsed"))
    guid = (entry.get("id") or "").strip() or link
    if not guid:
        guid = "sha256:" + hashlib.sha256(f"{title}\n{published}".encode()).hexdigest()
    return FeedEntry(guid=guid, link=link, title=title, published=published)
