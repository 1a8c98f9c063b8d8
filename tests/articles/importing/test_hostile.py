"""Hostile and broken inputs: each case gets a clear failed item (or a sane import), never an
exception, and a good file next to it, in the same upload batch or the same ZIP, still imports."""

import io
import json
import random
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from articles.importing import ImportLimits, SourceItem, read_upload

GOOD_NAME = "good.txt"
GOOD = "Good title\n\nA good paragraph – with “quotes”.".encode()
MB = 1024 * 1024


def make_zip(members: dict[str, bytes], *, with_good: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if with_good:
            archive.writestr(GOOD_NAME, GOOD)
        for name, content in members.items():
            archive.writestr(zipfile.ZipInfo(name), content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """300 MB of zeros, written in chunks so the test never holds more than 1 MB of them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(GOOD_NAME, GOOD)
        zeros = bytes(MB)
        with archive.open("bomb.txt", "w") as member:
            for _ in range(300):
                member.write(zeros)
    return buffer.getvalue()


def lying_zip() -> bytes:
    """A member whose headers declare 1,000 bytes but which inflates to 30 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(GOOD_NAME, GOOD)
        archive.writestr("liar.txt", b"a" * (30 * MB))
    data = bytearray(buffer.getvalue())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_length = struct.unpack_from("<H", data, start + (26 if signature == b"PK\x03\x04" else 28))[0]
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + name_length] == b"liar.txt":
                struct.pack_into("<I", data, start + offset, 1000)
            start += 4
    return bytes(data)


def nested(depth: int) -> bytes:
    data = make_zip({"inner.txt": b"Inner title\n\nInner body."}, with_good=False)
    for _ in range(depth - 1):
        data = make_zip({"deeper.zip": data}, with_good=False)
    return make_zip({"nested.zip": data})


def words(size: int) -> bytes:
    """Text that compresses like real text does (about 3 to 1), unlike repeated characters."""
    rng = random.Random(size)
    vocabulary = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 9))) for _ in range(5000)]
    return " ".join(rng.choices(vocabulary, k=size // 6)).encode()


@dataclass
class Case:
    id: str
    name: str
    build: Callable[[], bytes]
    check: Callable[[list[SourceItem]], None]
    limits: ImportLimits = ImportLimits()


def failed_with(*words: str) -> Callable[[list[SourceItem]], None]:
    def check(items: list[SourceItem]) -> None:
        bad = [item for item in items if not item.ok and not item.name.endswith(GOOD_NAME)]
        assert bad, items
        for item in bad:
            assert item.article is None
            assert any(word.casefold() in item.error.casefold() for word in words), item.error

    return check


def imports(*, contains: str = "", excludes: str = "", title: str = "") -> Callable[[list[SourceItem]], None]:
    def check(items: list[SourceItem]) -> None:
        others = [item for item in items if not item.name.endswith(GOOD_NAME)]
        assert others and all(item.ok for item in others), [item.error for item in others]
        for item in others:
            assert contains in item.article.body
            assert not excludes or excludes not in item.article.body
            assert not title or item.article.title == title

    return check


def mixed(ok: int, failed: int, word: str) -> Callable[[list[SourceItem]], None]:
    def check(items: list[SourceItem]) -> None:
        others = [item for item in items if not item.name.endswith(GOOD_NAME)]
        assert sum(item.ok for item in others) == ok, others
        errors = [item.error for item in others if not item.ok]
        assert len(errors) == failed and all(word in error for error in errors), errors

    return check


HOSTILE_HTML = b"""<html><head><script>var leaked = "SCRIPT-LEAK";</script>
<style>body { content: "STYLE-LEAK" }</style></head><body>
<article><h1>Real headline</h1>
<p>The real article text is this paragraph, which talks about the harbour and the new ferry line.</p>
<img src="x" onerror="alert('ONERROR-LEAK')">
<p>A second paragraph <a href="javascript:alert('HREF-LEAK')">with a link</a> follows the first one.</p>
<script>document.write('SCRIPT-LEAK-2')</script><noscript>NOSCRIPT-LEAK</noscript>
<iframe src="javascript:alert(1)">IFRAME-LEAK</iframe></article></body></html>"""


CASES = [
    Case("empty", "empty.txt", lambda: b"", failed_with("empty")),
    Case("zero-bytes", "zeros.txt", lambda: bytes(4096), failed_with("binary")),
    Case("whitespace-only", "blank.txt", lambda: b" \r\n\t \n\n  ", failed_with("empty")),
    Case("random-binary", "noise.txt", lambda: random.Random(7).randbytes(8192), failed_with("binary")),
    Case("png-as-txt", "photo.txt", lambda: b"\x89PNG\r\n\x1a\n" + bytes(200), failed_with("PNG image")),
    Case("pdf-as-html", "paper.html", lambda: b"%PDF-1.4\n%\xe2\xe3\n1 0 obj", failed_with("PDF")),
    Case("docx-as-csv", "sheet.csv", lambda: b"PK\x03\x04" + bytes(100), failed_with("ZIP archive or Office")),
    Case(
        "cp1252-text",
        "legacy.txt",
        lambda: "Titre\n\nLe café – “ouvert” à 7 h.".encode("cp1252"),
        imports(contains="Le café – “ouvert” à 7 h.", title="Titre"),
    ),
    Case(
        "utf16-without-bom",
        "wide.txt",
        lambda: "Wide title\n\nWide – “body”.".encode("utf-16-le"),
        imports(contains="Wide – “body”.", title="Wide title"),
    ),
    Case(
        "utf8-with-one-bad-byte",
        "mostly.txt",
        lambda: "Title\n\nMostly fine “text” here.".encode() + b"\xff" + b" The end.",
        imports(contains="Mostly fine"),
    ),
    Case("megabyte-single-line", "one-line.txt", lambda: b"word " * (MB // 5), failed_with("paragraph is")),
    Case("megabyte-no-spaces", "blob.txt", lambda: b"A" * MB, failed_with("paragraph is")),
    Case(
        "nul-in-text",
        "nul.txt",
        lambda: b"Title\n\nText with a\x00 stray NUL.",
        imports(contains="Text with a stray NUL."),
    ),
    Case(
        "only-junk",
        "junk.txt",
        lambda: b"Print Friendly, PDF & Email\n\nShare this:\n\nTweet",
        failed_with("No article text"),
    ),
    Case(
        "html-scripts-and-handlers",
        "evil.html",
        lambda: HOSTILE_HTML,
        lambda items: [imports(contains="The real article text")(items)] + [assertion_no_leak(items)],
    ),
    Case(
        "html-without-text",
        "empty.html",
        lambda: b"<html><body><script>x()</script></body></html>",
        failed_with("No article text"),
    ),
    Case("malformed-json", "broken.json", lambda: b'{"title": "x", "text": }', failed_with("not valid JSON")),
    Case("json-number", "number.json", lambda: b"42", failed_with("a number")),
    Case("json-deep-nesting", "deep.json", lambda: b"[" * 100_000 + b"]" * 100_000, failed_with("not valid JSON")),
    Case(
        "json-list-with-bad-elements",
        "mixed.json",
        lambda: json.dumps([{"text": "Fine."}, "a string", {"title": "no text"}, {"text": {"x": 1}}]).encode(),
        mixed(1, 3, ""),
    ),
    Case(
        "csv-missing-text-column",
        "no-text.csv",
        lambda: b"title,url\nA,https://x.example\n",
        failed_with("No text column"),
    ),
    Case(
        "csv-row-without-text",
        "rows.csv",
        lambda: b"title,text\nA,Alpha body.\nB,\n,  \nC,Gamma body.\n",
        mixed(2, 1, "No article text"),
    ),
    Case("csv-unclosed-quote", "quote.csv", lambda: b'title,text\nA,"never closed\nB,b\n', failed_with("never closed")),
    Case(
        "jsonl-one-bad-line",
        "lines.jsonl",
        lambda: b'{"text": "One."}\n{not json\n{"text": "Three."}\n',
        mixed(2, 1, "Line 2 is not valid JSON"),
    ),
    Case("zip-bomb", "bomb.zip", zip_bomb, failed_with("unpacks to", "zip bomb")),
    Case("zip-lying-sizes", "liar.zip", lying_zip, failed_with("damaged", "Refused")),
    Case(
        "zip-traversal",
        "traversal.zip",
        lambda: make_zip({"../evil.txt": b"x", "/abs.txt": b"x", "C:\\win.txt": b"x", "a/../../b.txt": b"x"}),
        failed_with("outside the archive"),
    ),
    Case(
        "zip-too-many-members",
        "many.zip",
        lambda: make_zip({f"f{n}.txt": b"T\n\nbody" for n in range(1001)}),
        failed_with("at most 1,000 files"),
    ),
    Case(
        "zip-over-total-size",
        "big.zip",
        lambda: make_zip({"a.txt": words(700_000), "b.txt": words(700_000)}),
        failed_with("unpacks to"),
        ImportLimits(max_zip_total_bytes=1 * MB),
    ),
    Case("zip-nested-once", "nested.zip", lambda: nested(1), imports(contains="Inner body.")),
    Case("zip-nested-twice", "nested2.zip", lambda: nested(2), failed_with("nested too deeply")),
    Case("zip-truncated", "cut.zip", lambda: make_zip({"a.txt": b"x" * 1000})[:-30], failed_with("not a readable ZIP")),
    Case(
        "zip-only-system-files",
        "mac.zip",
        lambda: make_zip({"__MACOSX/._a.txt": b"\x00\x05", ".DS_Store": b"Bud1"}, with_good=False),
        failed_with("no files"),
    ),
    Case(
        "unknown-extension-binary",
        "data.bin",
        lambda: random.Random(3).randbytes(4096),
        failed_with("can't be imported"),
    ),
    Case("unknown-extension-text", "README", lambda: b"Readme title\n\nSome words.", imports(title="Readme title")),
    Case(
        "old-mac-line-endings",
        "mac.txt",
        lambda: b"Mac title\r\rFirst.\r\rSecond.",
        imports(contains="First.\n\nSecond.", title="Mac title"),
    ),
    Case(
        "file-over-limit",
        "huge.txt",
        lambda: b"x" * 2000,
        failed_with("the limit is"),
        ImportLimits(max_file_bytes=1000),
    ),
]


def assertion_no_leak(items: list[SourceItem]) -> None:
    for item in items:
        if item.article:
            for leak in ("LEAK", "alert(", "document.write", "onerror"):
                assert leak not in item.article.body, item.article.body


def test_there_are_enough_hostile_cases():
    assert len(CASES) >= 25 and len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_input_gives_a_clear_outcome_and_the_good_file_still_imports(case):
    batch = [(case.name, case.build()), (GOOD_NAME, GOOD)]
    results = [read_upload(name, data, limits=case.limits) for name, data in batch]
    hostile_items, good_items = results
    case.check(hostile_items)
    for item in hostile_items:
        assert item.ok or item.error, item  # never silent
        assert item.ok != bool(item.error)
    assert [item.article.title for item in good_items] == ["Good title"]
    # A good member zipped with the hostile ones imports too (where the archive as a whole is readable).
    inside = [item for item in hostile_items if item.name.endswith("/" + GOOD_NAME)]
    assert all(item.ok for item in inside)
    if case.name.endswith(".zip") and case.id not in {
        "zip-too-many-members",
        "zip-truncated",
        "zip-over-total-size",
        "zip-only-system-files",
    }:
        assert inside, "the good member of the archive should have been read"
