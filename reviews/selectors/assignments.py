"""Reads about assignments: a reviewer's queue, who is on the desk to review, and how loaded each one is."""

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from articles.models import Statement
from factcheck.accounts.roles import Role
from factcheck.accounts.selectors import members_with_role
from factcheck.core.pagination import KeysetPage, keyset_page, row_after, row_neighbours

from ..models import Assignment, Rating, ReviewerLoad

# The queue's orders, each read straight from an index (assignment_todo_due, assignment_done): earliest due
# first, then most check-worthy.
TODO_ORDER = ("due_at", "-score", "pk")
DONE_ORDER = ("-pk",)


def desk_reviewers() -> QuerySet:
    """Active members with the Reviewer role: the people statements can be assigned to."""
    return members_with_role(Role.REVIEWER)


def _queue_order(status: str) -> tuple[str, ...]:
    return TODO_ORDER if status == Assignment.Status.ASSIGNED else DONE_ORDER


def _queue_rows(*, user, status: str) -> QuerySet[Assignment]:
    return Assignment.objects.filter(reviewer=user, status=status).order_by(*_queue_order(status))


def reviewer_queue(*, user, status: str) -> QuerySet[Assignment]:
    """The user's own assignments in one status, with statement and article loaded in the same query.

    To-do items come earliest due first, then most check-worthy; done items most recent first.
    """
    assignments = (
        _queue_rows(user=user, status=status)
        .select_related("statement__article", "statement__summary")
        # Only what the queue shows: not the article's text, the score's reasons nor the team figures' snapshot.
        .defer("statement__article__body", "statement__score_reasons", "statement__summary__team_snapshot")
    )
    if status == Assignment.Status.DONE:
        # The reviewer's own verdict beside the desk's, read in the page's query (one index probe a row on the
        # one rating a reviewer has per statement), not a query of its own.
        mine = Rating.objects.filter(reviewer=user, statement_id=OuterRef("statement_id")).values("verdict")[:1]
        assignments = assignments.annotate(my_verdict=Subquery(mine))
    return assignments


def _rateable_rows(*, user) -> QuerySet[Assignment]:
    # Items whose statement was settled meanwhile can no longer be rated: "next" skips them.
    return _queue_rows(user=user, status=Assignment.Status.ASSIGNED).exclude(
        statement__review_status=Statement.ReviewStatus.SETTLED
    )


def queue_neighbours(*, user, assignment: Assignment) -> tuple[int | None, int | None]:
    """The ids of the items before and after `assignment` in the user's to-do queue, in the queue's own order
    (None at either end); one query."""
    order = _queue_order(Assignment.Status.ASSIGNED)
    return row_neighbours(_rateable_rows(user=user), order=order, row=assignment)


def queue_next(*, user, after: Assignment) -> int | None:
    """Where "Submit and next" goes from `after`: the next item in the to-do queue, else the first one left
    (items skipped on the way), else None when nothing is left to rate."""
    following = row_after(
        _rateable_rows(user=user).only("pk"), order=_queue_order(Assignment.Status.ASSIGNED), row=after
    )
    if following is not None:
        return following.pk
    return _rateable_rows(user=user).exclude(pk=after.pk).values_list("pk", flat=True).first()


def assignments_of(*, user) -> QuerySet[Assignment]:
    """The user's own assignments only: anybody else's is simply not there (a 404, never a 403, so its
    existence is not revealed), nor is one reassigned to a colleague."""
    return (
        Assignment.objects.filter(reviewer=user)
        .exclude(status=Assignment.Status.CLOSED)
        .select_related("statement__article", "statement__summary")
    )


def assignments_for_editors() -> QuerySet[Assignment]:
    return Assignment.objects.select_related("reviewer")


def open_assignment_counts(*, user_ids: list[int]) -> dict[int, int]:
    """How many statements each of these users still has to rate, from the maintained counters."""
    return dict(ReviewerLoad.objects.filter(reviewer_id__in=user_ids).values_list("reviewer_id", "open_count"))


def reviewer_load(*, user) -> ReviewerLoad:
    """The user's open and done counts (zeros for someone never assigned anything)."""
    return ReviewerLoad.objects.filter(reviewer=user).first() or ReviewerLoad(reviewer=user)


def reviewer_workload() -> QuerySet:
    """Reviewers with their open and done assignment counts (maintained, never counted here), least loaded first;
    of each reviewer only the name the overview shows."""
    return (
        desk_reviewers()
        .only("username", "first_name", "last_name")
        .annotate(
            open_count=Coalesce(F("review_load__open_count"), 0),
            done_count=Coalesce(F("review_load__done_count"), 0),
        )
        .order_by("open_count", "username")
    )


# The columns the queue page shows (and orders and links by): building 50 rows of four models with every
# column was a good part of the page's Python time.
QUEUE_PAGE_COLUMNS = (
    "pk",
    "due_at",
    "score",
    "statement__text",
    "statement__article__title",
    "statement__summary__consensus",
    "statement__summary__editor_verdict",
)


def todo_page(*, user, cursor: str = "", size: int = 25) -> KeysetPage:
    """A page of the user's statements to rate, earliest due then most check-worthy first, read in index order
    after `cursor`."""
    rows = reviewer_queue(user=user, status=Assignment.Status.ASSIGNED).only(*QUEUE_PAGE_COLUMNS)
    return keyset_page(rows, order=TODO_ORDER, cursor=cursor, size=size)


def done_page(*, user, cursor: str = "", size: int = 25) -> KeysetPage:
    """A page of what the user has rated, most recent first, with their own verdict."""
    rows = reviewer_queue(user=user, status=Assignment.Status.DONE).only(*QUEUE_PAGE_COLUMNS)
    return keyset_page(rows, order=DONE_ORDER, cursor=cursor, size=size)


def auto_assign_candidates(
    *,
    article_id: int | None = None,
    statement_ids=(),
    only_checkable: bool = True,
    min_score: float = 0.0,
    top: int = 50,
) -> QuerySet[Statement]:
    """The statements an auto-assign would consider, most check-worthy first, at most `top`: the given ones,
    else one article's, else the desk's statements nobody is assigned to yet. Settled ones need nobody."""
    statements = Statement.objects.exclude(review_status=Statement.ReviewStatus.SETTLED)
    if statement_ids:
        statements = statements.filter(pk__in=list(statement_ids))
    elif article_id:
        statements = statements.filter(article_id=article_id)
    else:
        statements = statements.filter(review_status=Statement.ReviewStatus.NEW)
    if only_checkable:
        statements = statements.filter(checkability=Statement.Checkability.CHECKABLE)
    if min_score:
        statements = statements.filter(score__gte=min_score)
    return (
        statements.select_related("article")
        .only("pk", "text", "score", "article_id", "review_status", "article__title")
        .order_by("-score", "pk")[:top]
    )


def statements_by_ids(ids) -> QuerySet[Statement]:
    return Statement.objects.filter(pk__in=list(ids)).only("pk", "article_id", "review_status", "score")
