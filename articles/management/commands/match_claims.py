import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.matching import ClaimIndex, ClaimMatcher, MatchExample, train_reranker
from articles.matching.formats import FormatError, read_claims, read_qrels, read_queries


def _open_lines(path: str, what: str, option: str):
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{what} {path} not found: give an existing file with {option}.")
    try:
        return file.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    except UnicodeDecodeError as exc:
        raise CommandError(
            f"{what} {path} is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8."
        ) from exc
    except OSError as exc:
        raise CommandError(f"Could not read {what.lower()} {path}: {exc.strerror}.") from exc


class Command(BaseCommand):
    help = (
        "Match claims read on stdin, one per line, against verified claims (--claims, a TSV file: header line, "
        'then id<TAB>claim<TAB>title). Writes one JSON object {"query", "matches": [{"id", "score"}, ...]} '
        "per input line, in input order, best match first (a blank line gives no matches). With --train-queries "
        "and --train-qrels (CLEF CheckThat! formats) it first trains the re-ranker on those pairs. Uses no "
        "database and no network."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "--claims", required=True, help="verified claims: TSV with a header, id<TAB>claim<TAB>title"
        )
        parser.add_argument("--train-queries", help="training queries: TSV with a header, id<TAB>text")
        parser.add_argument("--train-qrels", help="training pairs: 'query_id 0 claim_id relevance' per line")
        parser.add_argument("--top", type=int, default=5, help="matches per query (default: %(default)s)")

    def handle(self, *args, **options):
        if bool(options["train_queries"]) != bool(options["train_qrels"]):
            raise CommandError("Give --train-queries and --train-qrels together (queries and their gold pairs).")
        if options["top"] < 1:
            raise CommandError("--top must be at least 1.")
        claims_path = options["claims"]
        try:
            claims = read_claims(_open_lines(claims_path, "Claims file", "--claims"), name=claims_path)
        except FormatError as exc:
            raise CommandError(f"{exc} Expected a header line, then id<TAB>claim<TAB>title per line.") from exc
        index = ClaimIndex(claims)
        reranker = None
        if options["train_queries"]:
            reranker = self._train(index, options["train_queries"], options["train_qrels"])
        matcher = ClaimMatcher(index, reranker)
        stdin = options.get("stdin") or sys.stdin
        for line in stdin:
            query = line.rstrip("\r\n")
            matches = matcher.match(query, k=options["top"])
            row = {"query": query, "matches": [{"id": m.id, "score": round(m.score, 4)} for m in matches]}
            self.stdout.write(json.dumps(row, ensure_ascii=False))

    def _train(self, index: ClaimIndex, queries_path: str, qrels_path: str):
        try:
            queries = read_queries(
                _open_lines(queries_path, "Training queries file", "--train-queries"), name=queries_path
            )
            judgements = read_qrels(_open_lines(qrels_path, "Training qrels file", "--train-qrels"), name=qrels_path)
        except FormatError as exc:
            raise CommandError(str(exc)) from exc
        examples = [
            MatchExample(queries[j.query_id], j.claim_id, j.relevant) for j in judgements if j.query_id in queries
        ]
        unknown_queries = len(judgements) - len(examples)
        unknown_claims = sum(1 for example in examples if example.claim_id not in index)
        if unknown_queries or unknown_claims:
            self.stderr.write(
                f"Skipping {unknown_queries} pairs whose query is not in {queries_path} and {unknown_claims} whose "
                "claim is not in the claims file."
            )
        try:
            reranker = train_reranker(index, examples, folds=0, version="match_claims")
        except ValueError as exc:
            raise CommandError(f"Cannot train the re-ranker from {qrels_path}: {exc}") from exc
        metrics = reranker.metrics
        self.stderr.write(
            f"Trained the re-ranker on {int(metrics['queries'])} queries ({int(metrics['matches'])} matching and "
            f"{int(metrics['pairs'] - metrics['matches'])} non-matching pairs)."
        )
        return reranker
