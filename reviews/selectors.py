"""Reads for reviews, scoped to what the user may see."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from articles.models import Statement

from . import agreement
from .models import Assignment, Rating, TeamSummary
from .services import reviewers_qs
from .verdicts import Verdict


def reviewer_queue(*, user, status: str) -> QuerySet[Assignment]:
    """The user's own assignments in one status, with statement and article loaded in the same query.

    To-do items come most check-worthy first; done items most recent first.
    """
    order = ("-statement__score", "created_at", "pk") if status == Assignment.Status.ASSIGNED else ("-pk",)
    assignments = (
        Assignment.objects.filter(reviewer=user, status=status)
        .select_related("statement__article", "statement__summary")
        .defer("statement__article__body")
        .order_by(*order)
    )
    if status == Assignment.Status.DONE:
        # The reviewer's own verdict beside the desk's: one extra query per page, never one per row.
        mine = Rating.objects.filter(reviewer=user).only("pk", "statement_id", "verdict")
        assignments = assignments.prefetch_related(Prefetch("statement__ratings", queryset=mine, to_attr="my_ratings"))
    return assignments


def assignment_for_reviewer(*, user, pk: int) -> Assignment:
    """The user's own assignment; anybody else's is a 404 so its existence is not revealed."""
    return get_object_or_404(
        Assignment.objects.select_related("statement__article", "statement__summary"), pk=pk, reviewer=user
    )


def own_rating(*, user, statement_id: int) -> Rating | None:
    return Rating.objects.filter(statement_id=statement_id, reviewer=user).prefetch_related("evidence").first()


def other_ratings_visible_to(*, user, statement_id: int) -> list[Rating]:
    """Blind review: other reviewers' ratings only once the user has submitted their own."""
    if not Rating.objects.filter(statement_id=statement_id, reviewer=user).exists():
        return []
    return list(
        Rating.objects.filter(statement_id=statement_id)
        .exclude(reviewer=user)
        .select_related("reviewer")
        .prefetch_related("evidence")
    )


def ratings_for_statement(*, statement_id: int) -> list[Rating]:
    """For editors: every rating with its reviewer and evidence."""
    return list(
        Rating.objects.filter(statement_id=statement_id).select_related("reviewer").prefetch_related("evidence")
    )


def open_assignment_counts(*, user_ids: list[int]) -> dict[int, int]:
    """How many statements each of these users still has to rate: one grouped query."""
    rows = (
        Assignment.objects.filter(reviewer_id__in=user_ids, status=Assignment.Status.ASSIGNED)
        .values("reviewer_id")
        .annotate(n=Count("pk"))
        .values_list("reviewer_id", "n")
    )
    return dict(rows)


def reviewer_workload() -> QuerySet:
    """Reviewers with their open and done assignment counts, least loaded first."""
    return (
        reviewers_qs()
        .annotate(
            open_count=Count("assignments", filter=Q(assignments__status=Assignment.Status.ASSIGNED)),
            done_count=Count("assignments", filter=Q(assignments__status=Assignment.Status.DONE)),
        )
        .order_by("open_count", "username")
    )


def statements_needing_attention(*, limit: int = 50) -> QuerySet[Statement]:
    """Disputed statements first: what an editor should settle."""
    return (
        Statement.objects.filter(summary__consensus="disputed", summary__settled=False)
        .select_related("article", "summary")
        .defer("article__body")
        .prefetch_related(Prefetch("ratings", queryset=Rating.objects.select_related("reviewer")))
        .order_by("-summary__updated_at")[:limit]
    )


def desk_counts() -> dict[str, int]:
    """Headline numbers for the editor overview, in one aggregate query per table."""
    assignments = Assignment.objects.aggregate(
        open=Count("pk", filter=Q(status=Assignment.Status.ASSIGNED)),
        done=Count("pk", filter=Q(status=Assignment.Status.DONE)),
    )
    statements = Statement.objects.aggregate(
        total=Count("pk"),
        settled=Count("pk", filter=Q(summary__settled=True)),
        disputed=Count("pk", filter=Q(summary__consensus="disputed", summary__settled=False)),
    )
    return {
        "open_assignments": assignments["open"],
        "done_assignments": assignments["done"],
        "statements": statements["total"],
        "settled": statements["settled"],
        "disputed": statements["disputed"],
    }


def team_overview() -> dict:
    """The desk's and each reviewer's team summary for the editor overview, in one query."""
    rows = list(TeamSummary.objects.select_related("reviewer").order_by("scope", "reviewer__username"))
    desk = next((row for row in rows if row.scope == TeamSummary.Scope.DESK), None)
    distribution = desk.distribution if desk else {}
    total = sum(distribution.values())
    return {
        "desk": desk,
        "reading": agreement.alpha_reading(desk.alpha_ordinal if desk else None),
        # Scale order (True ... Pants on fire, then the non-ordinal verdicts), not alphabetical.
        "distribution": [
            {"verdict": v.value, "count": distribution[v.value], "share": distribution[v.value] / total}
            for v in Verdict
            if distribution.get(v.value)
        ],
        "reviewers": [row for row in rows if row.scope == TeamSummary.Scope.REVIEWER],
    }
