"""Field mapping of structured uploads: which JSON keys and CSV columns become which article field.

Keys are matched case-insensitively, with spaces and hyphens read as underscores; the first
non-empty field in each list wins; any other keys or columns are ignored:

| article field | accepted keys |
|---|---|
| body (required) | text, body, content, article, article_body, articlebody, maintext, full_text |
| title | title, headline, name |
| url | url, link, canonical_url, source_url, href |
| author | author, authors, byline, creator, by — a string, or a list of strings or of {"name": ...} |
| published | published, date, published_at, publish_date, pubdate, date_published, datepublished, |
|  | publication_date, created_at |
| site name | site_name, sitename, source, domain, publisher, site, outlet — a string or {"name": ...} |

A record that can't become an article (no text, or a list or an object where text belongs) raises
RecordError, which its reader turns into a failed item. Without a title, the first
sentence of the text (shortened) is the title. Dates are read by dates.parse_date: ISO
8601 ("2019-03-01", "2019-03-01T10:00:00Z"), RFC 2822 ("Fri, 01 Mar 2019 10:00:00 GMT") or epoch
seconds; "01/03/2019"-style dates are not guessed, and an unreadable date is left empty rather than
failing the record. The FakeNewsCorpus columns (content, title, authors, domain, url) map onto
body, title, author, site name and url. The readers of JSON, JSON Lines and CSV are in structured.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .cleaning import clean_text, clean_title
from .dates import parse_date
from .items import ParsedArticle, too_long_to_clean

BODY_KEYS = ("text", "body", "content", "article", "article_body", "articlebody", "maintext", "full_text")
TITLE_KEYS = ("title", "headline", "name")
URL_KEYS = ("url", "link", "canonical_url", "source_url", "href")
AUTHOR_KEYS = ("author", "authors", "byline", "creator", "by")
DATE_KEYS = (
    "published",
    "date",
    "published_at",
    "publish_date",
    "pubdate",
    "date_published",
    "datepublished",
    "publication_date",
    "created_at",
)
SITE_KEYS = ("site_name", "sitename", "source", "domain", "publisher", "site", "outlet")

_MAX_GENERATED_TITLE = 100


class RecordError(ValueError):
    """A record can't become an article; the message is meant for a person."""


def norm_key(key: object) -> str:
    """A key or column name as the mapping matches it: "Published-At " -> "published_at"."""
    return re.sub(r"[\s-]+", "_", str(key).strip().casefold())


def _normalised(record: Mapping[Any, Any]) -> dict[str, Any]:
    return {norm_key(key): value for key, value in record.items() if key is not None}


def _first(record: Mapping[str, Any], keys: tuple[str, ...]) -> tuple[str, Any]:
    for key in keys:
        value = record.get(key)
        if value not in (None, "", [], {}):
            return key, value
    return "", None


def has_text(record: Mapping[Any, Any]) -> bool:
    """Whether one of the record's text fields is filled in (else it may be a wrapper around a list)."""
    return _first(_normalised(record), BODY_KEYS)[1] is not None


def describe_value(value: Any) -> str:
    """What kind of JSON value this is, in words for an error message."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a piece of text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return "nothing (null)"


def _as_text(value: Any, field: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Mapping) and isinstance(value.get("name"), str):
        return value["name"]
    raise RecordError(f"The “{field}” field should be text, but it holds {describe_value(value)}.")


def _authors(value: Any) -> str:
    if isinstance(value, list):
        names = [_as_text(item, "author") for item in value]
        return ", ".join(name.strip() for name in names if name.strip())
    return _as_text(value, "author")


def _title_from_body(body: str) -> str:
    first = body.split("\n\n", 1)[0]
    match = re.match(r"(.+?[.!?])(?:\s|$)", first)
    sentence = match.group(1) if match else first
    if len(sentence) > _MAX_GENERATED_TITLE:
        sentence = sentence[:_MAX_GENERATED_TITLE].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return sentence


def article_from_record(record: Mapping[str, Any]) -> ParsedArticle:
    """Map one JSON object / CSV row to an article; raises RecordError when there is no text."""
    fields = _normalised(record)
    body_key, body_value = _first(fields, BODY_KEYS)
    if body_value is None:
        present = [key for key in BODY_KEYS if key in fields]
        where = f"its “{present[0]}” field is empty" if present else "it has no text field"
        raise RecordError(
            f"No article text: {where}. Put the article text in a field or column named text, body or content."
        )
    author = _authors(_first(fields, AUTHOR_KEYS)[1])
    text = _as_text(body_value, body_key)
    if refusal := too_long_to_clean(text):
        raise RecordError(refusal)
    body = clean_text(text, author=author)
    if not body:
        raise RecordError(f"No article text: the “{body_key}” field holds only whitespace or page junk.")
    title = clean_title(_as_text(_first(fields, TITLE_KEYS)[1], "title"))
    return ParsedArticle(
        title=title or _title_from_body(body),
        body=body,
        url=clean_title(_as_text(_first(fields, URL_KEYS)[1], "url")),
        author=clean_title(author),
        published=parse_date(_first(fields, DATE_KEYS)[1]),
        site_name=clean_title(_as_text(_first(fields, SITE_KEYS)[1], "site_name")),
    )
