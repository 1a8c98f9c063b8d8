"""Reads of the claim memory: the lookup queue, a statement's suggestions, the matcher models."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import ClaimMatch, MatcherModel, Statement

# Open suggestions a lookup stores per statement, best first (an edit drops them before looking up again).
MATCHES_PER_STATEMENT = 3


def statements_unmatched(*, limit: int) -> list[int]:
    """Ids of statements never looked up in the claim memory, oldest first (the partial index
    ``statement_unmatched`` holds only these, so this stays cheap however many statements exist)."""
    return list(Statement.objects.filter(matched_at__isnull=True).order_by("pk").values_list("pk", flat=True)[:limit])


def matcher_models() -> QuerySet[MatcherModel]:
    """Trained claim matchers, newest first, without their weights."""
    return MatcherModel.objects.select_related("trained_by").defer("payload")


def matcher_decision_counts(*, cap: int = 1000) -> dict[str, int]:
    """How many pairs editors confirmed and rejected, counted up to ``cap`` each (the training data's size)."""
    decided = ClaimMatch.objects.order_by()
    return {
        "confirmed": decided.filter(status=ClaimMatch.Status.CONFIRMED)[:cap].count(),
        "rejected": decided.filter(status=ClaimMatch.Status.REJECTED)[:cap].count(),
        "cap": cap,
    }
