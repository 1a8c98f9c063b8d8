"""The desk's decisions about which statements are worth checking, as training labels for the scorer."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Q

from articles.models import Statement
from articles.selectors.scoring import editor_marked

from ..verdicts import ORDINAL_SCALE, Verdict

ORDINAL_VERDICTS = tuple(v.value for v in ORDINAL_SCALE)


def desk_training_examples() -> tuple[list[str], list[int]]:
    """Statement texts with labels learned from the desk: 1 check-worthy, 0 not. One query.

    Per statement, the first rule that applies wins:
    1. a settled verdict (editor's or consensus): an ordinal verdict → 1, "not checkable" → 0;
    2. an editor marked its checkability by hand (a "marked" revision with an actor) and it is now
       checkable → 1 or not checkable → 0;
    3. at least two ratings, of which a strict majority is ordinal → 1, or "not checkable" → 0.
    "Unverifiable" says nothing about check-worthiness either way and is never a label; statements with
    none of these decisions (including the scorer's own "candidate" guesses) are left out.
    """
    not_checkable = Verdict.NOT_CHECKABLE.value
    rows = (
        Statement.objects.annotate(
            marked=editor_marked(),
            n_ratings=Count("ratings"),
            n_ordinal=Count("ratings", filter=Q(ratings__verdict__in=ORDINAL_VERDICTS)),
            n_not_checkable=Count("ratings", filter=Q(ratings__verdict=not_checkable)),
        )
        .filter(Q(summary__settled=True) | Q(marked=True) | Q(n_ratings__gte=2))
        .order_by("pk")
        .values_list(
            "text",
            "checkability",
            "summary__settled",
            "summary__editor_verdict",
            "summary__consensus",
            "marked",
            "n_ratings",
            "n_ordinal",
            "n_not_checkable",
        )
    )
    texts: list[str] = []
    labels: list[int] = []
    for text, checkability, settled, editor_verdict, consensus, marked, n, n_ordinal, n_not_checkable in rows:
        label = None
        final = editor_verdict or consensus
        if settled and final in ORDINAL_VERDICTS:
            label = 1
        elif settled and final == not_checkable:
            label = 0
        elif marked and checkability == Statement.Checkability.CHECKABLE:
            label = 1
        elif marked and checkability == Statement.Checkability.NOT_CHECKABLE:
            label = 0
        elif n >= 2 and 2 * n_ordinal > n:
            label = 1
        elif n >= 2 and 2 * n_not_checkable > n:
            label = 0
        if label is not None:
            texts.append(text)
            labels.append(label)
    return texts, labels


def training_shortfall(labels: Sequence[int], *, min_examples: int) -> str | None:
    """Why these labels are too few to train on, or None when they are enough."""
    from articles.checkworthiness_training import MIN_PER_CLASS

    positive = sum(labels)
    negative = len(labels) - positive
    if len(labels) < min_examples or min(positive, negative) < MIN_PER_CLASS:
        return (
            f"Only {len(labels)} decided statements ({positive} check-worthy, {negative} not); training needs "
            f"at least {min_examples}, with at least {MIN_PER_CLASS} of each kind. Mark more statements "
            "checkable or not checkable, or settle more ratings."
        )
    return None


def desk_decision_counts() -> dict[str, int]:
    """How many desk decisions training would learn from now, by label."""
    _, labels = desk_training_examples()
    positive = sum(labels)
    return {"total": len(labels), "checkable": positive, "not_checkable": len(labels) - positive}
