"""The verdict scale and the consensus rule. Pure: no Django imports.

Consensus rule (also in README):
- Fewer than 2 ratings: no consensus yet ("pending").
- All ratings on the ordinal scale (True ... Pants on fire) and their spread (worst minus best step) is at
  most one step: the consensus is the median verdict. With an even number of ratings the median falls
  between two steps; we take the worse (less true) of the two, because a desk should not publish a
  kinder verdict than half its reviewers gave.
- All ratings the same non-ordinal verdict (all Unverifiable, or all Not checkable): that verdict.
- Anything else (spread over one step, or a mix of ordinal and non-ordinal verdicts): "disputed", which an
  editor settles.
"""

from collections.abc import Sequence
from enum import StrEnum


class Verdict(StrEnum):
    TRUE = "true"
    MOSTLY_TRUE = "mostly_true"
    HALF_TRUE = "half_true"
    MOSTLY_FALSE = "mostly_false"
    FALSE = "false"
    PANTS_ON_FIRE = "pants_on_fire"
    UNVERIFIABLE = "unverifiable"
    NOT_CHECKABLE = "not_checkable"


VERDICT_LABELS = {
    Verdict.TRUE: "True",
    Verdict.MOSTLY_TRUE: "Mostly true",
    Verdict.HALF_TRUE: "Half true",
    Verdict.MOSTLY_FALSE: "Mostly false",
    Verdict.FALSE: "False",
    Verdict.PANTS_ON_FIRE: "Pants on fire",
    Verdict.UNVERIFIABLE: "Unverifiable",
    Verdict.NOT_CHECKABLE: "Not checkable",
}

# Best to worst; the index is the step on the truth scale.
ORDINAL_SCALE: tuple[Verdict, ...] = (
    Verdict.TRUE,
    Verdict.MOSTLY_TRUE,
    Verdict.HALF_TRUE,
    Verdict.MOSTLY_FALSE,
    Verdict.FALSE,
    Verdict.PANTS_ON_FIRE,
)
STEP = {verdict: index for index, verdict in enumerate(ORDINAL_SCALE)}

PENDING = "pending"
DISPUTED = "disputed"
MIN_RATINGS_FOR_CONSENSUS = 2


def consensus(verdicts: Sequence[str]) -> str:
    """Return the consensus verdict value, "pending" or "disputed" for a statement's ratings."""
    if len(verdicts) < MIN_RATINGS_FOR_CONSENSUS:
        return PENDING
    values = [Verdict(v) for v in verdicts]
    if all(v in STEP for v in values):
        steps = sorted(STEP[v] for v in values)
        if steps[-1] - steps[0] > 1:
            return DISPUTED
        # Upper median: for even counts this picks the worse of the two middle steps.
        return ORDINAL_SCALE[steps[len(steps) // 2]].value
    if len(set(values)) == 1:
        return values[0].value
    return DISPUTED


def is_settled(consensus_value: str) -> bool:
    return consensus_value not in (PENDING, DISPUTED, "")


def label(value: str) -> str:
    if value == PENDING:
        return "Pending"
    if value == DISPUTED:
        return "Disputed"
    try:
        return VERDICT_LABELS[Verdict(value)]
    except ValueError:
        return value


def review_status(*, assigned: bool, rating_count: int, consensus: str, editor_verdict: str) -> str:
    """Where a statement is in review, from its assignments, ratings and verdicts (the values of
    articles.Statement.ReviewStatus): settled, disputed, rated, assigned or new."""
    if editor_verdict or is_settled(consensus):
        return "settled"
    if consensus == DISPUTED:
        return "disputed"
    if rating_count:
        return "rated"
    return "assigned" if assigned else "new"


# Where an article is in review, as the triage board and the article list's state filter read it (the values of
# reviews.ArticleSummary.State).
ARTICLE_STATES = ("new", "in_review", "disputed", "settled", "published")


def article_state(*, statement_count: int, rated: int, settled: int, disputed: int, published: bool) -> str:
    """An article's review state from its maintained counts: published (its report is public), disputed (a
    statement waits for an editor), settled (every statement settled: ready to publish), in review (something
    rated or settled) or new (nothing rated or settled yet)."""
    if published:
        return "published"
    if disputed:
        return "disputed"
    if statement_count and settled >= statement_count:
        return "settled"
    if rated or settled:
        return "in_review"
    return "new"
