"""Reads for the triage board (the editors' landing page) and the filtered statement and article lists behind
its sections.

Every section is a bounded top-N read from an index over exactly its filter and order (articles migration
0008, reviews migration 0017): the board costs the same with a thousand statements or a million. The lists
page by keyset over the same orders, so their query count never grows with the data or with the filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.models import Article, ClaimMatch, ImportItem, ImportJob, Statement
from articles.selectors import search as text_search
from articles.selectors.claim_memory import MATCHES_PER_STATEMENT
from articles.selectors.imports import failed_import_jobs

from ..models import ArticleSummary, Assignment, Report
from .desk import statements_needing_attention

SECTION_SIZE = 8
# "Due soon" on the board and in the lists: an open assignment due within this window.
DUE_SOON = timedelta(hours=24)

# A statement's state as the lists name it, and the review statuses behind it; "published" is a settled
# statement whose article's report is public, "settled" one whose report is not (yet).
STATEMENT_STATES = {
    "new": ("new",),
    "in_review": ("assigned", "rated"),
    "disputed": ("disputed",),
    "settled": ("settled",),
    "published": ("settled",),
}
STATE_LABELS = {
    "new": "New",
    "in_review": "In review",
    "disputed": "Disputed",
    "settled": "Settled",
    "published": "Published",
}
STATEMENT_ORDERS = {"score": ("-score", "-pk"), "newest": ("-pk",)}
ARTICLE_ORDER = ("-created_at", "-pk")
DUE_CHOICES = ("overdue", "soon")


@dataclass(frozen=True)
class TriageFilters:
    """What the article and statement lists are narrowed by; empty values filter nothing."""

    text: str = ""
    state: str = ""
    score_min: float | None = None
    score_max: float | None = None
    site: str = ""
    feed_id: int | None = None
    date_from: date | None = None  # the article's import date, inclusive
    date_to: date | None = None
    reviewer_id: int | None = None
    checkable_only: bool = False
    due: str = ""  # statements only: "overdue" or "soon" (an open assignment due within DUE_SOON)


@dataclass
class Section:
    """Up to SECTION_SIZE rows of one board section and whether the list behind it holds more."""

    rows: list
    more: bool

    @classmethod
    def of(cls, queryset, size: int = SECTION_SIZE) -> Section:
        rows = list(queryset[: size + 1])
        return cls(rows=rows[:size], more=len(rows) > size)


@dataclass
class ReviewerDue:
    reviewer: object
    assignments: list
    overdue: int


# The board's sections, one indexed query each.


def unassigned_statements() -> QuerySet[Statement]:
    """New checkable statements nobody is assigned to, most check-worthy first (statement_new_checkable)."""
    return (
        Statement.objects.filter(
            review_status=Statement.ReviewStatus.NEW, checkability=Statement.Checkability.CHECKABLE
        )
        .select_related("article")
        .only("pk", "text", "score", "article__id", "article__title", "article__site_name")
        .order_by("-score", "-pk")
    )


def assignments_due(*, now: datetime | None = None) -> QuerySet[Assignment]:
    """Open assignments overdue or due within DUE_SOON, soonest first (assignment_open_due)."""
    now = now or timezone.now()
    return (
        Assignment.objects.filter(status=Assignment.Status.ASSIGNED, due_at__isnull=False, due_at__lte=now + DUE_SOON)
        .select_related("reviewer", "statement")
        .only(
            "id",
            "due_at",
            "statement__id",
            "statement__text",
            "reviewer__id",
            "reviewer__username",
            "reviewer__first_name",
            "reviewer__last_name",
        )  # fmt: skip
        .order_by("due_at", "pk")
    )


def due_by_reviewer(assignments: list[Assignment], *, now: datetime | None = None) -> list[ReviewerDue]:
    """The board's most urgent assignments grouped by reviewer, the reviewer with the most overdue first."""
    now = now or timezone.now()
    ordered = sorted(assignments, key=lambda a: (a.reviewer.username, a.due_at, a.pk))
    groups = []
    for _, rows in groupby(ordered, key=lambda a: a.reviewer_id):
        rows = list(rows)
        groups.append(ReviewerDue(rows[0].reviewer, rows, sum(a.due_at < now for a in rows)))
    return sorted(groups, key=lambda g: (-g.overdue, g.assignments[0].due_at))


def disputed_statements() -> QuerySet[Statement]:
    """Disputed statements waiting for an editor, most recently disputed first (summary_disputed)."""
    return statements_needing_attention(limit=SECTION_SIZE + 1)


def articles_ready_to_publish() -> QuerySet[ArticleSummary]:
    """Articles whose statements are all settled and whose report is not public, most recently settled first
    (articlesummary_state)."""
    return (
        ArticleSummary.objects.filter(state=ArticleSummary.State.SETTLED)
        .select_related("article")
        .defer("article__body", "distribution")
        .order_by("-updated_at", "-pk")
    )


def failed_imports() -> QuerySet[ImportJob]:
    """Import jobs that failed or left failed items, newest first (importjob_failed)."""
    return failed_import_jobs().only("pk", "label", "status", "created_at", "failed", "processed", "error")


def _open_matches() -> QuerySet[ClaimMatch]:
    """Open "already checked" suggestions with what the board shows of them: the earlier statement, its settled
    verdict, its article and report (without the articles' bodies)."""
    return (
        ClaimMatch.objects.filter(status=ClaimMatch.Status.SUGGESTED)
        .select_related("earlier__summary", "earlier__article__report")
        .defer("earlier__article__body", "earlier__score_reasons", "earlier__summary__team_snapshot")
    )


def already_checked_matches() -> QuerySet[ClaimMatch]:
    """Open suggestions of statements not settled yet, best similarity first (claimmatch_open_best), each with
    its statement and article: the board's "already checked?" section, a statement's best suggestion first."""
    return (
        _open_matches()
        .exclude(statement__review_status=Statement.ReviewStatus.SETTLED)
        .select_related("statement__article")
        .defer("statement__article__body", "statement__score_reasons")
        .order_by("-score", "-pk")
    )


def board_open_matches(statement_ids: list[int], *, size: int = SECTION_SIZE) -> tuple[Section, dict[int, list]]:
    """The board's "already checked?" section (up to ``size`` statements not settled yet with an open suggestion,
    closest first, each with its best one as ``open_match``) and the open suggestions of the statements the
    other sections show (by statement id, best first): one query for both.

    A statement holds at most MATCHES_PER_STATEMENT open suggestions, so the best ``size * MATCHES_PER_STATEMENT
    + 1`` of them tell whether there are more than ``size`` statements. Those are the rows at or above the one
    in that place (two scalar subqueries from the claimmatch_open_best index), so the query reads at most that
    many rows and the given statements' own, whatever the number of suggestions."""
    top = size * MATCHES_PER_STATEMENT + 1
    ranked = already_checked_matches()
    last = ranked.values("score", "pk")[top - 1 : top]  # the last row of the top; none when there are fewer
    last_score = Coalesce(Subquery(last.values("score")), Value(-1.0))
    last_pk = Coalesce(Subquery(last.values("pk")), Value(0))
    in_top = Q(score__gt=last_score) | Q(score=last_score, pk__gte=last_pk)
    rows = list(ranked.filter(in_top | Q(statement_id__in=sorted(set(statement_ids)))))

    by_statement: dict[int, list[ClaimMatch]] = {}
    for match in sorted(rows, key=lambda m: (m.statement_id, -m.score, m.pk)):
        by_statement.setdefault(match.statement_id, []).append(match)
    listed: dict[int, Statement] = {}
    for match in rows[:top]:  # already best first
        if match.statement_id not in listed:
            statement = listed[match.statement_id] = match.statement
            statement.open_match = match
            statement.open_match_count = len(by_statement[match.statement_id])
    statements = list(listed.values())
    return Section(rows=statements[:size], more=len(statements) > size), by_statement


def attach_open_matches(statements: list[Statement], by_statement: dict[int, list]) -> None:
    """Give each statement its best open suggestion as ``open_match`` (None without one) and how many it has as
    ``open_match_count``."""
    for statement in statements:
        matches = by_statement.get(statement.pk, [])
        statement.open_match, statement.open_match_count = (matches[0] if matches else None), len(matches)


@dataclass
class Board:
    unassigned: Section
    due: Section
    due_groups: list[ReviewerDue]
    disputed: Section
    ready: Section
    failed_imports: Section
    already_checked: Section


def triage_board(*, now: datetime | None = None) -> Board:
    """Every section of the board: six queries (the disputed statements' ratings are one more), the "already
    checked?" section and the other sections' statements' open suggestions one more."""
    now = now or timezone.now()
    due = Section.of(assignments_due(now=now))
    unassigned, disputed = Section.of(unassigned_statements()), Section.of(disputed_statements())
    # Where the editor decides (assign, settle a dispute, chase a deadline), a statement the desk may already
    # have checked says so.
    shown = [*unassigned.rows, *disputed.rows, *(a.statement for a in due.rows)]
    already_checked, by_statement = board_open_matches([s.pk for s in shown])
    attach_open_matches(shown, by_statement)
    return Board(
        unassigned=unassigned,
        due=due,
        due_groups=due_by_reviewer(due.rows, now=now),
        disputed=disputed,
        ready=Section.of(articles_ready_to_publish()),
        failed_imports=Section.of(failed_imports()),
        already_checked=already_checked,
    )


# The filtered lists.


def _imported_between(prefix: str, filters: TriageFilters) -> Q:
    """The article's import time within the filter's dates (inclusive days, in the site's time zone)."""
    condition = Q()
    zone = timezone.get_current_timezone()
    if filters.date_from:
        condition &= Q(**{f"{prefix}created_at__gte": datetime.combine(filters.date_from, time.min, zone)})
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, zone)
        condition &= Q(**{f"{prefix}created_at__lt": end})
    return condition


def _from_feed(feed_id: int) -> QuerySet[ImportItem]:
    """Ids of the articles an import of one of the feed's entries stored."""
    return ImportItem.objects.filter(job__feed_entries__feed_id=feed_id, article__isnull=False).values("article_id")


def statements_for_triage(*, filters: TriageFilters, now: datetime | None = None) -> QuerySet[Statement]:
    """The desk's statements narrowed by every filter given, with article (without its body), summary and
    assignments' reviewers: two queries a page whatever the filters. The caller orders (STATEMENT_ORDERS) and
    pages."""
    statements = (
        Statement.objects.select_related("article", "summary")
        .defer("article__body", "score_reasons", "summary__team_snapshot")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("reviewer").order_by("pk"))
        )
    )
    if filters.text:
        statements = text_search.statements_matching(statements, filters.text)
    if filters.state in STATEMENT_STATES:
        statements = statements.filter(review_status__in=STATEMENT_STATES[filters.state])
        published = Report.objects.filter(article_id=OuterRef("article_id"), status=Report.Status.PUBLISHED)
        if filters.state == "published":
            statements = statements.filter(Exists(published))
        elif filters.state == "settled":
            statements = statements.exclude(Exists(published))
    if filters.checkable_only:
        statements = statements.filter(checkability=Statement.Checkability.CHECKABLE)
    if filters.score_min is not None:
        statements = statements.filter(score__gte=filters.score_min)
    if filters.score_max is not None:
        statements = statements.filter(score__lte=filters.score_max)
    if filters.site:
        statements = statements.filter(article__site_name=filters.site)
    if filters.feed_id:
        statements = statements.filter(article_id__in=_from_feed(filters.feed_id))
    statements = statements.filter(_imported_between("article__", filters))
    if filters.reviewer_id or filters.due:
        assignments = Assignment.objects.filter(statement_id=OuterRef("pk"))
        if filters.reviewer_id:
            assignments = assignments.filter(reviewer_id=filters.reviewer_id)
        if filters.due:
            now = now or timezone.now()
            limit = now if filters.due == "overdue" else now + DUE_SOON
            assignments = assignments.filter(status=Assignment.Status.ASSIGNED, due_at__lte=limit)
        statements = statements.filter(Exists(assignments))
    return statements


def articles_for_triage(*, filters: TriageFilters) -> QuerySet[Article]:
    """The desk's articles narrowed by every filter given, with summary and report: one query a page whatever
    the filters. Score range and reviewer match articles with at least one such statement. The caller orders
    (ARTICLE_ORDER) and pages."""
    articles = Article.objects.select_related("summary", "report").defer("body", "summary__distribution")
    if filters.text:
        articles = text_search.articles_matching(articles, filters.text)
    if filters.state == ArticleSummary.State.NEW:
        articles = articles.filter(Q(summary__isnull=True) | Q(summary__state=ArticleSummary.State.NEW))
    elif filters.state:
        articles = articles.filter(summary__state=filters.state)
    if filters.site:
        articles = articles.filter(site_name=filters.site)
    if filters.feed_id:
        articles = articles.filter(pk__in=_from_feed(filters.feed_id))
    articles = articles.filter(_imported_between("", filters))
    if filters.score_min is not None or filters.score_max is not None or filters.checkable_only:
        scored = Statement.objects.filter(article_id=OuterRef("pk"))
        if filters.score_min is not None:
            scored = scored.filter(score__gte=filters.score_min)
        if filters.score_max is not None:
            scored = scored.filter(score__lte=filters.score_max)
        if filters.checkable_only:
            scored = scored.filter(checkability=Statement.Checkability.CHECKABLE)
        articles = articles.filter(Exists(scored))
    if filters.reviewer_id:
        reviewed = Assignment.objects.filter(statement__article_id=OuterRef("pk"), reviewer_id=filters.reviewer_id)
        articles = articles.filter(Exists(reviewed))
    return articles
