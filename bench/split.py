"""Sentence splitter benchmark: ours vs pysbd, side by side, in one run.

    python bench/split.py

Prints, for each splitter, Golden Rules accuracy (N/48), whether the seed article comes out exactly
as decided by hand, and single-core throughput in MB/s on a ~5 MB news corpus built from
../shared/data/news/fakenewscorpus_sample.csv and the seed article.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "samples" / "000_59948f7b3f7516a9.txt"
GOLDEN_RULES = SHARED / "data" / "sentence_boundaries" / "golden_rules_en.jsonl"
NEWS = SHARED / "data" / "news" / "fakenewscorpus_sample.csv"
CORPUS_BYTES = 5_000_000

sys.path.insert(0, str(ROOT))

from articles.splitting import split_statements  # noqa: E402


def ours(body: str) -> list[str]:
    return [span.text for span in split_statements(body)]


def make_pysbd() -> Callable[[str], list[str]] | None:
    try:
        import pysbd
    except ImportError:
        return None
    segmenter = pysbd.Segmenter(language="en", clean=False)

    def split(body: str) -> list[str]:
        # pysbd knows nothing of paragraphs: feed it one paragraph at a time, as the app would.
        out: list[str] = []
        for paragraph in body.split("\n\n"):
            if paragraph.strip():
                out.extend(s.strip() for s in segmenter.segment(paragraph) if s.strip())
        return out

    return split


def seed_body() -> str:
    raw = SEED.read_text(encoding="utf-8")
    return raw[: raw.rindex("Print Friendly, PDF & Email")]  # the cleaner drops this line


def seed_expected() -> list[str]:
    """The hand-decided statements, read from the tests (one source of truth) without importing them."""
    tree = ast.parse((ROOT / "tests" / "articles" / "test_splitting.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "SEED_STATEMENTS_WRAPPED":
            wrapped = ast.literal_eval(node.value)
            return [" ".join(block.split("\n")) for block in wrapped.strip().split("\n\n")]
    raise LookupError("SEED_STATEMENTS_WRAPPED not found in tests/articles/test_splitting.py")


def golden_rules_score(split: Callable[[str], list[str]], path: Path = GOLDEN_RULES) -> tuple[int, int, list[int]]:
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    failed = [
        case["id"]
        for case in cases
        if split(case["text"]) != [sentence.strip() for sentence in case["expected_sentences"]]
    ]
    return len(cases) - len(failed), len(cases), failed


def build_corpus() -> list[str]:
    """~5 MB of article bodies: the news sample and the seed, repeated with varied paragraph order."""
    csv.field_size_limit(sys.maxsize)
    with NEWS.open(encoding="utf-8", newline="") as handle:
        articles = [row["content"] for row in csv.DictReader(handle) if row["content"].strip()]
    articles.append(seed_body())
    rng = random.Random(1234)
    corpus: list[str] = []
    size = 0
    while size < CORPUS_BYTES:
        for article in rng.sample(articles, len(articles)):
            paragraphs = article.split("\n\n")
            rng.shuffle(paragraphs)
            body = "\n\n".join(paragraphs)
            corpus.append(body)
            size += len(body.encode("utf-8"))
            if size >= CORPUS_BYTES:
                break
    return corpus


def throughput(split: Callable[[str], list[str]], corpus: list[str], megabytes: float) -> float:
    started = time.perf_counter()
    for body in corpus:
        split(body)
    return megabytes / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--golden", type=Path, default=GOLDEN_RULES, help="cases {id, text, expected_sentences} (default: %(default)s)"
    )
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} (the shared test data) is not present")
        return 0
    splitters: dict[str, Callable[[str], list[str]]] = {"ours": ours}
    pysbd_split = make_pysbd()
    if pysbd_split is None:
        print("pysbd is not installed (pip install -e '.[dev]'): reporting ours only")
    else:
        splitters["pysbd"] = pysbd_split

    corpus = build_corpus()
    megabytes = sum(len(body.encode("utf-8")) for body in corpus) / 1e6
    expected_seed = seed_expected()
    print("$ python bench/split.py")
    print(f"corpus: {len(corpus)} articles, {megabytes:.2f} MB (news sample + seed, paragraphs reshuffled)")
    print(f"{'splitter':<10}{'golden rules':>14}{'seed exact':>12}{'MB/s':>9}   golden-rules failures")
    for name, split in splitters.items():
        passed, total, failed = golden_rules_score(split, args.golden)
        seed_ok = "yes" if split(seed_body()) == expected_seed else "no"
        rate = throughput(split, corpus, megabytes)
        print(f"{name:<10}{f'{passed}/{total}':>14}{seed_ok:>12}{rate:>9.2f}   {failed or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
