"""Check-worthiness quality and speed, measured out of sample (evaluation only; nothing is saved).

    python bench/checkworthiness.py [--quick] [--blocks 10] [--csv FILE]

1. ClaimBuster dev split (``../shared/data/checkworthiness/claimbuster_dev.csv``, GPL data: read here, never
   shipped). Sentence ids run in debate order, so the file is sorted by id and cut into contiguous blocks that
   stand in for debates. The first half of the blocks is the tuning half: models are fitted on it and any
   choice (weights, thresholds, C) may only be made on it. The second half is held out and only scored.
   For (a) the shipped rule scorer, (b) the trainable scorer (train_scorer, fitted on the tuning half, its
   blocks passed as groups where it takes them) and (c) a plain TF-IDF + logistic regression baseline fitted
   on the same half, it prints average precision, ROC-AUC, precision at 10/50/100 and F1 at the app's
   threshold on the held-out half, the AP of each held-out block, and beside them, labelled, the in-sample
   figures on the tuning half.
2. The 3-class ordering check (check-worthy > unimportant factual > non-factual) when the file has three
   classes (ClaimBuster's -1/0/1); the dev file has only 0/1, and the bench says so and skips it.
3. The seed article (``../shared/samples/000_59948f7b3f7516a9.txt``), cleaned and split as the app does,
   ranked by each scorer against the hand labels in ``bench/data/seed_checkworthy.md`` (written before any
   tuning): where each scorer's top five land, and where the "check first" statements land.
4. Speed.

``--quick`` gives train_scorer 3 cross-validation folds instead of 5: as honest (same split, same held-out
half), only cheaper. CI runs the default.
"""

from __future__ import annotations

import argparse
import csv
import inspect
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
DATA = SHARED / "data" / "checkworthiness" / "claimbuster_dev.csv"
SEED = SHARED / "samples" / "000_59948f7b3f7516a9.txt"
SEED_LABELS = ROOT / "bench" / "data" / "seed_checkworthy.md"
APP_THRESHOLD = 0.3
CHECK_FIRST, CHECKABLE = 2, 1


# --- data -------------------------------------------------------------------------------------------


def load(path: Path = DATA) -> tuple[list[int], list[str], list[int]]:
    """Sentence ids, texts and labels (as written: 0/1, or ClaimBuster's -1/0/1), in sentence id order."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        columns = reader.fieldnames or []
        label_column = next((c for c in ("label", "verdict", "Verdict", "class") if c in columns), None)
        if label_column is None or "text" not in columns or "sentence_id" not in columns:
            raise SystemExit(f"{path}: needs sentence_id, text and a label column; it has {', '.join(columns)}")
        rows = sorted(reader, key=lambda row: int(row["sentence_id"]))
    return (
        [int(row["sentence_id"]) for row in rows],
        [row["text"] for row in rows],
        [int(float(row[label_column])) for row in rows],
    )


def contiguous_blocks(n: int, blocks: int) -> list[range]:
    """``blocks`` runs of consecutive positions, as equal in size as possible."""
    edges = [round(i * n / blocks) for i in range(blocks + 1)]
    return [range(edges[i], edges[i + 1]) for i in range(blocks)]


def seed_statements() -> list[str] | None:
    """The seed article's statements, cleaned and split as an import would."""
    if not SEED.exists():
        return None
    from articles.importing import article_from_text
    from articles.splitting import split_statements

    article = article_from_text(SEED.read_text(encoding="utf-8"), fallback_title=SEED.name)
    return [span.text for span in split_statements(article.body)]


def seed_labels(statements: list[str]) -> list[tuple[int, str]]:
    """(level, why) per statement from the hand-labelled table; refuses if the split no longer matches."""
    rows = {}
    for line in SEED_LABELS.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].isdigit():
            rows[int(cells[0])] = (cells[1], int(cells[2]), cells[3])
    if sorted(rows) != list(range(len(statements))):
        raise SystemExit(f"{SEED_LABELS.name} labels {len(rows)} statements, the splitter gives {len(statements)}")
    labels = []
    for i, text in enumerate(statements):
        start, level, why = rows[i]
        if not _normalised(text).startswith(_normalised(start)):
            raise SystemExit(f"seed statement {i} no longer starts with {start!r}: label the new split again")
        labels.append((level, why))
    return labels


def _shown(value) -> str:
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{value:.3f}"
    return str(value)


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip()


# --- metrics ----------------------------------------------------------------------------------------


def precision_at(labels, scores, k: int) -> float:
    """Precision of the k highest scores, ties at the cut shared out as a random order would on average."""
    import numpy as np

    labels, scores = np.asarray(labels), np.asarray(scores, dtype=float)
    k = min(k, len(scores))
    cut = np.sort(scores)[::-1][k - 1]
    above = scores > cut
    tied = scores == cut
    slots = k - int(above.sum())
    return (labels[above].sum() + labels[tied].sum() * slots / tied.sum()) / k


def metrics(labels, scores) -> dict[str, float]:
    from sklearn.metrics import average_precision_score, f1_score, roc_auc_score

    return {
        "AP": average_precision_score(labels, scores),
        "ROC-AUC": roc_auc_score(labels, scores),
        "P@10": precision_at(labels, scores, 10),
        "P@50": precision_at(labels, scores, 50),
        "P@100": precision_at(labels, scores, 100),
        f"F1@{APP_THRESHOLD}": f1_score(labels, [s >= APP_THRESHOLD for s in scores]),
    }


def plain_baseline():
    """The simplest reasonable learned scorer, untuned: word 1-2-gram TF-IDF and a logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), LogisticRegression(max_iter=1000))


# --- report -----------------------------------------------------------------------------------------


def print_table(results, y, tune, test, blocks, half) -> None:
    import numpy as np

    names = list(metrics([0, 1], [0.0, 1.0]))
    print()
    print(f"{'':30}{'held-out half: OUT-OF-SAMPLE':^48}  | {'tuning half: IN-SAMPLE':^16}")
    print(f"{'scorer':30}" + "".join(f"{name:>8}" for name in names) + "  | " + f"{'AP':>8}{'ROC-AUC':>8}")
    for name, (tune_scores, test_scores) in results.items():
        out = metrics(y[test], test_scores)
        fitted = metrics(y[tune], tune_scores)
        print(
            f"{name:30}"
            + "".join(f"{out[key]:>8.3f}" for key in names)
            + "  | "
            + f"{fitted['AP']:>8.3f}{fitted['ROC-AUC']:>8.3f}"
        )
    print(f"{'chance (prevalence)':30}{y[test].mean():>8.3f}{0.5:>8.3f}{'':32}  | {y[tune].mean():>8.3f}{0.5:>8.3f}")
    print()
    print(f"AP per held-out block ({', '.join(str(len(b)) for b in blocks[half:])} sentences), out-of-sample:")
    for name, (_, test_scores) in results.items():
        per_block = []
        for block in blocks[half:]:
            positions = np.arange(block.start, block.stop) - test[0]
            per_block.append(metrics(y[test][positions], test_scores[positions])["AP"])
        spread = max(per_block) - min(per_block)
        print(
            f"  {name:28}"
            + "".join(f"{value:>7.3f}" for value in per_block)
            + f"   mean {np.mean(per_block):.3f}  range {spread:.3f}"
        )


def print_calibration(results, y, test) -> None:
    """Does a score of 0.7 mean 7 in 10 are check-worthy? On the held-out half, per score band."""
    from sklearn.metrics import brier_score_loss

    edges = [0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0001]
    print()
    print("calibration on the held-out half (out-of-sample): share check-worthy per score band (n), Brier score")
    bands = "".join(f"{f'{lo:.1f}-{min(hi, 1):.1f}':>13}" for lo, hi in zip(edges, edges[1:], strict=False))
    print(f"  {'scorer':28}{bands}   Brier  mean score / rate")
    for name, (_, scores) in results.items():
        cells = []
        for lo, hi in zip(edges, edges[1:], strict=False):
            band = (scores >= lo) & (scores < hi)
            cells.append(f"{y[test][band].mean():.2f} ({int(band.sum())})" if band.any() else "-")
        print(
            f"  {name:28}"
            + "".join(f"{cell:>13}" for cell in cells)
            + f"   {brier_score_loss(y[test], scores):.3f}  {scores.mean():.3f} / {y[test].mean():.3f}"
        )


def print_three_class(classes, results, test) -> None:
    from sklearn.metrics import roc_auc_score

    print()
    present = sorted(set(classes.tolist()))
    if present != [-1, 0, 1]:
        print(
            "3-class ordering check (check-worthy > unimportant factual > non-factual): SKIPPED, this file has "
            f"labels {present} only (no unimportant-factual vs non-factual distinction)."
        )
        return
    held = classes[test]
    print("3-class ordering check on the held-out half (out-of-sample): mean score per class, and pairwise ROC-AUC")
    print(f"  {'scorer':28}{'CFS':>7}{'UFS':>7}{'NFS':>7}  {'CFS>UFS':>8}{'UFS>NFS':>8}{'CFS>NFS':>8}")
    for name, (_, scores) in results.items():
        means = [scores[held == c].mean() for c in (1, 0, -1)]

        def auc(high, low, scores=scores):
            keep = (held == high) | (held == low)
            return roc_auc_score(held[keep] == high, scores[keep])

        print(
            f"  {name:28}"
            + "".join(f"{m:>7.3f}" for m in means)
            + f"  {auc(1, 0):>8.3f}{auc(0, -1):>8.3f}{auc(1, -1):>8.3f}"
        )
    print(f"  ({', '.join(f'{c}: {int((held == c).sum())}' for c in (1, 0, -1))} sentences; ordering holds when > 0.5)")


def print_seed(statements, labels, scorers) -> None:
    import numpy as np
    from sklearn.metrics import average_precision_score

    levels = np.asarray([level for level, _ in labels])
    print()
    print(
        f"seed article ({SEED.name}, {len(statements)} statements; hand labels in bench/{SEED_LABELS.parent.name}/"
        f"{SEED_LABELS.name}, written before tuning): {int((levels == CHECK_FIRST).sum())} 'check first' (2), "
        f"{int((levels == CHECKABLE).sum())} 'checkable, second' (1), {int((levels == 0).sum())} 'not a claim' (0)"
    )
    for name, score_fn in scorers.items():
        scores = np.asarray(score_fn(statements))
        order = sorted(range(len(statements)), key=lambda i: (-scores[i], i))
        rank = {i: r + 1 for r, i in enumerate(order)}
        top5 = [int(levels[i]) for i in order[:5]]
        first_ranks = sorted(rank[i] for i in range(len(statements)) if levels[i] == CHECK_FIRST)
        print(
            f"  {name}: top-5 levels {top5} -> {sum(1 for v in top5 if v >= CHECKABLE)}/5 checkable, "
            f"{sum(1 for v in top5 if v == CHECK_FIRST)}/5 'check first'; AP(level 2) "
            f"{average_precision_score(levels == CHECK_FIRST, scores):.3f}, AP(level>=1) "
            f"{average_precision_score(levels >= CHECKABLE, scores):.3f}; ranks of the 'check first' statements "
            f"{first_ranks}"
        )
        for r, i in enumerate(order[:5], start=1):
            text = statements[i] if len(statements[i]) <= 90 else statements[i][:87] + "..."
            print(f"    {r}. [{levels[i]}] {scores[i]:.2f} #{i:<2} {text}")


# --- main -------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--blocks", type=int, default=10, help="contiguous id blocks, half tuning, half held out")
    parser.add_argument("--quick", action="store_true", help="cheaper training: 3 cross-validation folds, not 5")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--csv", type=Path, default=DATA, help="labelled sentences: sentence_id,label,text (default: %(default)s)"
    )
    args = parser.parse_args()
    print("$ python " + " ".join(sys.argv))
    data = args.csv
    if not data.exists():
        print(f"SKIP: {data} not found (the shared evaluation data is only on development machines).")
        return 0
    if args.blocks < 4 or args.blocks % 2:
        parser.error("--blocks must be an even number of at least 4")

    import numpy as np

    from articles.checkworthiness import DEFAULT_MODEL_NAME, score_statements
    from articles.checkworthiness_training import train_scorer

    ids, texts, raw_labels = load(data)
    classes = np.asarray(raw_labels)
    y = (classes == 1).astype(int)
    blocks = contiguous_blocks(len(texts), args.blocks)
    half = args.blocks // 2
    tune = np.arange(blocks[0].start, blocks[half - 1].stop)
    test = np.arange(blocks[half].start, blocks[-1].stop)
    tune_texts, test_texts = [texts[i] for i in tune], [texts[i] for i in test]
    # The tuning half's blocks are the groups for any cross-validation inside it.
    tune_groups = np.concatenate([np.full(len(block), b) for b, block in enumerate(blocks[:half])])

    def describe(name: str, index) -> str:
        return (
            f"{name}: ids {ids[index[0]]}-{ids[index[-1]]}, {len(index)} sentences, {y[index].mean():.1%} check-worthy"
        )

    print(f"{data.name}: {len(texts)} sentences in sentence_id order, cut into {args.blocks} contiguous blocks")
    print(describe(f"tuning half   (blocks 1-{half})", tune))
    print(describe(f"held-out half (blocks {half + 1}-{args.blocks})", test) + "; never fitted on or tuned on")

    # name -> (scores on the tuning half, scores on the held-out half)
    results: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    start = time.perf_counter()
    rule_scores = np.asarray([s.score for s in score_statements(texts)])
    rule_rate = len(texts) / (time.perf_counter() - start)
    rules_name = f"(a) {DEFAULT_MODEL_NAME} (default)"
    results[rules_name] = (rule_scores[tune], rule_scores[test])

    options: dict = {"version": "bench", "seed": args.seed, "folds": 3 if args.quick else 5}
    if "groups" in inspect.signature(train_scorer).parameters:
        options["groups"] = tune_groups.tolist()
    start = time.perf_counter()
    scorer = train_scorer(tune_texts, y[tune].tolist(), **options)
    train_seconds = time.perf_counter() - start
    start = time.perf_counter()
    trained_test = np.asarray([s.score for s in scorer.score_statements(test_texts)])
    trained_rate = len(test_texts) / (time.perf_counter() - start)
    trained_tune = np.asarray([s.score for s in scorer.score_statements(tune_texts)])
    trained_name = "(b) trained (train_scorer)"
    results[trained_name] = (trained_tune, trained_test)

    baseline = plain_baseline().fit(np.asarray(tune_texts, dtype=object), y[tune])
    results["(c) TF-IDF + logistic regr."] = (
        baseline.predict_proba(np.asarray(tune_texts, dtype=object))[:, 1],
        baseline.predict_proba(np.asarray(test_texts, dtype=object))[:, 1],
    )

    print_table(results, y, tune, test, blocks, half)
    stored = scorer.metrics
    shown = ", ".join(f"{key} {_shown(value)}" for key, value in stored.items())
    print(f"(b) as the app stores it (its own cross-validation inside the tuning half): {shown}")
    print(
        "IN-SAMPLE: the rules were tuned on the tuning half and (b), (c) fitted on it; only the held-out columns are\n"
        "out-of-sample."
    )

    print_calibration(results, y, test)
    print_three_class(classes, results, test)

    statements = seed_statements()
    if statements is None:
        print(f"\nseed article: SKIP, {SEED} not found")
    else:
        labels = seed_labels(statements)
        print_seed(
            statements,
            labels,
            {
                rules_name: lambda xs: [s.score for s in score_statements(xs)],
                trained_name + ", fitted on the tuning half": lambda xs: [s.score for s in scorer.score_statements(xs)],
            },
        )

    print()
    print(f"speed: {DEFAULT_MODEL_NAME} {rule_rate:,.0f} sentences/s")
    print(f"       TrainedScorer.score_statements with reasons {trained_rate:,.0f} sentences/s")
    print(f"       train_scorer on {len(tune)} sentences (its cross-validation + final fit): {train_seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
