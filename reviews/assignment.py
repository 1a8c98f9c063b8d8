"""Assignment strategies. Pure: plain ids in, (statement, reviewer) pairs out."""

from collections.abc import Iterable, Mapping


def least_loaded(
    *,
    statement_ids: Iterable[int],
    reviewer_ids: Iterable[int],
    per_statement: int,
    load: Mapping[int, int],
    already: Mapping[int, set[int]],
) -> list[tuple[int, int]]:
    """Give each statement up to `per_statement` distinct reviewers, least loaded first.

    `load` is each reviewer's open assignments; `already` the reviewers a statement has. A reviewer is
    never chosen twice for one statement. Ties go to the lower reviewer id so results are repeatable.
    """
    reviewers = sorted(set(reviewer_ids))
    current = {r: load.get(r, 0) for r in reviewers}
    pairs: list[tuple[int, int]] = []
    for statement_id in statement_ids:
        have = set(already.get(statement_id, set()))
        needed = per_statement - len(have)
        if needed <= 0:
            continue
        candidates = sorted((r for r in reviewers if r not in have), key=lambda r: (current[r], r))
        for reviewer_id in candidates[:needed]:
            pairs.append((statement_id, reviewer_id))
            current[reviewer_id] += 1
    return pairs
