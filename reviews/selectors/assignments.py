"""Reads about assignments: a reviewer's queue, who is on the desk to review, and how loaded each one is."""

from django.db.models import F, Prefetch, QuerySet
from django.db.models.functions import Coalesce

from factcheck.accounts.roles import Role
from factcheck.accounts.selectors import members_with_role
from factcheck.core.pagination import KeysetPage, keyset_page

from ..models import Assignment, Rating, ReviewerLoad

# The queue's orders, each read straight from an index (assignment_todo, assignment_done).
TODO_ORDER = ("-score", "created_at", "pk")
DONE_ORDER = ("-pk",)


def desk_reviewers() -> QuerySet:
    """Active members with the Reviewer role: the people statements can be assigned to."""
    return members_with_role(Role.REVIEWER)


def reviewer_queue(*, user, status: str) -> QuerySet[Assignment]:
    """The user's own assignments in one status, with statement and article loaded in the same query.

    To-do items come most check-worthy first; done items most recent first.
    """
    order = TODO_ORDER if status == Assignment.Status.ASSIGNED else DONE_ORDER
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
    """How many statements each of these users still has to rate, from the maintained counters."""
    return dict(ReviewerLoad.objects.filter(reviewer_id__in=user_ids).values_list("reviewer_id", "open_count"))


def reviewer_load(*, user) -> ReviewerLoad:
    """The user's open and done counts (zeros for someone never assigned anything)."""
    return ReviewerLoad.objects.filter(reviewer=user).first() or ReviewerLoad(reviewer=user)


def reviewer_workload() -> QuerySet:
    """Reviewers with their open and done assignment counts (maintained, never counted here), least loaded first."""
    return (
        desk_reviewers()
        .annotate(
            open_count=Coalesce(F("review_load__open_count"), 0),
            done_count=Coalesce(F("review_load__done_count"), 0),
        )
        .order_by("open_count", "username")
    )


def todo_page(*, user, cursor: str = "", size: int = 25) -> KeysetPage:
    """A page of the user's statements to rate, most check-worthy first, read in index order after `cursor`."""
    return keyset_page(
        reviewer_queue(user=user, status=Assignment.Status.ASSIGNED), order=TODO_ORDER, cursor=cursor, size=size
    )


def done_page(*, user, cursor: str = "", size: int = 25) -> KeysetPage:
    """A page of what the user has rated, most recent first, with their own verdict."""
    return keyset_page(
        reviewer_queue(user=user, status=Assignment.Status.DONE), order=DONE_ORDER, cursor=cursor, size=size
    )
