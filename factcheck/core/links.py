"""The one rule for links that reach a page: http(s) with a host, or nothing. Imported articles, feed
entries, evidence and report sources are untrusted; a "javascript:" or "data:" URL must never become a link."""

from urllib.parse import urlsplit

MAX_URL_LENGTH = 2000


def http_url(value, *, max_length: int = MAX_URL_LENGTH) -> str:
    """The URL, stripped, if it is http or https with a host and fits `max_length`; otherwise ""."""
    if not isinstance(value, str):
        return ""
    url = value.strip()
    if not url or len(url) > max_length or any(ch in url for ch in "\x00\r\n\t"):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return url
