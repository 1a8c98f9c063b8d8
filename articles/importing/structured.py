"""Readers of structured uploads: JSON, JSON Lines and CSV, one article per object or row.

Which keys or columns become which article field is records.py's field mapping.

Accepted shapes:
- JSON: one object, a list of objects, or an object holding such a list under "articles",
  "items", "data", "records", "results" or "entries".
- JSON Lines (.jsonl, .ndjson): one object per line; blank lines are skipped.
- CSV (.csv, .tsv): a header row naming the columns; comma, semicolon, tab or pipe separated
  (guessed from the header line); quoted fields may span lines and be very large.

Each object/row becomes one item named "<file>#row N" (CSV, counting the header as row 1, as a
spreadsheet does), "<file>#item N" (JSON list, from 1) or "<file>#line N" (JSON Lines). A row
without text is a failed item; the other rows still import. At most `limits.max_records` records
are read from one file; a last failed item says the rest were left out.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator, Mapping
from typing import Any

from .decoding import DecodeError, decode_bytes
from .items import DEFAULT_LIMITS, ImportLimits, SourceItem
from .records import BODY_KEYS, RecordError, article_from_record, describe_value, has_text, norm_key

LIST_KEYS = ("articles", "items", "data", "records", "results", "entries")


def _raise_csv_field_limit() -> None:
    # The csv module refuses fields over 128 KiB by default; article texts can be bigger. The
    # limit is process-wide, so it is only ever raised. The file size limit still bounds it.
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(max(csv.field_size_limit(), limit))
            return
        except OverflowError:  # C long is 32 bits on some platforms
            limit //= 2


_raise_csv_field_limit()


def _record_item(name: str, kind: str, record: Any, raw: bytes | None = None) -> SourceItem:
    if raw is None:
        raw = json.dumps(record, ensure_ascii=False, default=str).encode("utf-8")
    if not isinstance(record, Mapping):
        return SourceItem(
            name,
            kind,
            raw,
            error=f"Expected an object with article fields here, but found {describe_value(record)}.",
        )
    try:
        article = article_from_record(record)
    except RecordError as exc:
        return SourceItem(name, kind, raw, error=str(exc))
    return SourceItem(name, kind, raw, article=article, source_url=article.url)


def _too_many(name: str, kind: str, limits: ImportLimits, total: int | None = None) -> SourceItem:
    counted = f"has {total:,} records" if total else "has more records than that"
    return SourceItem(
        name,
        kind,
        b"",
        error=f"Only the first {limits.max_records:,} records were read; the file {counted}. "
        "Split it into smaller files to import the rest.",
    )


def _decode(name: str, kind: str, data: bytes) -> str | SourceItem:
    try:
        return decode_bytes(data)
    except DecodeError as exc:
        return SourceItem(name, kind, data, error=str(exc))


def read_json(name: str, data: bytes, limits: ImportLimits = DEFAULT_LIMITS) -> Iterator[SourceItem]:
    text = _decode(name, "json", data)
    if isinstance(text, SourceItem):
        yield text
        return
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        where = (
            f" (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            if isinstance(exc, json.JSONDecodeError)
            else " (nested too deeply)"
        )
        yield SourceItem(name, "json", data, error=f"This is not valid JSON{where}. Fix the file and upload it again.")
        return
    if isinstance(document, Mapping) and not has_text(document):
        for key, value in document.items():
            if norm_key(key) in LIST_KEYS and isinstance(value, list):
                document = value
                break
    if isinstance(document, Mapping):
        yield _record_item(name, "json", document, raw=data)
        return
    if not isinstance(document, list):
        yield SourceItem(
            name,
            "json",
            data,
            error=f"Expected an article object or a list of them, but the file holds {describe_value(document)}.",
        )
        return
    if not document:
        yield SourceItem(name, "json", data, error="The JSON list is empty: there are no articles in this file.")
        return
    for index, record in enumerate(document[: limits.max_records], start=1):
        yield _record_item(f"{name}#item {index}", "json", record)
    if len(document) > limits.max_records:
        yield _too_many(name, "json", limits, len(document))


def read_jsonl(name: str, data: bytes, limits: ImportLimits = DEFAULT_LIMITS) -> Iterator[SourceItem]:
    text = _decode(name, "jsonl", data)
    if isinstance(text, SourceItem):
        yield text
        return
    count = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        count += 1
        if count > limits.max_records:
            yield _too_many(name, "jsonl", limits)
            return
        item_name = f"{name}#line {number}"
        raw = line.encode("utf-8")
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            detail = f" (column {exc.colno}: {exc.msg})" if isinstance(exc, json.JSONDecodeError) else ""
            yield SourceItem(item_name, "jsonl", raw, error=f"Line {number} is not valid JSON{detail}; it was skipped.")
            continue
        yield _record_item(item_name, "jsonl", record, raw=raw)
    if count == 0:
        yield SourceItem(name, "jsonl", data, error="The file has no JSON lines in it.")


def _delimiter(header_line: str, default: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else default


def _csv_rows(text: str, delimiter: str, *, strict: bool) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict)
    rows: list[list[str]] = []
    last_good_line = 0
    try:
        for row in reader:
            rows.append(row)
            last_good_line = reader.line_num
    except csv.Error as exc:
        # The record that failed starts on the line after the last good one.
        raise csv.Error(f"{exc}, in the row starting on line {last_good_line + 1}") from exc
    return rows


def read_csv(
    name: str, data: bytes, limits: ImportLimits = DEFAULT_LIMITS, *, tsv: bool = False
) -> Iterator[SourceItem]:
    text = _decode(name, "csv", data)
    if isinstance(text, SourceItem):
        yield text
        return
    if not text.strip():
        yield SourceItem(name, "csv", data, error="The CSV file is empty.")
        return
    header_line = text.lstrip("\n").split("\n", 1)[0]
    delimiter = _delimiter(header_line, "\t" if tsv else ",")
    try:
        rows = _csv_rows(text, delimiter, strict=True)
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            # Read leniently, an unclosed quote would silently swallow every row after it.
            yield SourceItem(
                name,
                "csv",
                data,
                error=f"The CSV file is malformed: a quoted field is never closed ({exc}). "
                "Check the quotes in the file and upload it again.",
            )
            return
        # Stray quotes inside fields are common in exported data and harmless when read leniently.
        rows = _csv_rows(text, delimiter, strict=False)
    header, records = rows[0], rows[1:]
    columns = [norm_key(column) for column in header]
    if not any(key in columns for key in BODY_KEYS):
        shown = ", ".join(column for column in header[:12] if column.strip()) or "none"
        yield SourceItem(
            name,
            "csv",
            data,
            error="No text column: the first row should name the columns, with the article text in one "
            f"called text, body or content. Columns found: {shown}.",
        )
        return
    count = 0
    for row in records:
        if not any(cell.strip() for cell in row):
            continue
        count += 1
        if count > limits.max_records:
            yield _too_many(name, "csv", limits, sum(1 for row in records if any(c.strip() for c in row)))
            return
        # Numbered as a spreadsheet shows them: the header is row 1.
        yield _record_item(f"{name}#row {count + 1}", "csv", dict(zip(header, row, strict=False)))
    if count == 0:
        yield SourceItem(name, "csv", data, error="The CSV file has a header row but no rows of articles.")
