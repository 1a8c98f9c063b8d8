"""Pure input layer of article import (no Django): decoding, cleaning, readers, dates, extraction, fetching, feeds.

The Django side calls read_upload / iter_upload for uploaded files, read_url for links, and
fetch_url + parse_feed for feed subscriptions. content_hash is the dedupe key of an article.
"""

from .cleaning import JUNK_PATTERNS, JunkPattern, article_from_text, clean_text, content_hash
from .decoding import DecodeError, decode_bytes
from .extraction import ExtractionError, article_from_html
from .feeds import FeedEntry, FeedError, parse_feed
from .fetching import DEFAULT_POLICY, FEED_POLICY, FetchedPage, FetchError, FetchPolicy, fetch_url
from .items import DEFAULT_LIMITS, ImportLimits, ParsedArticle, SourceItem
from .readers import iter_upload, read_upload, read_url

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_POLICY",
    "FEED_POLICY",
    "JUNK_PATTERNS",
    "DecodeError",
    "ExtractionError",
    "FeedEntry",
    "FeedError",
    "FetchError",
    "FetchPolicy",
    "FetchedPage",
    "ImportLimits",
    "JunkPattern",
    "ParsedArticle",
    "SourceItem",
    "article_from_html",
    "article_from_text",
    "clean_text",
    "content_hash",
    "decode_bytes",
    "fetch_url",
    "iter_upload",
    "parse_feed",
    "read_upload",
    "read_url",
]
