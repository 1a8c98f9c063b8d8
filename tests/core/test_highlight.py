"""Search snippets: escaped as untrusted text, their marked words in <mark>, and stray marks never leave an
element open or closed twice."""

import pytest

from factcheck.core.highlight import MARK_END, MARK_START, highlight_html

S, E = MARK_START, MARK_END


@pytest.mark.parametrize(
    ("snippet", "html"),
    [
        (f"the {S}vaccines{E} work", "the <mark>vaccines</mark> work"),
        (f"{S}a{E} & {S}<b>{E}", "<mark>a</mark> &amp; <mark>&lt;b&gt;</mark>"),
        (f"{S}{S}twice{E}{E} over", "<mark>twice</mark> over"),  # a start inside a mark, an end outside one
        (f"{E}stray end {S}open to the end", "stray end <mark>open to the end</mark>"),
        (f"{S}{E}", "<mark></mark>"),
        ("no marks at all", "no marks at all"),
        ("", ""),
        (None, ""),
    ],
)
def test_snippet_is_escaped_and_marked_with_every_mark_balanced(snippet, html):
    assert highlight_html(snippet) == html
