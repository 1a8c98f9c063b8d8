"""The claim memory as the desk sees it: a statement's earlier checks, with their verdicts and reports."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from articles.models import ClaimMatch

EARLIER_CHECKS_SHOWN = 10


def claim_matches_for_editors() -> QuerySet[ClaimMatch]:
    """Every suggested or decided match, with both statements, for the editors' actions on them."""
    return ClaimMatch.objects.select_related("statement", "earlier")


def earlier_checks(*, statement_id: int) -> list[ClaimMatch]:
    """The statement's suggested and decided earlier checks, best first, each with the earlier statement, its
    article and report and its settled verdict: one query."""
    return list(
        ClaimMatch.objects.filter(statement_id=statement_id)
        .select_related("decided_by", "earlier__article__report", "earlier__summary")
        .defer("earlier__article__body")
        .order_by("status", "-score", "pk")[:EARLIER_CHECKS_SHOWN]
    )


def open_suggestions_prefetch() -> Prefetch:
    """For a list of statements: each one's open suggestions, best first, as ``open_matches`` (one query for
    the whole list)."""
    return Prefetch(
        "claim_matches",
        queryset=ClaimMatch.objects.filter(status=ClaimMatch.Status.SUGGESTED)
        .select_related("earlier__summary")
        .order_by("-score", "pk"),
        to_attr="open_matches",
    )
