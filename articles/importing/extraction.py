"""Main text and metadata from an HTML page, via trafilatura."""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote, urlsplit

import trafilatura
from trafilatura.utils import load_html

from .cleaning import clean_text, clean_title, readable_title
from .dates import parse_date
from .items import ParsedArticle

logger = logging.getLogger(__name__)


class ExtractionError(ValueError):
    """No article text could be found in a page; the message is meant for a person."""


# Chosen with bench/extraction_quality.py (token F1 against hand-made article bodies).
_EXTRACT_OPTIONS = {
    "favor_precision": False,
    "favor_recall": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "deduplicate": False,
    "with_metadata": True,
}
_NOT_CONTENT = "//script|//style|//noscript|//iframe|//template|//object|//embed|//frameset"
# Below this a page holds a menu or a notice, not an article.
_MIN_WORDS = 8


def article_from_html(html: bytes | str, *, url: str = "", fallback_title: str = "") -> ParsedArticle:
    """Extract title, body (paragraphs kept), author, date, site name and canonical URL.

    Raises ExtractionError when the page has no main text (an index page, a login wall, a page
    built by JavaScript).
    """
    if isinstance(html, bytes) and not html.strip() or isinstance(html, str) and not html.strip():
        raise ExtractionError("The page is empty.")
    try:
        tree = load_html(html)
        if tree is None:
            raise ExtractionError("This file could not be read as HTML.")
        # Removed up front: their text is code or fallback content that trafilatura's fallback
        # extractors would otherwise let into the body.
        for element in tree.xpath(_NOT_CONTENT):
            element.drop_tree()
        document = trafilatura.bare_extraction(tree, url=url or None, **_EXTRACT_OPTIONS)
    except ExtractionError:
        raise
    except Exception as exc:  # trafilatura/lxml raise many kinds on broken markup
        logger.warning("trafilatura failed on %s: %r", url or "uploaded HTML", exc)
        document = None
    text = (getattr(document, "text", None) or "") if document is not None else ""
    title = clean_title(getattr(document, "title", None) or "")
    # trafilatura puts one paragraph per line, and often repeats the headline as the first one.
    paragraphs = text.split("\n")
    if title and paragraphs and clean_title(paragraphs[0]).casefold() == title.casefold():
        paragraphs = paragraphs[1:]
    body = clean_text("\n\n".join(paragraphs), author=getattr(document, "author", "") or "")
    if len(body.split()) < _MIN_WORDS:
        raise ExtractionError(
            "No article text was found on this page. It may be a list of links, a page behind a "
            "login or one that is built by JavaScript; paste the text into a .txt file instead."
        )
    if not title:
        title = title_from_url(url) or readable_title(fallback_title or "Untitled")
    canonical = getattr(document, "url", None) or ""
    if not canonical.startswith(("http://", "https://")):
        canonical = url
    return ParsedArticle(
        title=title,
        body=body,
        url=canonical,
        author=clean_title(getattr(document, "author", None) or ""),
        published=parse_date(getattr(document, "date", None)),
        site_name=clean_title(getattr(document, "sitename", None) or ""),
    )


def title_from_url(url: str) -> str:
    path = unquote(urlsplit(url).path).rstrip("/")
    slug = path.rsplit("/", 1)[-1]
    slug = re.sub(r"\.(?:html?|php|aspx?)$", "", slug)
    return readable_title(slug) if re.search(r"[a-zA-Z]{3}", slug) else ""
