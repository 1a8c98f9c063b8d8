"""`manage.py match_claims`: claims from a TSV file, queries on stdin, one JSON line per query; no database."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .test_matching import CLAIMS, QUERIES


@pytest.fixture
def claims_file(tmp_path):
    path = tmp_path / "claims.tsv"
    rows = ["\tvclaim\ttitle"] + [f"{c.id}\t{c.text}\t{c.title}" for c in CLAIMS]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def training_files(tmp_path):
    queries, qrels = tmp_path / "queries.tsv", tmp_path / "pairs.qrels"
    queries.write_text("\ttweet_content\n" + "".join(f"{q}\t{text}\n" for q, text in QUERIES.items()), "utf-8")
    qrels.write_text("".join(f"{q}\t0\t{q}\t1\n" for q in QUERIES), "utf-8")
    return queries, qrels


def run(stdin: str, **options) -> tuple[list[dict], str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("match_claims", stdin=io.StringIO(stdin), stdout=out, stderr=err, **options)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_writes_one_json_line_per_query_in_input_order_with_the_top_five(claims_file):
    queries = [
        "Koalas? No: the Eiffel Tower was sold twice by a con man",
        "",
        "wind turbines give you cancer",
        "Unemployment, wind turbines, Bill Gates, sharks, carrots and the Pope: all lies in 2019",
    ]
    rows, _ = run("\n".join(queries) + "\n", claims=str(claims_file))
    assert [row["query"] for row in rows] == queries
    assert set(rows[0]) == {"query", "matches"}
    assert rows[0]["matches"][0]["id"] == 3 and rows[2]["matches"][0]["id"] == 13
    assert rows[1]["matches"] == [] and len(rows[3]["matches"]) == 5  # only claims sharing a word are candidates
    assert all(set(match) == {"id", "score"} for match in rows[3]["matches"])
    assert [m["score"] for m in rows[3]["matches"]] == sorted((m["score"] for m in rows[3]["matches"]), reverse=True)


def test_trains_the_reranker_first_when_given_training_pairs(claims_file, training_files):
    queries, qrels = training_files
    rows, err = run(
        QUERIES[7] + "\n", claims=str(claims_file), train_queries=str(queries), train_qrels=str(qrels), top=2
    )
    assert [match["id"] for match in rows[0]["matches"]] == [7, 8]
    assert "Trained the re-ranker on 12 queries" in err


def test_a_missing_claims_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=r"Claims file .*nope.tsv not found: give an existing file with --claims"):
        run("x\n", claims=str(tmp_path / "nope.tsv"))


def test_a_malformed_claims_file_names_the_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\tclaim\n1\tfine\njust-one-field\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"line 3: expected 2 tab-separated fields.*header line"):
        run("x\n", claims=str(bad))
    binary = tmp_path / "binary.tsv"
    binary.write_bytes(b"id\tclaim\n1\t\xff\xfe\n")
    with pytest.raises(CommandError, match="is not UTF-8 text"):
        run("x\n", claims=str(binary))


def test_training_options_go_together_and_bad_qrels_are_reported(claims_file, training_files, tmp_path):
    queries, _ = training_files
    with pytest.raises(CommandError, match="--train-queries and --train-qrels together"):
        run("x\n", claims=str(claims_file), train_queries=str(queries))
    bad = tmp_path / "bad.qrels"
    bad.write_text("1 0 1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 1: expected 'query_id 0 claim_id relevance'"):
        run("x\n", claims=str(claims_file), train_queries=str(queries), train_qrels=str(bad))
    few = tmp_path / "few.qrels"
    few.write_text("1 0 1 1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Cannot train the re-ranker .*Too little to train"):
        run("x\n", claims=str(claims_file), train_queries=str(queries), train_qrels=str(few))


def test_works_before_migrate_in_a_fresh_checkout(claims_file, tmp_path):
    root = Path(__file__).resolve().parents[2]
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'never-migrated.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "manage.py", "match_claims", "--claims", str(claims_file)],
        input="Did a con man sell the Eiffel Tower twice?\n",
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["matches"][0]["id"] == 3
    assert not (tmp_path / "never-migrated.sqlite3").exists()  # never even connected to a database
