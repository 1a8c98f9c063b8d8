"""Claim matching ("already checked?") on CLEF CheckThat! 2020 Task 2 (English), and its speed at scale.

    python bench/claim_matching.py [--scale 100000] [--full]

Quality: the re-ranker is trained on the 800 training pairs only (its cross-validated figures on them are
printed too), then the 197 development queries are matched against the 10,375 verified claims. MAP@5, P@1 and
recall@5 are computed as the lab's scorer does (equal scores: the larger id ranks first), beside a plain BM25
baseline over the claim text run here (the README's reference), our BM25 candidate stage alone, and the
untrained default blend. Speed: ms per query for the whole match (query preparation, candidates, features,
re-ranking), the index's build time and size.

Scale: an index of ``--scale`` synthetic short texts (halves of two random sentences from the claims, their
titles and the news sample, glued; default 100,000; ``--full`` makes it 1,000,000) plus the real claims, and
the time per development query of candidate generation (posting lists of the query's terms) and of the whole
match. Evaluation data only: nothing trained here is saved.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data" / "claim_matching"
NEWS = ROOT.parent / "shared" / "data" / "news" / "fakenewscorpus_sample.csv"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(path: Path, reader):
    with path.open(encoding="utf-8", newline="") as fh:
        return reader(fh, name=str(path.relative_to(DATA)))


class PlainBM25:
    """The README's baseline: BM25 (k1 1.2, b 0.75) over the claim text alone, lower-cased words of 2+ letters
    without English stop words, no near-duplicate folding. (The README's 0.633 came from another implementation.)"""

    def __init__(self, claims):
        import numpy as np
        from scipy import sparse
        from sklearn.feature_extraction.text import CountVectorizer

        self.vectorizer = CountVectorizer(stop_words="english")
        counts = self.vectorizer.fit_transform([c.text for c in claims]).tocoo()
        lengths = np.bincount(counts.row, weights=counts.data, minlength=len(claims))
        df = np.bincount(counts.col, minlength=counts.shape[1])
        idf = np.log(1 + (len(claims) - df + 0.5) / (df + 0.5))
        norm = 1.2 * (0.25 + 0.75 * lengths / lengths.mean())
        weights = counts.data * 2.2 / (counts.data + norm[counts.row]) * idf[counts.col]
        self.matrix = sparse.csr_matrix((weights, (counts.col, counts.row)), shape=counts.shape[::-1])
        self.ids = [c.id for c in claims]

    def match(self, query: str, k: int = 5):
        import numpy as np

        vector = self.vectorizer.transform([query])
        vector.data[:] = 1
        scores = (vector @ self.matrix).toarray().ravel()
        top = np.argsort(-scores)[: max(k, 50)]
        return [(self.ids[i], float(scores[i])) for i in top]


def evaluate(rank, queries, gold, depth=5):
    """(metrics, ms per query); rankings re-ordered as the lab's scorer orders them."""
    from articles.matching.evaluation import order_like_trec_eval, ranking_metrics

    rankings, times, cpu = {}, [], 0.0
    for query_id, text in queries.items():
        start, start_cpu = time.perf_counter(), time.process_time()
        ranked = rank(text)
        times.append((time.perf_counter() - start) * 1000)
        cpu += time.process_time() - start_cpu
        rankings[query_id] = order_like_trec_eval(ranked)
    metrics = ranking_metrics(rankings, gold, depth=depth)
    metrics["cpu_ms"] = cpu * 1000 / max(1, len(queries))
    return metrics, times


def synthetic_texts(claims, n: int, seed: int = 0) -> list[str]:
    import random

    csv.field_size_limit(10**9)
    sentences = [c.text for c in claims] + [c.title for c in claims if c.title]
    if NEWS.exists():
        with NEWS.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                found = re.split(r"(?<=[.!?])\s+", row["content"] or "")
                sentences.extend(s for s in found if 6 <= len(s.split()) <= 60)
    halves = []
    for sentence in sentences:
        words = sentence.split()
        middle = len(words) // 2
        halves.append((words[:middle], words[middle:]))
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        first, second = rng.choice(halves)[0], rng.choice(halves)[1]
        out.append(" ".join(first + second))
    return out


def line(name: str, metrics: dict, times: list[float] | None = None) -> str:
    speed = ""
    if times:
        p95 = sorted(times)[int(0.95 * len(times))]
        speed = f"{statistics.mean(times):8.1f} {statistics.median(times):7.1f} {p95:7.1f} {metrics['cpu_ms']:7.1f}"
    return f"{name:44}{metrics['map@5']:8.3f}{metrics['p@1']:8.3f}{metrics['recall@5']:8.3f}   {speed}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=100_000, help="synthetic texts in the scale check")
    parser.add_argument("--full", action="store_true", help="scale check at 1,000,000 texts (several minutes)")
    parser.add_argument("--skip-scale", action="store_true", help="quality only")
    args = parser.parse_args()
    print("$ python " + " ".join(sys.argv))
    print(
        "load average {:.1f} {:.1f} {:.1f} on {} cores (timings are wall clock; CPU = this process's CPU time)".format(
            *os.getloadavg(), os.cpu_count()
        )
    )
    if not DATA.exists():
        print(f"SKIP: {DATA} not found (the shared evaluation data is only on development machines).")
        return 0
    import numpy as np

    from articles.matching import ClaimIndex, ClaimMatcher, MatchExample, train_reranker
    from articles.matching.embedding import load_embedder
    from articles.matching.formats import read_claims, read_qrels, read_queries

    claims = load(DATA / "verified_claims.docs.tsv", read_claims)
    train_queries = load(DATA / "train" / "tweets.queries.tsv", read_queries)
    dev_queries = load(DATA / "dev" / "tweets.queries.tsv", read_queries)
    train_pairs = load(DATA / "train" / "tweet-vclaim-pairs.qrels", read_qrels)
    dev_pairs = load(DATA / "dev" / "tweet-vclaim-pairs.qrels", read_qrels)
    dev_gold: dict = {}
    for judgement in dev_pairs:
        if judgement.relevant:
            dev_gold.setdefault(judgement.query_id, set()).add(judgement.claim_id)
    print(
        f"{len(claims):,} verified claims; {len(train_queries)} training queries ({len(train_pairs)} pairs), "
        f"{len(dev_queries)} development queries ({len(dev_pairs)} pairs)"
    )

    load_embedder()  # once per process; not part of the build or the queries
    start = time.perf_counter()
    rss_before = rss_mb()
    index = ClaimIndex(claims)
    build_seconds = time.perf_counter() - start
    print(
        f"index: {len(index):,} distinct claims ({index.ids_count - len(index)} near-duplicate ids folded in), "
        f"built in {build_seconds:.1f} s, matrices {index.memory_bytes() / 2**20:.0f} MiB, "
        f"peak RSS +{rss_mb() - rss_before:.0f} MiB"
    )

    start = time.perf_counter()
    examples = [MatchExample(train_queries[j.query_id], j.claim_id, j.relevant) for j in train_pairs]
    reranker = train_reranker(index, examples, folds=5, version="bench")
    train_seconds = time.perf_counter() - start
    cv = reranker.metrics

    baseline = PlainBM25(claims)
    default_matcher = ClaimMatcher(index)
    matcher = ClaimMatcher(index, reranker)

    def candidates_only(text):
        docs, scores = index.candidates(text, 5)
        return [(index.representative(int(d)), float(s)) for d, s in zip(docs, scores, strict=True)]

    print()
    header = f"{'development queries (197), lab tie-breaking':44}{'MAP@5':>8}{'P@1':>8}{'R@5':>8}"
    print(header + "   ms/query: mean  median     p95     CPU")
    rows = [
        ("BM25, claim text (README baseline)", baseline.match),
        ("BM25 candidates: claim+title, dedupe, terms", candidates_only),
        ("default blend, untrained", lambda text: default_matcher.match(text, 5)),
        ("re-ranked (trained on the 800 train pairs)", lambda text: matcher.match(text, 5)),
    ]
    results = {}
    for name, rank in rows:
        metrics, times = evaluate(rank, dev_queries, dev_gold)
        results[name] = metrics
        print(line(name, metrics, times))
    candidate_recall = []
    for query_id, text in dev_queries.items():
        docs, _ = index.candidates(text, 100)
        found = {index.representative(int(d)) for d in docs}
        candidate_recall.append(bool(found & {index.group(g)[0] for g in dev_gold[query_id] if g in index}))
    print(f"{'(candidates: the gold claim is among the 100 in':44}{np.mean(candidate_recall):8.3f} of queries)")
    print()
    print(
        f"training: {int(cv['queries'])} queries, {int(cv['pairs']):,} pairs, {train_seconds:.1f} s with "
        f"{int(cv['folds'])}-fold CV; cross-validated on train: MAP@5 {cv['map@5']:.3f}  P@1 {cv['p@1']:.3f}  "
        f"R@5 {cv['recall@5']:.3f}"
    )
    final = results["re-ranked (trained on the 800 train pairs)"]["map@5"]
    print(f"target MAP@5 >= 0.85 on dev: {'met' if final >= 0.85 else 'NOT met'} ({final:.3f})")

    if args.skip_scale:
        return 0
    size = 1_000_000 if args.full else args.scale
    print()
    print(f"scale: {size:,} synthetic short texts + the {len(claims):,} claims")
    texts = synthetic_texts(claims, size)
    start = time.perf_counter()
    rss_before = rss_mb()
    big = ClaimIndex(claims)
    step = 100_000
    for offset in range(0, size, step):
        big.add((f"s{offset + i}", text) for i, text in enumerate(texts[offset : offset + step]))
    build_seconds = time.perf_counter() - start
    print(
        f"  index: {len(big):,} distinct texts in {len(big.segments)} segments, built in {build_seconds:.0f} s "
        f"({len(big) / build_seconds:,.0f} texts/s), matrices {big.memory_bytes() / 2**20:,.0f} MiB, "
        f"peak RSS +{rss_mb() - rss_before:,.0f} MiB"
    )
    prepared = {query_id: big.prepare(text) for query_id, text in dev_queries.items()}
    candidate_ms, start_cpu = [], time.process_time()
    for query in prepared.values():
        start = time.perf_counter()
        big.candidates(query, 100)
        candidate_ms.append((time.perf_counter() - start) * 1000)
    candidate_cpu = (time.process_time() - start_cpu) * 1000 / len(prepared)
    scaled = ClaimMatcher(big, reranker)
    metrics, match_ms = evaluate(lambda text: scaled.match(text, 5), dev_queries, dev_gold)
    print(
        f"  candidate generation (top 100 by BM25): {statistics.mean(candidate_ms):.1f} ms/query mean, "
        f"{statistics.median(candidate_ms):.1f} median, {sorted(candidate_ms)[int(0.95 * len(candidate_ms))]:.1f} p95, "
        f"CPU {candidate_cpu:.1f}"
    )
    print(line("  whole match, re-ranked", metrics, match_ms))
    print("load average {:.1f} {:.1f} {:.1f} at the end".format(*os.getloadavg()))
    print("  (the synthetic texts reuse halves of the real claims: harder distractors than real statements)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
