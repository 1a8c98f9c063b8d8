"""Readers for the CLEF CheckThat! claim-matching files: verified claims, queries (both TSV) and qrels.

TSV files have a header line, then tab-separated rows; fields may be quoted as spreadsheet programs and pandas
write them (a quoted field can hold tabs, newlines and doubled quotes). Ids that are whole numbers become ints.
"""

from __future__ import annotations

import csv
from collections.abc import Hashable, Iterable, Iterator
from typing import NamedTuple

from .index import Claim

# A claim is a sentence or a paragraph: a field longer than this means a stray quote swallowed the rest of
# the file (the csv module's own limit is process-wide state that other code may raise).
MAX_FIELD = 100_000


class FormatError(ValueError):
    """A file is not in the expected format; the message names the file and line."""


class Judgement(NamedTuple):
    query_id: Hashable
    claim_id: Hashable
    relevant: bool


def parse_id(raw: str) -> Hashable:
    raw = raw.strip()
    try:
        return int(raw)
    except ValueError:
        return raw


def _rows(lines: Iterable[str], name: str, min_fields: int, what: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(lines, delimiter="\t")
    try:
        header = next(reader, None)
        if header is None:
            raise FormatError(f"{name} is empty: expected a header line, then one {what} per line.")
        for row in reader:
            if not row or not any(field.strip() for field in row):
                continue
            if any(len(field) > MAX_FIELD for field in row):
                raise FormatError(
                    f"{name}, line {reader.line_num}: a field of more than {MAX_FIELD:,} characters (a quote that "
                    "is never closed makes the rest of the file one field)."
                )
            if len(row) < min_fields:
                raise FormatError(
                    f"{name}, line {reader.line_num}: expected {min_fields} tab-separated fields, found {len(row)} "
                    f"({what})."
                )
            yield reader.line_num, row
    except csv.Error as exc:
        hint = " (a quote that is never closed makes the rest of the file one field)" if "limit" in str(exc) else ""
        raise FormatError(f"{name}, line {reader.line_num}: {exc}{hint}.") from exc


def read_claims(lines: Iterable[str], *, name: str = "claims file") -> list[Claim]:
    """``id<TAB>claim<TAB>title`` rows after a header line; the title may be missing. Ids must be unique."""
    claims: list[Claim] = []
    seen: dict[Hashable, int] = {}
    for line, row in _rows(lines, name, 2, "id<TAB>claim<TAB>title"):
        claim_id, text = parse_id(row[0]), row[1].strip()
        if claim_id == "":
            raise FormatError(f"{name}, line {line}: the claim has no id.")
        if not text:
            raise FormatError(f"{name}, line {line}: claim {claim_id} has no text.")
        if claim_id in seen:
            raise FormatError(f"{name}, line {line}: claim id {claim_id} already used on line {seen[claim_id]}.")
        seen[claim_id] = line
        claims.append(Claim(claim_id, text, row[2].strip() if len(row) > 2 else ""))
    if not claims:
        raise FormatError(f"{name} has no claims after its header line.")
    return claims


def read_queries(lines: Iterable[str], *, name: str = "queries file") -> dict[Hashable, str]:
    """``id<TAB>text`` rows after a header line."""
    queries: dict[Hashable, str] = {}
    for line, row in _rows(lines, name, 2, "id<TAB>text"):
        query_id = parse_id(row[0])
        if query_id in queries:
            raise FormatError(f"{name}, line {line}: query id {query_id} is used twice.")
        queries[query_id] = row[1].strip()
    if not queries:
        raise FormatError(f"{name} has no queries after its header line.")
    return queries


def read_qrels(lines: Iterable[str], *, name: str = "qrels file") -> list[Judgement]:
    """TREC qrels: ``query_id 0 claim_id relevance`` per line (spaces or tabs); relevance 0 means "not a match"."""
    judgements = []
    for number, raw in enumerate(lines, start=1):
        fields = raw.split()
        if not fields:
            continue
        if len(fields) != 4:
            raise FormatError(f"{name}, line {number}: expected 'query_id 0 claim_id relevance', got {raw.strip()!r}.")
        try:
            relevance = int(fields[3])
        except ValueError:
            raise FormatError(f"{name}, line {number}: relevance must be a whole number, got {fields[3]!r}.") from None
        judgements.append(Judgement(parse_id(fields[0]), parse_id(fields[2]), relevance > 0))
    if not judgements:
        raise FormatError(f"{name} has no judgements.")
    return judgements
