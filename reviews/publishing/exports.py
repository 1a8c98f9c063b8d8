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
    "claim_reviewed",
    "claimant",
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


def _row(values: tuple) -> dict:
    """One settled statement, from a row as publishing.selectors.settled_statements_export gives it. It is
    published when its claim is included in a published report; the claim's public wording and claimant are
    then beside the desk's statement text."""
    (
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
        included,
        claim_text,
        claimant,
    ) = values
    published = report_status == PUBLISHED and bool(included)
    return {
        "article_id": article_id,
        "article_title": title,
        "article_url": url,
        "statement_id": statement_id,
        "statement": text,
        "final_verdict": editor_verdict or consensus,
        "ratings": rating_count,
        "consensus": consensus,
        "settled_by": settled_by or "",
        "published": published,
        "claim_reviewed": (claim_text or "") if published else "",
        "claimant": (claimant or "") if published else "",
    }


def verdict_csv_lines(rows: Iterable[tuple]) -> Iterator[str]:
    """The header, then one line per settled statement row, verdicts by their labels."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for values in rows:
        row = _row(values)
        row["final_verdict"] = verdicts.label(row["final_verdict"])
        row["consensus"] = verdicts.label(row["consensus"])
        row["published"] = "yes" if row["published"] else "no"
        yield writer.writerow([csv_cell(row[name]) for name in CSV_HEADER])


def verdict_json_chunks(rows: Iterable[tuple]) -> Iterator[str]:
    """The same rows as one JSON array, one object per settled statement, written as it goes: `final_verdict`
    and `consensus` are the scale's values (e.g. "mostly_false"), with the final verdict's label beside it."""
    yield "["
    for index, values in enumerate(rows):
        row = _row(values)
        row = {
            **{name: row[name] for name in CSV_HEADER[:6]},
            "final_verdict_label": verdicts.label(row["final_verdict"]),
            **{name: row[name] for name in CSV_HEADER[6:]},
        }
        yield ("\n" if index == 0 else ",\n") + json.dumps(row, ensure_ascii=False)
    yield "\n]\n"
