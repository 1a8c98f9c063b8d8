"""HTML main-text extraction quality: token precision/recall/F1 of article_from_html.

Runs on ../shared/data/html_extraction (60 news pages with hand-checked article bodies) and prints
the mean over documents and the micro figures (all tokens pooled). Target: F1 >= 0.93.

    .venv/bin/python bench/extraction_quality.py [--worst N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.importing import ExtractionError, article_from_html  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "html_extraction"
TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def score(predicted: list[str], truth: list[str]) -> tuple[int, int, int]:
    """(overlap, predicted count, true count) with tokens as a multiset."""
    overlap = sum((Counter(predicted) & Counter(truth)).values())
    return overlap, len(predicted), len(truth)


def prf(overlap: int, n_pred: int, n_true: int) -> tuple[float, float, float]:
    precision = overlap / n_pred if n_pred else (1.0 if not n_true else 0.0)
    recall = overlap / n_true if n_true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worst", type=int, default=5, help="list the N documents with the lowest F1")
    parser.add_argument(
        "--dir",
        type=Path,
        default=DATA,
        help="folder with ground-truth.json and html/ID.html.gz (default: %(default)s)",
    )
    args = parser.parse_args()
    data = args.dir
    truth_path = data / "ground-truth.json"
    if not truth_path.exists():
        print(f"SKIP: {data} is absent (the shared data folder is only in development checkouts).")
        return 0
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    rows = []
    started = time.perf_counter()
    for doc_id, expected in sorted(truth.items()):
        html = gzip.decompress((data / "html" / f"{doc_id}.html.gz").read_bytes())
        try:
            body = article_from_html(html, url=expected.get("url", "")).body
        except ExtractionError:
            body = ""
        counts = score(tokens(body), tokens(expected["articleBody"]))
        rows.append((doc_id, counts, prf(*counts)))
    elapsed = time.perf_counter() - started

    n = len(rows)
    mean = [sum(row[2][i] for row in rows) / n for i in range(3)]
    micro = prf(*(sum(row[1][i] for row in rows) for i in range(3)))
    print(f"documents: {n}   time: {elapsed:.1f}s ({elapsed / n * 1000:.0f} ms/page)")
    print(f"mean   precision {mean[0]:.3f}  recall {mean[1]:.3f}  F1 {mean[2]:.3f}")
    print(f"micro  precision {micro[0]:.3f}  recall {micro[1]:.3f}  F1 {micro[2]:.3f}")
    if args.worst:
        print(f"lowest F1 ({args.worst}):")
        for doc_id, _, (p, r, f) in sorted(rows, key=lambda row: row[2][2])[: args.worst]:
            print(f"  {doc_id[:16]}  P {p:.3f}  R {r:.3f}  F1 {f:.3f}  {truth[doc_id].get('url', '')[:70]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
