import pytest

from reviews.verdicts import DISPUTED, PENDING, consensus, is_settled


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([], PENDING),
        (["true"], PENDING),
        (["true", "true"], "true"),
        (["true", "mostly_true"], "mostly_true"),  # even count: the worse of the two middle steps
        (["mostly_true", "true", "true"], "true"),
        (["false", "pants_on_fire", "false"], "false"),
        (["true", "half_true"], DISPUTED),  # two steps apart
        (["true", "mostly_true", "half_true"], DISPUTED),
        (["unverifiable", "unverifiable"], "unverifiable"),
        (["not_checkable", "not_checkable", "not_checkable"], "not_checkable"),
        (["true", "unverifiable"], DISPUTED),
        (["not_checkable", "unverifiable"], DISPUTED),
    ],
)
def test_consensus_rule(ratings, expected):
    assert consensus(ratings) == expected


def test_unknown_verdict_is_rejected():
    with pytest.raises(ValueError):
        consensus(["true", "probably"])


def test_only_real_verdicts_count_as_settled():
    assert is_settled("true")
    assert not is_settled(PENDING)
    assert not is_settled(DISPUTED)
