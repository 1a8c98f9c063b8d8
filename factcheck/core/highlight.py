"""Search snippets arrive from the database with the matched words between two control characters (which no
imported text keeps: the cleaner drops control characters), so the snippet can be escaped as the untrusted
text it is and the marks turned into <mark> afterwards."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MARK_START = "\x02"
MARK_END = "\x03"


def highlight_html(snippet: str) -> SafeString:
    """The snippet escaped, its marked words in <mark>; stray marks never leave an element open."""
    html = escape(snippet or "")
    parts = []
    open_mark = False
    for char in html:
        if char == MARK_START and not open_mark:
            parts.append("<mark>")
            open_mark = True
        elif char == MARK_END and open_mark:
            parts.append("</mark>")
            open_mark = False
        elif char not in (MARK_START, MARK_END):
            parts.append(char)
    if open_mark:
        parts.append("</mark>")
    return mark_safe("".join(parts))  # noqa: S308 - escaped above; only our own <mark> tags are added
