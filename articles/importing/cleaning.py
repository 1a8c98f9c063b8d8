"""Text normalisation and junk removal for imported articles.

Junk removal is table-driven: `JUNK_PATTERNS` is a list of named regular expressions, each applied
to one line (or the end of one paragraph) at a time. To handle a new widget, add a row; the tests
parametrise over the table, so give every new row an example in the tests as well.

What is kept on purpose: curly quotes, dashes, digits and all other characters apart from invisible
or control characters; text is never folded to ASCII.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from .items import ParsedArticle

Where = Literal["line", "suffix", "tail"]


@dataclass(frozen=True)
class JunkPattern:
    """A named pattern.

    where="line":   a whole line matching it is dropped.
    where="suffix": matching text at the end of a paragraph is cut off, the paragraph is kept.
    where="tail":   a heading that starts an end-of-page block ("Related articles"); near the end of
                    the text it is dropped with everything after it, elsewhere only the line goes.
    """

    name: str
    regex: re.Pattern[str]
    where: Where


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Words that make up share bars; a line made only of these (and separators) is a widget.
_SHARE_WORDS = (
    r"print friendly(?:,? pdf (?:&|and) email)?"
    r"|click to (?:share on [\w.+-]+|email(?: a link to a friend| this to a friend)?|print)"
    r"(?: \(opens in new window\))?"
    r"|\(opens in new window\)"
    r"|share (?:this(?: article| story| post| page)?|on [\w.+-]+|via [\w.+-]+|the story)"
    r"|like this|like loading\.{3}|loading\.{3}|[\d.,]+k? shares?"
    r"|tweet(?: this)?|pin it|e-?mail(?: this| to a friend)?|print(?: this)?|share|copy link"
    r"|whatsapp|facebook|twitter|linkedin|reddit|pinterest|telegram|tumblr|pocket|flipboard|messenger"
)
_SEPARATORS = r"[:|•·,/+\-]?"
# Only phrases no sentence ends with are cut from the end of a paragraph.
_SHARE_SUFFIX_WORDS = (
    r"print friendly,? pdf (?:&|and) email"
    r"|click to share on [\w.+-]+ \(opens in new window\)"
    r"|share this:|like this:|like loading\.{3}"
)

JUNK_PATTERNS: list[JunkPattern] = [
    JunkPattern(
        "share_widget",
        _p(rf"(?:(?:{_SHARE_WORDS})\s*{_SEPARATORS}\s*)+"),
        "line",
    ),
    JunkPattern(
        "share_widget_suffix",
        # Only after a finished sentence, so words are never cut from the middle of one.
        _p(rf"(?<=[.!?\"”’)\]])\s*(?:(?:{_SHARE_SUFFIX_WORDS})\s*)+$"),
        "suffix",
    ),
    JunkPattern(
        "newsletter_prompt",
        _p(
            r"(?:subscribe|sign up)\b.{0,150}\b(?:newsletters?|mailing list|inbox|e-?mail alerts?)\b.{0,150}"
            r"|join (?:our|the) (?:[\w-]+ ){0,3}(?:newsletter|mailing list)\b.{0,150}"
            r"|(?:get|receive) (?:our|the) .{0,80}(?:newsletter|(?:delivered )?(?:to|in) your inbox).{0,100}"
            r"|enter your e-?mail(?: address)?\b.{0,150}"
            r"|(?:subscribe|sign up)(?: now| today| here| for free)?[.!]?"
        ),
        "line",
    ),
    JunkPattern(
        "cookie_notice",
        _p(
            r".{0,150}\b(?:we|this (?:web)?site|our (?:web)?site|this page) uses? cookies\b.{0,250}"
            r"|.{0,100}\bby (?:continuing|using|browsing) .{0,100}\b(?:agree|consent|accept)\w* "
            r".{0,80}cookies?\b.{0,100}"
            r"|(?:accept|allow|reject)(?: all)? cookies|cookie (?:settings|policy|preferences|consent)"
        ),
        "line",
    ),
    JunkPattern(
        "related_tail",
        _p(
            r"(?:related(?: articles| posts| stories| news| content| coverage| reading| links)?"
            r"|read more(?: articles| stories)?|more (?:stories|articles|news)(?: from [\w .'’-]{1,40})?"
            r"|you (?:may|might) also (?:like|enjoy|be interested in)|recommended(?: for you| stories| reading)?"
            r"|trending(?: now| stories)?|popular (?:posts|stories|articles)|further reading|see also)"
            r"\s*[:.…]*"
        ),
        "tail",
    ),
    JunkPattern(
        "ad_marker",
        # Placeholders left where ads and "read on" buttons were; seen in scraped news (FakeNewsCorpus).
        _p(
            r"(?:advertisements?|advert|sponsored(?: content| links?)?|story continues below(?: advertisement)?"
            r"|continue reading(?: below| the story| the main story)?|click here(?: to [\w ]{1,40})?)\s*[.!:…]*"
        ),
        "line",
    ),
    JunkPattern(
        "read_more_link",
        _p(r"(?:read more|read also|also read|related|see also|recommended)\s*[:»>|–—-]\s*\S.{0,200}"),
        "line",
    ),
]

# Line patterns only look at short lines: junk is short, and it keeps a megabyte-long line cheap.
_MAX_JUNK_LINE = 400
_SUFFIX_WINDOW = 400
# A tail heading is "near the end" when what follows it is at most this share of the text.
_TAIL_SHARE = 0.3

_BYLINE = re.compile(r"(?:by|written by|words by)\s+(?P<name>.{2,150})", re.IGNORECASE)
_BULLET = re.compile(r"(?:[-*•‣◦▪–]|\d{1,3}[.)])\s")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});?", re.IGNORECASE)
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
# NUL and other control characters (tab and newline survive), C1 controls left over from
# mis-decoded text, and invisible characters that only break matching. ZWJ/ZWNJ stay: they
# carry meaning in emoji and in Persian and Indic scripts.
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\x80-\x9f\u200b\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_MULTI_NEWLINE = re.compile(r"\n{3,}")


def normalise(text: str) -> str:
    """Entities decoded, NFC, one kind of newline and space; lines stripped; runs of blank lines
    collapsed to one. Junk is not touched here."""
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _MULTI_NEWLINE.sub("\n\n", text).strip("\n")


def clean_title(text: str) -> str:
    return " ".join(normalise(text).split())


def clean_text(text: str, *, author: str = "") -> str:
    """Normalise and drop junk; returns paragraphs joined by "\\n\\n".

    Blank lines separate paragraphs and single line breaks inside a paragraph become spaces;
    a text without any blank line is taken to have one paragraph per line. `author`, when known,
    lets a byline repeated as the first line be dropped.
    """
    lines = normalise(text).split("\n")
    # Decided before junk goes, since dropping a line must not change how the rest is grouped.
    blank_lines_separate = any(not line for line in lines) and sum(1 for line in lines if line) > 1
    lines = _drop_junk_lines(lines)
    paragraphs = _group_paragraphs(lines, blank_lines_separate=blank_lines_separate)
    paragraphs = [_cut_suffixes(paragraph) for paragraph in paragraphs]
    paragraphs = [paragraph for paragraph in paragraphs if paragraph]
    if paragraphs and author and _is_repeated_byline(paragraphs[0], author):
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs)


def matching_pattern(line: str) -> str | None:
    """The name of the first line or tail pattern this line matches (for tests and debugging)."""
    pattern = _line_pattern(line.strip())
    return pattern.name if pattern else None


def _line_pattern(line: str) -> JunkPattern | None:
    """The first line or tail pattern a whole stripped line matches; a long line is never junk."""
    if len(line) > _MAX_JUNK_LINE:
        return None
    for pattern in JUNK_PATTERNS:
        if pattern.where != "suffix" and pattern.regex.fullmatch(line):
            return pattern
    return None


def _drop_junk_lines(lines: list[str]) -> list[str]:
    total = sum(len(line) for line in lines) or 1
    kept: list[str] = []
    remaining = total
    for line in lines:
        remaining -= len(line)
        matched = _line_pattern(line) if line else None
        if matched is None:
            kept.append(line)
        elif matched.where == "tail" and any(kept) and remaining <= _TAIL_SHARE * total:
            break
        else:
            # A blank, not nothing: text on either side of a widget belongs to different paragraphs.
            kept.append("")
    return kept


def _group_paragraphs(lines: list[str], *, blank_lines_separate: bool) -> list[str]:
    if not blank_lines_separate:
        return [line for line in lines if line]
    paragraphs: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line and not (block and _BULLET.match(line)):
            block.append(line)
            continue
        if block:
            paragraphs.append(" ".join(block))
            block = []
        if line:  # a list item inside a block stands on its own
            block.append(line)
    return paragraphs


def _cut_suffixes(paragraph: str) -> str:
    head, tail = paragraph[:-_SUFFIX_WINDOW], paragraph[-_SUFFIX_WINDOW:]
    for pattern in JUNK_PATTERNS:
        if pattern.where == "suffix":
            tail = pattern.regex.sub("", tail)
    result = (head + tail).strip()
    # A paragraph that was nothing but junk: the line patterns catch these, but be sure.
    return "" if matching_pattern(result) == "share_widget" else result


def _name_key(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name.casefold()).split())


def _is_repeated_byline(line: str, author: str) -> bool:
    author_key = _name_key(author)
    if not author_key or len(line) > 200:
        return False
    match = _BYLINE.fullmatch(line)
    candidate = _name_key(match.group("name")) if match else _name_key(line)
    if not candidate:
        return False
    if match:
        # "By John Smith, Reuters" or "By John Smith and Jane Doe" still repeat "John Smith".
        return (
            candidate.startswith(author_key)
            or author_key.startswith(candidate)
            or (f" {author_key} " in f" {candidate} ")
        )
    return candidate == author_key


# -- titles and plain text ---------------------------------------------------------------------

_MAX_TITLE = 300
_TEXT_EXTENSIONS = re.compile(r"\.(?:txt|text|md|markdown|html?|xhtml|json|jsonl|ndjson|csv|tsv)$", re.I)


def readable_title(name: str) -> str:
    """A title made from a file name: "batch.zip/dir/covid_vaccines-2021.txt" -> "Covid vaccines 2021"."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = _TEXT_EXTENSIONS.sub("", base)
    base = " ".join(re.sub(r"[_+]+|(?<!\s)-(?!\s)", " ", base).split())
    if not base:
        return "Untitled"
    if base == base.lower():
        base = base[0].upper() + base[1:]
    return base


def _looks_like_title(line: str) -> bool:
    if not line or len(line) > _MAX_TITLE or matching_pattern(line):
        return False
    # Sentences end with these; titles rarely do (an ellipsis is fine).
    return not (re.search(r"[,;:]$", line) or (line.endswith(".") and not line.endswith("...")))


def article_from_text(text: str, *, fallback_title: str, markdown: bool = False) -> ParsedArticle:
    """Read the seed format: a title line, a blank line, then paragraphs.

    Without such a title line the whole text is the body and the title comes from
    `fallback_title` (a file name is made readable). `markdown` strips "# " from the title line.
    """
    lines = normalise(text).split("\n")
    title, body_lines = "", lines
    first = lines[0] if lines else ""
    candidate = first.lstrip("#").strip() if markdown else first
    if len(lines) > 2 and not lines[1] and _looks_like_title(candidate) and any(lines[2:]):
        title, body_lines = candidate, lines[2:]
    if not title:
        title = readable_title(fallback_title)
    return ParsedArticle(title=clean_title(title), body=clean_text("\n".join(body_lines)))


# -- dedupe ------------------------------------------------------------------------------------

_NOT_WORD = re.compile(r"[\W_]+")


def content_hash(article: ParsedArticle) -> str:
    """sha256 hex of the body reduced to words: NFKC, casefolded, punctuation and spacing ignored,
    so the same text with straight or curly quotes, other dashes or re-wrapped lines collides."""
    text = unicodedata.normalize("NFKC", article.body).casefold()
    words = _NOT_WORD.sub(" ", text).split()
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
