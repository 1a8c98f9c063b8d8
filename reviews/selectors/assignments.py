"""Reads about assignments: a reviewer's queue, who is on the desk to review, and how loaded each one is."""

from django.db.models import Count, Prefetch, Q, QuerySet

from factcheck.accounts.roles import Role
from factcheck.accounts.selectors import members_with_role

from ..models import Assignment, Rating


def desk_reviewers() -> QuerySet:
    """Active members with the Reviewer role: the people statements can be assigned to."""
    return members_with_role(Role.REVIEWER)


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


def assignments_of(*, user) -> QuerySet[Assignment]:
    """The user's own assignments only: anybody else's is simply not there (a 404, never a 403, so its
    existence is not revealed)."""
    return Assignment.objects.filter(reviewer=user).select_related("statement__article", "statement__summary")


def assignments_for_editors() -> QuerySet[Assignment]:
    return Assignment.objects.select_related("reviewer")


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
        desk_reviewers()
        .annotate(
            open_count=Count("assignments", filter=Q(assignments__status=Assignment.Status.ASSIGNED)),
            done_count=Count("assignments", filter=Q(assignments__status=Assignment.Status.DONE)),
        )
        .order_by("open_count", "username")
    )
