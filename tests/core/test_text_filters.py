"""shorten gives exactly what truncatechars gives."""

import pytest
from django.template.defaultfilters import truncatechars

from factcheck.core.templatetags.text import shorten

TEXTS = [
    "",
    "Short.",
    "x" * 10,
    "x" * 11,
    "The council spent $48 million on the bridge.",
    "Cafe\u0301 owners say the levy doubled",  # a combining accent: NFC folds it, truncatechars counts it zero wide
    "e\u0301" * 12,
    "Zoë's 12 <b>claims</b> & more",
]


@pytest.mark.parametrize("length", [1, 5, 10, 11, 20, 40])
def test_shorten_is_truncatechars(length):
    for text in TEXTS:
        assert shorten(text, length) == truncatechars(text, length), (text, length)
