"""Inter-reviewer agreement statistics. Pure: no Django imports.

Input everywhere is a list of units (statements), each a list of the values different reviewers gave it.
Units with fewer than two values cannot be paired and are ignored.

Krippendorff's alpha uses the coincidence-matrix formulation (Krippendorff, "Computing Krippendorff's
Alpha-Reliability", 2011): every ordered pair of values within a unit of m values adds 1/(m - 1) to the
coincidence o[c][k]; n_c are the row sums and n their total.

    alpha = 1 - (n - 1) * sum(o[c][k] * d2(c, k)) / sum(n_c * n_k * d2(c, k))

Nominal: d2 is 0 for equal values and 1 otherwise. Ordinal: d2(c, k) = (sum of n_g for g from c to k
- (n_c + n_k) / 2) ** 2, with g running over the ranks of the scale, so the distance between two steps
depends on how many values fell between them. Arithmetic is exact (fractions) so the order of units or
values cannot change a result.
"""

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from fractions import Fraction

from .verdicts import ORDINAL_SCALE

Units = Iterable[Sequence[Hashable]]

# Krippendorff's own thresholds (Content Analysis, 2004, p. 241).
RELIABLE = 0.8
TENTATIVE = 0.667


def _pairable(units: Units) -> list[Counter]:
    return [Counter(unit) for unit in units if len(unit) >= 2]


def _coincidences(units: list[Counter]) -> dict[tuple[Hashable, Hashable], Fraction]:
    o: dict[tuple[Hashable, Hashable], Fraction] = Counter()
    for counts in units:
        m = sum(counts.values())
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_k - 1) if c == k else n_c * n_k
                if pairs:
                    o[c, k] += Fraction(pairs, m - 1)
    return o


def _alpha(units: Units, distance: Callable[[dict, Hashable, Hashable], Fraction]) -> float | None:
    o = _coincidences(_pairable(units))
    marginals: dict[Hashable, Fraction] = Counter()
    for (c, _), value in o.items():
        marginals[c] += value
    n = sum(marginals.values())
    if n < 2:
        return None
    observed = sum(value * distance(marginals, c, k) for (c, k), value in o.items())
    expected = sum(
        n_c * n_k * distance(marginals, c, k) for c, n_c in marginals.items() for k, n_k in marginals.items()
    )
    if expected == 0:
        # Everyone used one value: agreement cannot be told apart from chance.
        return None
    return float(1 - (n - 1) * observed / expected)


def _nominal_distance(_marginals: dict, c: Hashable, k: Hashable) -> Fraction:
    return Fraction(c != k)


def alpha_nominal(units: Units) -> float | None:
    """Krippendorff's alpha treating every distinct value as its own category; None when undefined."""
    return _alpha(units, _nominal_distance)


def alpha_ordinal(units: Units, *, scale: Sequence[Hashable]) -> float | None:
    """Krippendorff's alpha for ordered values (`scale` lists them in order); values not on the scale are
    dropped before pairing, so a unit left with fewer than two values is ignored. None when undefined."""
    rank = {value: index for index, value in enumerate(scale)}
    ranked = [[rank[v] for v in unit if v in rank] for unit in units]

    def distance(marginals: dict, c: int, k: int) -> Fraction:
        if c == k:
            return Fraction(0)
        low, high = min(c, k), max(c, k)
        between = sum(marginals.get(g, 0) for g in range(low, high + 1))
        return (between - Fraction(marginals[c] + marginals[k], 2)) ** 2

    return _alpha(ranked, distance)


def percent_agreement(units: Units) -> float | None:
    """Share of all reviewer pairs, pooled over units, that gave the same value; None with no pairs."""
    agreeing = total = 0
    for counts in _pairable(units):
        m = sum(counts.values())
        total += m * (m - 1) // 2
        agreeing += sum(n * (n - 1) // 2 for n in counts.values())
    return agreeing / total if total else None


def verdict_alpha_ordinal(units: Units) -> float | None:
    """Alpha on the six-step truth scale; Unverifiable and Not checkable are left out (they have no step)."""
    return alpha_ordinal(units, scale=[v.value for v in ORDINAL_SCALE])


def verdict_alpha_nominal(units: Units) -> float | None:
    """Alpha over all eight verdicts as unordered categories."""
    return alpha_nominal(units)


def alpha_reading(alpha: float | None) -> str:
    """Plain words for an alpha, after Krippendorff's thresholds."""
    if alpha is None:
        return "not enough overlapping ratings yet"
    if alpha >= RELIABLE:
        return "reliable"
    if alpha >= TENTATIVE:
        return "tentative"
    return "weak"
