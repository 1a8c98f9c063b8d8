"""Check-worthiness quality and speed on the ClaimBuster dev split (evaluation only; nothing is saved).

    python bench/checkworthiness.py [--folds 5] [--seed 0]

Prints average precision, ROC-AUC and F1 for (a) the shipped rule scorer and (b) the trainable scorer
by out-of-fold cross-validation, plus sentences per second. F1 is at 0.5 and also at the app's
default CHECKWORTHINESS_THRESHOLD of 0.3.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data" / "checkworthiness" / "claimbuster_dev.csv"
APP_THRESHOLD = 0.3


def load(path: Path = DATA) -> tuple[list[str], list[int]]:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [row["text"] for row in rows], [int(row["label"]) for row in rows]


def report(name: str, labels, scores, seconds: float, n_scored: int) -> None:
    from sklearn.metrics import average_precision_score, f1_score, roc_auc_score

    print(
        f"{name:32s} AP {average_precision_score(labels, scores):.3f}  "
        f"ROC-AUC {roc_auc_score(labels, scores):.3f}  "
        f"F1@0.5 {f1_score(labels, [s >= 0.5 for s in scores]):.3f}  "
        f"F1@{APP_THRESHOLD} {f1_score(labels, [s >= APP_THRESHOLD for s in scores]):.3f}  "
        f"{n_scored / seconds:,.0f} sentences/s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--csv", type=Path, default=DATA, help="labelled sentences, same columns (default: %(default)s)"
    )
    args = parser.parse_args()
    data = args.csv
    if not data.exists():
        print(f"SKIP: {data} not found (the shared evaluation data is only on development machines).")
        return 0

    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    from articles.checkworthiness import score_statements
    from articles.checkworthiness_training import build_pipeline, cross_validate, train_scorer

    texts, labels = load(data)
    print(f"{data.name}: {len(texts)} sentences, {sum(labels)} check-worthy ({sum(labels) / len(texts):.0%})")

    start = time.perf_counter()
    rule_scores = [s.score for s in score_statements(texts)]
    report("(a) rules-v1 (default)", labels, rule_scores, time.perf_counter() - start, len(texts))

    # Out-of-fold predictions, fold by fold, so training and scoring time are measured apart.
    x, y = np.asarray(texts, dtype=object), np.asarray(labels)
    out_of_fold = np.zeros(len(y))
    fit_seconds = score_seconds = 0.0
    for train_index, test_index in StratifiedKFold(args.folds, shuffle=True, random_state=args.seed).split(x, y):
        start = time.perf_counter()
        pipeline = build_pipeline().fit(x[train_index], y[train_index])
        fit_seconds += time.perf_counter() - start
        start = time.perf_counter()
        out_of_fold[test_index] = pipeline.predict_proba(x[test_index])[:, 1]
        score_seconds += time.perf_counter() - start
    report(f"(b) trained, {args.folds}-fold CV", labels, out_of_fold, score_seconds, len(texts))
    print(f"    training: {fit_seconds / args.folds:.1f} s per fold of {len(texts) * (args.folds - 1) // args.folds}")

    # The public API must agree with the loop above.
    metrics = cross_validate(texts, labels, folds=args.folds, seed=args.seed)
    print("    cross_validate(): " + ", ".join(f"{k}={v:.3f}" for k, v in metrics.items()))

    # Scoring through TrainedScorer adds the rule reasons; time it on the whole set.
    # (the file is sorted by label, so train the timing model on every fourth sentence, not the first ones).
    scorer = train_scorer(texts[::4], labels[::4], version="bench", folds=2)
    start = time.perf_counter()
    scorer.score_statements(texts)
    rate = len(texts) / (time.perf_counter() - start)
    print(f"    TrainedScorer.score_statements with reasons: {rate:,.0f} sentences/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
