"""Assignment strategies. Pure: plain ids in, (statement, reviewer) pairs out."""

from collections.abc import Iterable, Mapping


def least_loaded(
    *,
    statement_ids: Iterable[int],
    reviewer_ids: Iterable[int],
    per_statement: int,
    load: Mapping[int, int],
    already: Mapping[int, set[int]],
    capacity: Mapping[int, int] | None = None,
) -> list[tuple[int, int]]:
    """Give each statement up to `per_statement` distinct reviewers, least loaded first.

    `load` is each reviewer's open assignments; `already` the reviewers a statement has; `capacity` (if given)
    the most open assignments each may have: a reviewer at capacity is not chosen, so a statement may get fewer
    reviewers than asked. A reviewer is never chosen twice for one statement. Ties go to the lower reviewer id
    so results are repeatable.
    """
    reviewers = sorted(set(reviewer_ids))
    current = {r: load.get(r, 0) for r in reviewers}
    pairs: list[tuple[int, int]] = []
    for statement_id in statement_ids:
        have = set(already.get(statement_id, set()))
        needed = per_statement - len(have)
        if needed <= 0:
            continue
        candidates = sorted(
            (r for r in reviewers if r not in have and (capacity is None or current[r] < capacity.get(r, 0))),
            key=lambda r: (current[r], r),
        )
        for reviewer_id in candidates[:needed]:
            pairs.append((statement_id, reviewer_id))
            current[reviewer_id] += 1
    return pairs


def skip_reasons(
    *,
    reviewer_ids: Iterable[int],
    pairs: Iterable[tuple[int, int]],
    load: Mapping[int, int],
    capacity: Mapping[int, int],
    short: bool,
) -> dict[int, str]:
    """Why each reviewer who got nothing, or stopped getting statements, was passed over: at capacity before
    the batch, or filled up by it while statements still lacked reviewers (`short`)."""
    given: dict[int, int] = {}
    for _, reviewer_id in pairs:
        given[reviewer_id] = given.get(reviewer_id, 0) + 1
    reasons = {}
    for reviewer_id in sorted(set(reviewer_ids)):
        before, limit = load.get(reviewer_id, 0), capacity.get(reviewer_id, 0)
        if before >= limit:
            reasons[reviewer_id] = f"at capacity: {before} open of {limit}"
        elif short and before + given.get(reviewer_id, 0) >= limit:
            reasons[reviewer_id] = f"reached capacity ({limit}) in this batch"
    return reasons
