"""Team figures kept as sums. Pure: no Django.

Every figure on the overview (rating counts, settled and disputed statements, the verdict distribution,
agreement with the final verdict, Krippendorff's alpha, pairwise agreement, the median time to rate) can be
computed from a handful of sums per scope (the whole desk, or one reviewer), and each statement adds its own
share to those sums. So when one statement changes, the desk's and its reviewers' figures change by that
statement's new share minus its old one, without reading any other rating.

A scope's sums are a flat mapping of named cells to numbers:

    ratings, statements, settled, disputed      counts
    on_settled, agree                           ratings on settled statements, and those equal to the final verdict
    pairs, pairs_agree                          reviewer pairs within a statement, and agreeing ones (desk only)
    d:<verdict>                                 settled statements by final verdict
    n:<c>|<k>                                   nominal coincidences (Krippendorff), all verdicts
    o:<c>|<k>                                   ordinal coincidences, truth-scale steps only
    m:<minutes>                                 ratings by minutes from assignment to rating, rounded (see bucket)

Scope 0 is the desk; any other scope is a reviewer's id. For a reviewer, counts and times are of their own
ratings and of the statements they rated, and agreement is measured on every rating of those statements
(their colleagues' included), as the overview has always shown it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .verdicts import ORDINAL_SCALE, STEP, Verdict

DESK = 0
Cells = Counter  # cell name -> value


@dataclass(frozen=True)
class Outcome:
    settled: bool
    disputed: bool
    final: str


# (reviewer id, verdict, minutes from assignment to rating or None)
RatingShare = tuple[int, str, int | None]


def bucket(minutes: float) -> int:
    """Minutes to rate, rounded so a scope keeps at most about a thousand distinct values: to the minute
    under an hour, to 5 minutes under a day, to the hour beyond (halves round up, as the SQL of a full
    recompute does)."""
    minutes = max(0.0, minutes)
    if minutes < 60:
        return math.floor(minutes + 0.5)
    if minutes < 24 * 60:
        return math.floor(minutes / 5 + 0.5) * 5
    return math.floor(minutes / 60 + 0.5) * 60


def snapshot(ratings: Sequence[RatingShare], outcome: Outcome) -> dict:
    """What a statement's shares are computed from, as stored on its summary (JSON)."""
    return {"r": sorted([list(r) for r in ratings]), "o": [outcome.settled, outcome.disputed, outcome.final]}


def shares_of_snapshot(stored: Mapping | None) -> dict[int, Cells]:
    if not stored or not stored.get("r"):
        return {}
    settled, disputed, final = stored.get("o") or (False, False, "")
    ratings = [(int(r), str(v), None if m is None else int(m)) for r, v, m in stored["r"]]
    return statement_shares(ratings, Outcome(bool(settled), bool(disputed), final or ""))


def _coincidences(values: Sequence, prefix: str, cells: Cells) -> None:
    counts = Counter(values)
    m = len(values)
    if m < 2:
        return
    for c, n_c in counts.items():
        for k, n_k in counts.items():
            pairs = n_c * (n_k - 1) if c == k else n_c * n_k
            if pairs:
                cells[f"{prefix}{c}|{k}"] += pairs / (m - 1)


def unit_cells(verdicts: Sequence[str], outcome: Outcome | None) -> Cells:
    """What a statement adds to every scope it counts in (the desk, and each of its reviewers): one statement,
    its outcome and its coincidences. Depends only on the statement's verdicts and outcome, so a full rebuild
    computes it once per distinct (verdicts, outcome) and multiplies."""
    cells = Cells()
    _coincidences(verdicts, "n:", cells)
    _coincidences([STEP[Verdict(v)] for v in verdicts if Verdict(v) in STEP], "o:", cells)
    cells["statements"] += 1
    if outcome and outcome.settled:
        cells["settled"] += 1
        cells[f"d:{outcome.final}"] += 1
    elif outcome and outcome.disputed:
        cells["disputed"] += 1
    return cells


def desk_pair_cells(verdicts: Sequence[str]) -> Cells:
    """What a statement adds to the desk alone: its ratings and its reviewer pairs, agreeing or not."""
    cells = Cells()
    cells["ratings"] += len(verdicts)
    if len(verdicts) >= 2:
        counts = Counter(verdicts)
        cells["pairs"] += len(verdicts) * (len(verdicts) - 1) // 2
        cells["pairs_agree"] += sum(n * (n - 1) // 2 for n in counts.values())
    return cells


def verdict_cells(verdict: str, outcome: Outcome | None) -> Cells:
    """What one rating's verdict adds to its reviewer's sums and to the desk's: its agreement with a settled
    statement's final verdict."""
    cells = Cells()
    if outcome and outcome.settled:
        cells["on_settled"] += 1
        cells["agree"] += verdict == outcome.final
    return cells


def time_cells(minutes: int | None) -> Cells:
    """What one rating's time to rate adds to its reviewer's sums and to the desk's."""
    return Cells() if minutes is None else Cells({f"m:{minutes}": 1})


def statement_shares(ratings: Sequence[RatingShare], outcome: Outcome | None) -> dict[int, Cells]:
    """One statement's share of every scope's sums: the desk's and each of its reviewers'."""
    if not ratings:
        return {}
    verdicts = [verdict for _, verdict, _ in ratings]
    unit = unit_cells(verdicts, outcome)
    desk = unit + desk_pair_cells(verdicts)
    shares = {DESK: desk}
    for reviewer, verdict, minutes in ratings:
        own = shares.setdefault(reviewer, Cells(unit))
        own["ratings"] += 1
        rated = verdict_cells(verdict, outcome) + time_cells(minutes)
        own.update(rated)
        desk.update(rated)
    return shares


def difference(new: Mapping[int, Cells], old: Mapping[int, Cells]) -> dict[int, Cells]:
    """new - old, per scope and cell, dropping cells that do not change."""
    delta: dict[int, Cells] = defaultdict(Cells)
    for scope, cells in new.items():
        for name, value in cells.items():
            delta[scope][name] += value
    for scope, cells in old.items():
        for name, value in cells.items():
            delta[scope][name] -= value
    return {scope: Cells({k: v for k, v in cells.items() if abs(v) > 1e-12}) for scope, cells in delta.items() if cells}


def _alpha(o: Mapping[tuple, float], distance) -> float | None:
    marginals: Counter = Counter()
    for (c, _), value in o.items():
        marginals[c] += value
    n = sum(marginals.values())
    if n < 2:
        return None
    observed = sum(value * distance(marginals, c, k) for (c, k), value in o.items())
    expected = sum(
        n_c * n_k * distance(marginals, c, k) for c, n_c in marginals.items() for k, n_k in marginals.items()
    )
    if expected <= 1e-12:
        return None  # everyone used one value: agreement cannot be told apart from chance
    return 1 - (n - 1) * observed / expected


def _nominal(_marginals, c, k) -> float:
    return float(c != k)


def _ordinal(marginals, c: int, k: int) -> float:
    if c == k:
        return 0.0
    low, high = min(c, k), max(c, k)
    between = sum(marginals.get(g, 0) for g in range(low, high + 1))
    return (between - (marginals[c] + marginals[k]) / 2) ** 2


def _median(histogram: Mapping[int, float]) -> float | None:
    items = sorted((minutes, round(count)) for minutes, count in histogram.items() if round(count) > 0)
    total = sum(count for _, count in items)
    if not total:
        return None

    def value_at(index: int) -> int:
        seen = 0
        for minutes, count in items:
            seen += count
            if index < seen:
                return minutes
        return items[-1][0]

    middle = total // 2
    minutes = value_at(middle) if total % 2 else (value_at(middle - 1) + value_at(middle)) / 2
    return minutes / 60


def figures(cells: Mapping[str, float], *, desk: bool) -> dict:
    """The overview's figures for one scope from its sums."""
    # One pass over the cells, sorted out by their prefix: a scope holds hundreds of them (one per minute value
    # rated in), and this runs for three scopes after every rating.
    distribution: dict[str, int] = {}
    histogram: dict[int, float] = {}
    ordinal: dict[tuple, float] = {}
    nominal: dict[tuple, float] = {}
    for name, value in cells.items():
        prefix = name[:2]
        if prefix == "m:":
            histogram[int(name[2:])] = value
        elif prefix == "d:":
            if round(value) > 0:
                distribution[name[2:]] = int(round(value))
        elif prefix in ("o:", "n:") and value > 1e-12:
            c, k = name[2:].split("|")
            if prefix == "o:":
                ordinal[int(c), int(k)] = value
            else:
                nominal[c, k] = value
    count = lambda name: int(round(cells.get(name, 0)))  # noqa: E731 - a local shorthand
    on_settled = count("on_settled")
    pairs = count("pairs")
    return {
        "rating_count": count("ratings"),
        "statements_rated": count("statements"),
        "settled_count": count("settled"),
        "disputed_count": count("disputed"),
        "distribution": dict(sorted(distribution.items())),
        "agreement_with_consensus": count("agree") / on_settled if on_settled else None,
        "alpha_ordinal": _alpha(ordinal, _ordinal),
        "alpha_nominal": _alpha(nominal, _nominal),
        "percent_agreement": (count("pairs_agree") / pairs if pairs else None) if desk else None,
        "median_hours_to_rate": _median(histogram),
    }


def total(shares: Iterable[Mapping[int, Cells]]) -> dict[int, Cells]:
    """Every statement's shares added up: a full recompute's sums."""
    sums: dict[int, Cells] = defaultdict(Cells)
    for statement in shares:
        for scope, cells in statement.items():
            sums[scope].update(cells)
    return dict(sums)


ORDINAL_STEPS = len(ORDINAL_SCALE)
