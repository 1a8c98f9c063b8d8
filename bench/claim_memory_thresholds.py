"""How the claim memory's suggestion thresholds trade right suggestions for false ones, on CLEF CheckThat! 2020.

    python bench/claim_memory_thresholds.py

The desk suggests a query's best match only when its score reaches a threshold (CLAIM_MATCH_MIN_SCORE for the
default blend, CLAIM_MATCH_MIN_PROBABILITY for a trained re-ranker). For each threshold this prints, over the
queries: ``right`` = share whose best match is a gold claim and reaches the threshold (suggestions the desk gets
right), ``false`` = share of the suggestions made whose best match is not a gold claim; and how many of the
right and of the wrong best matches the threshold keeps. The default blend is
measured on the training queries (what its threshold was chosen on); a re-ranker trained on the training pairs
on the development queries. Claims are indexed without their titles, as the desk's memory holds statements.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data" / "claim_matching"
THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8)


def load(path: Path, reader):
    with path.open(encoding="utf-8", newline="") as fh:
        return reader(fh, name=str(path.relative_to(DATA)))


def figures(matcher, queries, gold) -> list[tuple[float, float, float]]:
    best = {}
    for qid, text in queries.items():
        if qid in gold:
            matches = matcher.match(text, k=1)
            best[qid] = matches[0] if matches else None
    right_top = sum(1 for q, m in best.items() if m is not None and m.id in gold[q])
    wrong_top = sum(1 for q, m in best.items() if m is not None and m.id not in gold[q])
    rows = []
    for threshold in THRESHOLDS:
        suggested = {q: m for q, m in best.items() if m is not None and m.score >= threshold}
        right = sum(1 for q, m in suggested.items() if m.id in gold[q])
        wrong = len(suggested) - right
        rows.append(
            (
                threshold,
                right / len(best),
                wrong / len(suggested) if suggested else 0.0,
                right / right_top if right_top else 0.0,
                wrong / wrong_top if wrong_top else 0.0,
            )
        )
    return rows


def main() -> None:
    from articles.matching import Claim, ClaimIndex, ClaimMatcher, MatchExample, train_reranker
    from articles.matching.formats import read_claims, read_qrels, read_queries

    claims = load(DATA / "verified_claims.docs.tsv", read_claims)
    index = ClaimIndex([Claim(c.id, c.text) for c in claims])
    splits = {}
    for split in ("train", "dev"):
        queries = load(DATA / split / "tweets.queries.tsv", read_queries)
        pairs = load(DATA / split / "tweet-vclaim-pairs.qrels", read_qrels)
        gold: dict = {}
        for pair in pairs:
            if pair.relevant:
                gold.setdefault(pair.query_id, set()).add(pair.claim_id)
        splits[split] = (queries, pairs, gold)

    queries, _, gold = splits["train"]
    print(f"default blend, training queries ({len(gold)}):")
    for threshold, right, false, kept_right, kept_wrong in figures(ClaimMatcher(index), queries, gold):
        print(
            f"  score >= {threshold:.2f}: right {right:.1%}  false {false:.1%}  "
            f"(keeps {kept_right:.1%} of right top-1s, {kept_wrong:.1%} of wrong ones)"
        )

    train_queries, train_pairs, _ = splits["train"]
    examples = [MatchExample(train_queries[p.query_id], p.claim_id, p.relevant) for p in train_pairs]
    reranker = train_reranker(index, [e for e in examples if e.query], folds=0)
    queries, _, gold = splits["dev"]
    print(f"re-ranker trained on the training pairs, development queries ({len(gold)}):")
    for threshold, right, false, kept_right, kept_wrong in figures(ClaimMatcher(index, reranker), queries, gold):
        print(
            f"  probability >= {threshold:.2f}: right {right:.1%}  false {false:.1%}  "
            f"(keeps {kept_right:.1%} of right top-1s, {kept_wrong:.1%} of wrong ones)"
        )


if __name__ == "__main__":
    main()
