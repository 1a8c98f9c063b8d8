"""Ranking measures for claim matching: MAP@k, P@1 and recall@k, as the CLEF CheckThat! lab computes them."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping


def order_like_trec_eval(ranking: Iterable[tuple[Hashable, float]]) -> list[Hashable]:
    """Ids by score, best first; equal scores put the larger id first, as trec_eval (and the lab's scorer) do."""

    def larger_id_first(item: tuple[Hashable, float]):
        claim_id, score = item
        try:
            return (-score, -float(claim_id))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return (-score, 0.0)

    return [claim_id for claim_id, _ in sorted(ranking, key=larger_id_first)]


def ranking_metrics(
    rankings: Mapping[Hashable, list[Hashable]], gold: Mapping[Hashable, set[Hashable]], *, depth: int = 5
) -> dict[str, float]:
    """Mean over the queries in ``gold`` of average precision at ``depth``, precision at 1 and recall at ``depth``.

    ``rankings`` maps each query to its ids, best first; a query missing from it scores 0.
    """
    if not gold:
        return {f"map@{depth}": 0.0, "p@1": 0.0, f"recall@{depth}": 0.0, "queries": 0.0}
    total_ap = total_p1 = total_recall = 0.0
    for query, relevant in gold.items():
        ranked = list(rankings.get(query, []))[:depth]
        hits, precision_sum = 0, 0.0
        for position, claim_id in enumerate(ranked, start=1):
            if claim_id in relevant:
                hits += 1
                precision_sum += hits / position
        total_ap += precision_sum / len(relevant)
        total_p1 += 1.0 if ranked and ranked[0] in relevant else 0.0
        total_recall += hits / len(relevant)
    n = len(gold)
    return {f"map@{depth}": total_ap / n, "p@1": total_p1 / n, f"recall@{depth}": total_recall / n, "queries": float(n)}
