"""The value types passed between the import readers and the Django side."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    body: str  # cleaned text, paragraphs separated by exactly "\n\n"
    url: str = ""  # canonical URL if known
    author: str = ""
    published: datetime.date | None = None
    site_name: str = ""


@dataclass
class SourceItem:
    """One thing a person submitted (a file, a zip member, a CSV row, a URL) and what became of it.

    Exactly one of `article` and `error` is set. `raw` may be empty when the input was refused
    before it was read (an oversized zip member is never decompressed).
    """

    name: str  # "a.txt", "batch.zip/folder/b.html", "rows.csv#row 3", a URL
    kind: str  # "txt", "html", "json", "jsonl", "csv", "zip", "unknown", "url", "feed-entry"
    raw: bytes
    article: ParsedArticle | None = None
    error: str = ""
    source_url: str = ""

    @property
    def ok(self) -> bool:
        return self.article is not None


@dataclass(frozen=True)
class ImportLimits:
    max_file_bytes: int = 20 * MB  # any single upload or zip member
    max_html_bytes: int = 5 * MB  # HTML extraction time grows with page size
    max_zip_members: int = 1000
    max_zip_total_bytes: int = 200 * MB  # uncompressed, over the whole archive incl. nested zips
    max_zip_ratio: int = 100  # uncompressed/compressed, checked on members over 1 MB
    max_zip_depth: int = 1  # a zip inside a zip is fine, one more level is not
    max_records: int = 10_000  # rows per CSV/JSON/JSONL file
    max_paragraph_chars: int = 100_000  # a longer "paragraph" is data or lost line breaks
    max_article_chars: int = 1_000_000


DEFAULT_LIMITS = ImportLimits()


def too_long_to_clean(text: str, limits: ImportLimits = DEFAULT_LIMITS) -> str:
    """Why a text is refused before cleaning ("" when it is not): cleaning costs many times the text's size
    in memory, and a text over twice the article limit cannot clean down to one article anyway."""
    if len(text) <= 2 * limits.max_article_chars:
        return ""
    return (
        f"The text is {len(text):,} characters long; the limit for one article is {limits.max_article_chars:,}. "
        "Split it into several articles."
    )
