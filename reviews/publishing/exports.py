"""The settled-verdicts export as CSV lines or JSON chunks, one row at a time. Pure: rows in, text out, nothing
held in memory."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator

from .. import verdicts

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = [
    "article_id",
    "article_title",
    "article_url",
    "statement_id",
    "statement",
    "final_verdict",
    "ratings",
    "consensus",
    "settled_by",
    "published",
]
PUBLISHED = "published"  # the report status that makes a verdict public
# A streamed export is sent in pieces of about this size: a piece per row made gunicorn write to the socket
# once per row, which capped the export at a few thousand rows a second.
PIECE_CHARS = 64 * 1024


class _Echo:
    """csv.writer wants a file; this one hands each written line straight back."""

    def write(self, value: str) -> str:
        return value


def csv_cell(value):
    """Neutralise spreadsheet formulas in text cells by prefixing a quote; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def in_pieces(texts: Iterable[str], size: int = PIECE_CHARS) -> Iterator[str]:
    """The texts joined into pieces of at least `size` characters (the last one may be shorter), in order:
    memory stays one piece, whatever the length of the whole."""
    buffer: list[str] = []
    length = 0
    for text in texts:
        buffer.append(text)
        length += len(text)
        if length >= size:
            yield "".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer)


def verdict_csv_lines(rows: Iterable[tuple]) -> Iterator[str]:
    """The header, then one line per settled statement row (as publishing.selectors.settled_statements_export
    gives them: article id, title, url, statement id, text, editor verdict, consensus, ratings, settled by,
    report status)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for (
        article_id,
        title,
        url,
        statement_id,
        text,
        editor_verdict,
        consensus,
        rating_count,
        settled_by,
        report_status,
    ) in rows:
        row = [
            article_id,
            title,
            url,
            statement_id,
            text,
            verdicts.label(editor_verdict or consensus),
            rating_count,
            verdicts.label(consensus),
            settled_by or "",
            "yes" if report_status == PUBLISHED else "no",
        ]
        yield writer.writerow([csv_cell(cell) for cell in row])


def verdict_json_chunks(rows: Iterable[tuple]) -> Iterator[str]:
    """The same rows as one JSON array, one object per settled statement, written as it goes: `final_verdict`
    and `consensus` are the scale's values (e.g. "mostly_false"), with their labels beside them."""
    yield "["
    for index, (
        article_id,
        title,
        url,
        statement_id,
        text,
        editor_verdict,
        consensus,
        rating_count,
        settled_by,
        report_status,
    ) in enumerate(rows):
        final = editor_verdict or consensus
        row = {
            "article_id": article_id,
            "article_title": title,
            "article_url": url,
            "statement_id": statement_id,
            "statement": text,
            "final_verdict": final,
            "final_verdict_label": verdicts.label(final),
            "ratings": rating_count,
            "consensus": consensus,
            "settled_by": settled_by or "",
            "published": report_status == PUBLISHED,
        }
        yield ("\n" if index == 0 else ",\n") + json.dumps(row, ensure_ascii=False)
    yield "\n]\n"
