"""Trying the splitter and the scorer from a fresh checkout needs no set-up database."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(command: str, stdin: str, tmp_path) -> subprocess.CompletedProcess:
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'never-migrated.sqlite3'}"}
    return subprocess.run(
        [sys.executable, "manage.py", command], input=stdin, capture_output=True, text=True, cwd=ROOT, env=env
    )


def test_score_statements_falls_back_to_the_rules_without_a_database(tmp_path):
    result = run("score_statements", "Unemployment fell to 3.5% in 2019.\nWhat do you think?\n", tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["model"] for row in rows] == ["rules-v2", "rules-v2"]
    assert rows[0]["score"] > rows[1]["score"]
    assert "run migrate" in result.stderr


def test_split_text_needs_no_database(tmp_path):
    result = run("split_text", "Maj. Gen. Soleimani left on Feb. 11. He went north.\n", tmp_path)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == [
        "Maj. Gen. Soleimani left on Feb. 11.",
        "He went north.",
    ]
