"""Krippendorff's alpha and percent agreement, against hand-computed and published figures. Pure: no database."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviews import agreement
from reviews.verdicts import ORDINAL_SCALE, Verdict

SCALE = [v.value for v in ORDINAL_SCALE]
ALL_VERDICTS = [v.value for v in Verdict]

# Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C: four observers, twelve
# units, values 1-5, missing data. The paper gives alpha = 0.743 (nominal) and 0.815 (ordinal).
# Columns are units; None marks a missing value.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
PUBLISHED_UNITS = [[v for v in unit if v is not None] for unit in zip(*KRIPPENDORFF_2011, strict=True)]


def test_nominal_alpha_matches_krippendorff_2011_worked_example():
    assert agreement.alpha_nominal(PUBLISHED_UNITS) == pytest.approx(0.743, abs=5e-4)


def test_ordinal_alpha_matches_krippendorff_2011_worked_example():
    assert agreement.alpha_ordinal(PUBLISHED_UNITS, scale=[1, 2, 3, 4, 5]) == pytest.approx(0.815, abs=5e-4)


def test_nominal_alpha_by_hand():
    # Coincidences: o_aa = 2, o_ab = o_ba = 1, o_bb = 2; n_a = n_b = 3, n = 6.
    # alpha = 1 - (n - 1) * (o_ab + o_ba) / (n_a n_b + n_b n_a) = 1 - 5 * 2 / 18 = 4/9.
    assert agreement.alpha_nominal([["a", "a"], ["a", "b"], ["b", "b"]]) == pytest.approx(4 / 9)


def test_ordinal_alpha_credits_near_misses_that_nominal_alpha_does_not():
    # Units (0,1) and (1,2): n_0 = 1, n_1 = 2, n_2 = 1, n = 4.
    # Ordinal d2(0,1) = d2(1,2) = (3 - 3/2)^2 = 2.25, d2(0,2) = (4 - 1)^2 = 9.
    # Observed sum 4 * 2.25 = 9; expected sum 2*(2*2.25) + 2*(2*2.25) + 2*(1*9) = 36; alpha = 1 - 3*9/36.
    assert agreement.alpha_ordinal([[0, 1], [1, 2]], scale=[0, 1, 2]) == pytest.approx(0.25)
    # Nominal: observed 4 mismatches, expected 2*(2 + 2 + 1) = 10; alpha = 1 - 3*4/10.
    assert agreement.alpha_nominal([[0, 1], [1, 2]]) == pytest.approx(-0.2)


def test_verdict_ordinal_alpha_leaves_out_verdicts_without_a_step():
    units = [["true", "mostly_true", "unverifiable"], ["mostly_true", "half_true"], ["not_checkable", "true"]]
    # The last unit has one ordinal value left and cannot be paired.
    expected = agreement.alpha_ordinal([[0, 1], [1, 2]], scale=[0, 1, 2])
    assert agreement.verdict_alpha_ordinal(units) == pytest.approx(expected)


def test_percent_agreement_pools_reviewer_pairs():
    # Pairs: unit 1 has 3 (all agree), unit 2 has 1 (disagree), unit 3 has 3 (one agrees): 4 of 7.
    units = [["true", "true", "true"], ["true", "false"], ["false", "false", "half_true"], ["true"]]
    assert agreement.percent_agreement(units) == pytest.approx(4 / 7)


@pytest.mark.parametrize(
    "units",
    [
        [],
        [["true"], ["false"]],  # nothing pairable
        [["true", "true"], ["true", "true"]],  # no variation: chance agreement is total
    ],
)
def test_alpha_is_undefined_without_pairs_or_variation(units):
    assert agreement.verdict_alpha_nominal(units) is None
    assert agreement.verdict_alpha_ordinal(units) is None


def test_percent_agreement_is_undefined_only_without_pairs():
    assert agreement.percent_agreement([["true"], []]) is None
    assert agreement.percent_agreement([["true", "true"]]) == 1.0


@pytest.mark.parametrize(
    ("alpha", "reading"),
    [(0.95, "reliable"), (0.8, "reliable"), (0.7, "tentative"), (0.5, "weak"), (-0.2, "weak")],
)
def test_alpha_reading_follows_krippendorffs_thresholds(alpha, reading):
    assert agreement.alpha_reading(alpha) == reading


def test_alpha_reading_says_when_there_is_no_figure():
    assert "not enough" in agreement.alpha_reading(None)


units_strategy = st.lists(st.lists(st.sampled_from(ALL_VERDICTS), min_size=0, max_size=4), max_size=12)


@given(st.lists(st.tuples(st.sampled_from(ALL_VERDICTS), st.integers(2, 4)), min_size=2, max_size=10))
def test_perfect_agreement_gives_one_whenever_alpha_is_defined(spec):
    units = [[verdict] * m for verdict, m in spec]
    for alpha in (agreement.verdict_alpha_nominal(units), agreement.verdict_alpha_ordinal(units)):
        assert alpha is None or alpha == pytest.approx(1.0)
    if len({verdict for verdict, _ in spec}) > 1:
        assert agreement.verdict_alpha_nominal(units) == pytest.approx(1.0)
    assert agreement.percent_agreement(units) == 1.0


@given(units_strategy)
def test_alpha_never_exceeds_one(units):
    for alpha in (agreement.verdict_alpha_nominal(units), agreement.verdict_alpha_ordinal(units)):
        assert alpha is None or alpha <= 1.0 + 1e-12


@given(units_strategy, st.randoms(use_true_random=False))
def test_order_of_units_and_values_does_not_matter(units, rnd: random.Random):
    shuffled = [rnd.sample(unit, len(unit)) for unit in units]
    rnd.shuffle(shuffled)
    for statistic in (agreement.verdict_alpha_nominal, agreement.verdict_alpha_ordinal, agreement.percent_agreement):
        assert statistic(shuffled) == statistic(units)
