import io
import json
from unittest import mock

from django.core.management import call_command


def run_split_text(text: str) -> list[dict]:
    out = io.StringIO()
    with mock.patch("sys.stdin", io.StringIO(text)):
        call_command("split_text", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_split_text_writes_one_json_line_per_statement_with_offsets_into_the_input():
    text = "A Heading\n\nMaj. Gen. Soleimani left on Feb. 11. He went to Aleppo.\n\n1. To clinch it.\n"
    rows = run_split_text(text)
    assert [row["text"] for row in rows] == [
        "A Heading",
        "Maj. Gen. Soleimani left on Feb. 11.",
        "He went to Aleppo.",
        "1. To clinch it.",
    ]
    assert all(text[row["start"] : row["end"]] == row["text"] for row in rows)
    assert set(rows[0]) == {"start", "end", "text"}


def test_split_text_keeps_non_ascii_text_readable_and_writes_nothing_for_blank_input():
    assert run_split_text("Israel’s raids – «Aleppo».")[0]["text"] == "Israel’s raids – «Aleppo»."
    assert run_split_text("  \n\n ") == []
