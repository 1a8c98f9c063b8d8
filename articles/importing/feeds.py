"""RSS/Atom feed parsing with feedparser (the caller fetches the bytes, e.g. with fetch_url)."""

from __future__ import annotations

import datetime
import hashlib
import io
from dataclasses import dataclass
from html.parser import HTMLParser

import feedparser

from .cleaning import clean_text, clean_title
from .dates import utc_datetime


class FeedError(ValueError):
    """The bytes are not a feed we can read; the message is meant for a person."""


@dataclass
class FeedEntry:
    guid: str  # stable id for "seen before?": the entry id, else its link, else a hash of title+date
    link: str
    title: str
    published: datetime.datetime | None  # aware, UTC
    summary: str  # plain text


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
    summary = entry.get("summary") or ""
    return FeedEntry(guid=guid, link=link, title=title, published=published, summary=html_to_text(summary))


class _TextCollector(HTMLParser):
    _BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"})
    _HIDDEN = frozenset({"script", "style", "noscript", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed summary), paragraphs kept, scripts dropped."""
    if "<" not in fragment:
        return clean_text(fragment)
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    return clean_text("".join(collector.parts))
