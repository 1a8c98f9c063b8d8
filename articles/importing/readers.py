"""read_upload: one uploaded file (or ZIP of files) to a list of SourceItems. Never raises for bad input."""

from __future__ import annotations

import logging
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from io import BytesIO

from .cleaning import article_from_text
from .decoding import DecodeError, binary_error, decode_bytes, describe_binary
from .extraction import ExtractionError, article_from_html, title_from_url
from .fetching import DEFAULT_POLICY, FetchError, FetchPolicy, fetch_url
from .items import DEFAULT_LIMITS, MB, ImportLimits, ParsedArticle, SourceItem, too_long_to_clean
from .structured import read_csv, read_json, read_jsonl

logger = logging.getLogger(__name__)

TEXT_EXTENSIONS = frozenset({"txt", "text", "md", "markdown"})
HTML_EXTENSIONS = frozenset({"html", "htm", "xhtml"})
_KIND_BY_EXTENSION = {
    **dict.fromkeys(TEXT_EXTENSIONS, "txt"),
    **dict.fromkeys(HTML_EXTENSIONS, "html"),
    "json": "json",
    "jsonl": "jsonl",
    "ndjson": "jsonl",
    "csv": "csv",
    "tsv": "csv",
    "zip": "zip",
}
# Files archivers and operating systems add; nobody means to import them.
_SKIPPED_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_TAGS = re.compile(rb"<(?:p|div|article|h1|h2|title|meta|br)\b[^>]*>", re.I)
_RATIO_MIN_BYTES = 1 * MB  # tiny files compress oddly well without being dangerous
_CHUNK = 256 * 1024


def read_upload(name: str, data: bytes, *, limits: ImportLimits = DEFAULT_LIMITS) -> list[SourceItem]:
    """Read one uploaded file into items, one per article (or failure)."""
    return list(iter_upload(name, data, limits=limits))


def iter_upload(name: str, data: bytes, *, limits: ImportLimits = DEFAULT_LIMITS) -> Iterator[SourceItem]:
    """Like read_upload, yielding items as they are read (for progress reporting on big ZIPs)."""
    yield from _read_file(name, data, limits, _ZipBudget(limits))


def extension(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].casefold() if "." in base.strip(".") else ""


@dataclass
class _ZipBudget:
    """Shared by an archive and the archives nested in it, so nesting can't multiply the limits."""

    limits: ImportLimits
    members: int = 0
    total_bytes: int = 0
    depth: int = 0


def _read_file(name: str, data: bytes, limits: ImportLimits, budget: _ZipBudget) -> Iterator[SourceItem]:
    kind = _KIND_BY_EXTENSION.get(extension(name), "")
    if len(data) > limits.max_file_bytes:
        yield SourceItem(
            name,
            kind or "unknown",
            b"",
            error=f"The file is {_size(len(data))}; the limit is {_size(limits.max_file_bytes)}. "
            "Split it into smaller files.",
        )
        return
    if not data.strip():
        yield SourceItem(name, kind or "unknown", data, error="The file is empty.")
        return
    if not kind:
        kind = _sniff(data)
    try:
        if kind == "zip":
            yield from _read_zip(name, data, limits, budget)
        elif kind == "txt":
            yield _finish(SourceItem(name, "txt", data), _text_article(name, data), limits)
        elif kind == "html":
            yield _finish(SourceItem(name, "html", data), _html_article(name, data, limits), limits)
        elif kind == "json":
            yield from (_finish(item, None, limits) for item in read_json(name, data, limits))
        elif kind == "jsonl":
            yield from (_finish(item, None, limits) for item in read_jsonl(name, data, limits))
        elif kind == "csv":
            tsv = extension(name) == "tsv"
            yield from (_finish(item, None, limits) for item in read_csv(name, data, limits, tsv=tsv))
        else:
            what = describe_binary(data) or "a file of unknown type"
            yield SourceItem(
                name,
                "unknown",
                data,
                error=f"“{name}” is {what}, which can't be imported. Upload .txt, .md, .html, "
                ".json, .jsonl, .csv or .zip files.",
            )
    except Exception:
        # Bad input must give a failed item, never a crashed import job; log it for us to fix.
        logger.exception("import reader crashed on %s", name)
        yield SourceItem(
            name,
            kind,
            data,
            error="This file could not be read because of an error on our side. It has been logged; "
            "try again later or convert the file to plain text.",
        )


def _sniff(data: bytes) -> str:
    """Kind of a file whose name doesn't say: zip, html, txt, or "" for binary."""
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if describe_binary(data):
        return ""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(head) or len(_HTML_TAGS.findall(head)) >= 3:
        return "html"
    return "txt"


def _text_article(name: str, data: bytes) -> ParsedArticle | str:
    try:
        text = decode_bytes(data)
    except DecodeError as exc:
        return str(exc)
    if refusal := too_long_to_clean(text):
        return refusal
    return article_from_text(text, fallback_title=name, markdown=extension(name) in {"md", "markdown"})


def _html_article(name: str, data: bytes, limits: ImportLimits) -> ParsedArticle | str:
    if len(data) > limits.max_html_bytes:
        return (
            f"The HTML file is {_size(len(data))}; pages over {_size(limits.max_html_bytes)} are not "
            "extracted. Save just the article page, or its text."
        )
    what = describe_binary(data)
    if what:
        return binary_error(what)
    try:
        return article_from_html(data, fallback_title=name)
    except ExtractionError as exc:
        return str(exc)


def _finish(item: SourceItem, article: ParsedArticle | str | None, limits: ImportLimits) -> SourceItem:
    """Attach the reader's outcome and apply the size limits every article must meet."""
    if isinstance(article, str):
        return replace(item, error=article)
    if article is not None:
        item = replace(item, article=article, source_url=item.source_url or article.url)
    if item.article is None:
        return item
    body = item.article.body
    problem = ""
    longest = max((len(paragraph) for paragraph in body.split("\n\n")), default=0)
    if not body:
        problem = "No article text was found in it (it is empty or holds only page junk)."
    elif longest > limits.max_paragraph_chars:
        problem = (
            f"One paragraph is {longest:,} characters long (the limit is {limits.max_paragraph_chars:,}). "
            "The line breaks may have been lost, or this is data rather than article text; "
            "put a blank line between paragraphs and upload it again."
        )
    elif len(body) > limits.max_article_chars:
        problem = (
            f"The text is {len(body):,} characters long; the limit for one article is "
            f"{limits.max_article_chars:,}. Split it into several articles."
        )
    return replace(item, article=None, error=problem) if problem else item


def read_url(url: str, *, policy: FetchPolicy = DEFAULT_POLICY, limits: ImportLimits = DEFAULT_LIMITS) -> SourceItem:
    """Fetch a page and extract its article; any failure becomes a failed item."""
    try:
        page = fetch_url(url, policy=policy)
    except FetchError as exc:
        return SourceItem(url, "url", b"", error=str(exc), source_url=url)
    except Exception:
        logger.exception("fetching %s crashed", url)
        return SourceItem(
            url,
            "url",
            b"",
            error="The page could not be fetched because of an error on our side. It has been logged; try again later.",
            source_url=url,
        )
    item = SourceItem(url, "url", page.body, source_url=page.final_url)
    what = describe_binary(page.body)
    if what:
        return replace(item, error=binary_error(what))
    try:
        if page.content_type == "text/plain":
            text = decode_bytes(page.body)
            article: ParsedArticle | str = article_from_text(
                text, fallback_title=title_from_url(page.final_url) or page.final_url
            )
            article = replace(article, url=page.final_url)
        else:
            article = article_from_html(_decoded_html(page.body, page.charset), url=page.final_url)
    except (DecodeError, ExtractionError) as exc:
        article = str(exc)
    except Exception:
        logger.exception("extracting %s crashed", url)
        article = "The page could not be read because of an error on our side. It has been logged."
    return _finish(item, article, limits)


def _decoded_html(body: bytes, charset: str) -> bytes | str:
    """Honour the charset the server declared; otherwise trafilatura reads the <meta> tag itself."""
    if charset:
        try:
            return body.decode(charset, errors="replace")
        except LookupError:
            pass
    return body


# -- ZIP ---------------------------------------------------------------------------------------


def _unsafe_member_name(filename: str) -> bool:
    name = filename.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[a-zA-Z]:", name) or "\x00" in name:
        return True
    return ".." in name.split("/")


def _skipped(info: zipfile.ZipInfo) -> bool:
    name = info.filename.replace("\\", "/")
    base = posixpath.basename(name.rstrip("/"))
    return (
        info.is_dir()
        or name.startswith("__MACOSX/")
        or "/__MACOSX/" in name
        or base.casefold() in _SKIPPED_NAMES
        or base.startswith("._")  # macOS resource forks
    )


def _read_zip(name: str, data: bytes, limits: ImportLimits, budget: _ZipBudget) -> Iterator[SourceItem]:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        yield SourceItem(name, "zip", data, error=f"This is not a readable ZIP archive ({exc}). Zip the files again.")
        return
    members = [info for info in infos if not _skipped(info)]
    if budget.members + len(members) > limits.max_zip_members:
        yield SourceItem(
            name,
            "zip",
            b"",
            error=f"The archive holds {len(members):,} files; at most {limits.max_zip_members:,} files can be "
            "imported from one upload. Split it into smaller archives.",
        )
        return
    # Members refused on their own (bombs, traversal names) don't count against the archive.
    refusals = {info.filename: _member_refusal(info, limits) for info in members}
    declared = sum(info.file_size for info in members if not refusals[info.filename])
    if budget.total_bytes + declared > limits.max_zip_total_bytes:
        yield SourceItem(
            name,
            "zip",
            b"",
            error=f"The archive unpacks to {_size(declared)}; the limit is {_size(limits.max_zip_total_bytes)}. "
            "Split it into smaller archives.",
        )
        return
    budget.members += len(members)
    if not members:
        yield SourceItem(name, "zip", b"", error="The archive contains no files.")
        return
    with archive:
        for info in members:
            member_name = f"{name}/{info.filename}"
            member_ext = extension(info.filename)
            content = refusals[info.filename] or _read_member(archive, info, limits, budget)
            if isinstance(content, str):  # refused, or failed to unpack
                yield SourceItem(member_name, _KIND_BY_EXTENSION.get(member_ext, "unknown"), b"", error=content)
                continue
            if member_ext == "zip" or (not member_ext and content.startswith(b"PK\x03\x04")):
                if budget.depth >= limits.max_zip_depth:
                    yield SourceItem(
                        member_name,
                        "zip",
                        b"",
                        error="This archive is nested too deeply (a ZIP inside a ZIP inside a ZIP). "
                        "Unpack it and zip the files in one archive.",
                    )
                    continue
                budget.depth += 1
                try:
                    yield from _read_file(member_name, content, limits, budget)
                finally:
                    budget.depth -= 1
                continue
            yield from _read_file(member_name, content, limits, budget)


def _member_refusal(info: zipfile.ZipInfo, limits: ImportLimits) -> str:
    if _unsafe_member_name(info.filename):
        return (
            f"Refused “{info.filename}”: its path points outside the archive. It was skipped for safety; "
            "zip the files again from their folder."
        )
    if info.flag_bits & 0x1:
        return "This file is password-protected in the archive. Zip it again without a password."
    if info.file_size > limits.max_file_bytes:
        return (
            f"The file unpacks to {_size(info.file_size)}; the limit is {_size(limits.max_file_bytes)}. "
            "Split it into smaller files."
        )
    if info.file_size > _RATIO_MIN_BYTES and info.file_size > limits.max_zip_ratio * max(info.compress_size, 1):
        return (
            f"Refused: this file is compressed {info.file_size // max(info.compress_size, 1):,} to 1, far more "
            "than real text (a “zip bomb”). It was not unpacked."
        )
    return ""


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ImportLimits, budget: _ZipBudget
) -> bytes | str:
    """The member's bytes, reading in chunks and stopping as soon as the actual size goes over
    what was declared or allowed (headers can lie)."""
    allowed = min(info.file_size, limits.max_file_bytes, limits.max_zip_total_bytes - budget.total_bytes)
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > allowed:
                    return (
                        "Refused: this file unpacks to more than its archive entry declares, or past the "
                        "archive size limit. The archive may be damaged or malicious; it was not unpacked."
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        return f"This file is damaged in the archive and could not be unpacked ({exc})."
    budget.total_bytes += size
    return b"".join(chunks)


def _size(n: int) -> str:
    if n >= MB:
        return f"{n / MB:,.1f} MB"
    if n >= 1024:
        return f"{n / 1024:,.0f} KB"
    return f"{n} bytes"
