"""Reads for the editors' desk: the article list and article page, statements to settle, headline counts."""

from __future__ import annotations

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from articles.models import Article, Statement
from articles.selectors import search as text_search

from ..models import ArticleSummary, Assignment, Rating, ReviewerLoad
from .claim_memory import open_suggestions_prefetch

STATEMENT_ORDERS = {"position": ("position",), "score": ("-score", "position")}


def articles_for_desk(*, search: str = "") -> QuerySet[Article]:
    """Articles newest first with their summary, optionally matching a title or site; the statement count is
    stored on the article, so nothing is counted per request."""
    articles = Article.objects.select_related("summary").defer("body")
    if search:
        articles = articles.filter(Q(title__icontains=search) | Q(site_name__icontains=search))
    return articles.order_by("-created_at", "-pk")


def desk_articles() -> QuerySet[Article]:
    """Articles for lookups by id, without their body."""
    return Article.objects.defer("body")


def article_page(*, pk: int, order: str = "position") -> Article | None:
    """The article with its summary and report, and its statements in the asked order (article order or
    most check-worthy first), each with its summary, its assignments' reviewers and its open "already checked"
    suggestions: five queries."""
    statements = (
        Statement.objects.select_related("summary")
        .defer("summary__team_snapshot")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("reviewer").order_by("pk")),
            open_suggestions_prefetch(),
        )
        .order_by(*STATEMENT_ORDERS.get(order, STATEMENT_ORDERS["position"]))
    )
    return (
        Article.objects.select_related("summary", "report")
        .prefetch_related(Prefetch("statements", queryset=statements, to_attr="ordered_statements"))
        .filter(pk=pk)
        .first()
    )


def checkable_statements(*, article: Article, only_checkable: bool) -> QuerySet[Statement]:
    """An article's statements most check-worthy first, for auto-assign."""
    statements = article.statements.order_by("-score", "position")
    if only_checkable:
        statements = statements.filter(checkability=Statement.Checkability.CHECKABLE)
    return statements.only("pk")


def statement_for_review() -> QuerySet[Statement]:
    """Statements with their article and settlement, for the editor's statement page."""
    return Statement.objects.select_related("article", "summary__settled_by")


def statements_needing_attention(*, limit: int = 10) -> QuerySet[Statement]:
    """Disputed statements waiting for an editor, most recently disputed first (summary_disputed), with their
    article's title and their ratings' verdicts: only what the lists show, two queries."""
    return (
        Statement.objects.filter(summary__consensus="disputed", summary__settled=False)
        .select_related("article")
        .only("pk", "text", "article__id", "article__title")
        .prefetch_related(
            Prefetch("ratings", queryset=Rating.objects.only("pk", "statement_id", "verdict").order_by("pk"))
        )
        .order_by("-summary__updated_at")[:limit]
    )


def desk_counts() -> dict[str, int]:
    """Headline numbers for the editor overview, added up from maintained counts (per reviewer, per article,
    and the articles' statement counts, those from an index alone), never by counting statements or
    assignments: one statement joining three one-row sums (each table read once), one round trip, not three."""
    sums = {
        ReviewerLoad: {"open_assignments": "open_count", "done_assignments": "done_count"},
        Article: {"statements": "statement_count"},
        ArticleSummary: {"settled": "settled_count", "disputed": "disputed_count"},
    }
    quote = connection.ops.quote_name
    names = [name for columns in sums.values() for name in columns]
    tables = ", ".join(
        "(SELECT {} FROM {}) AS {}".format(  # noqa: S608 - names from _meta
            ", ".join(f"SUM({quote(column)}) AS {quote(name)}" for name, column in columns.items()),
            quote(model._meta.db_table),
            quote(f"sums_{index}"),
        )
        for index, (model, columns) in enumerate(sums.items())
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(map(quote, names))} FROM {tables}")  # noqa: S608 - names from _meta
        row = cursor.fetchone()
    return {name: int(value or 0) for name, value in zip(names, row, strict=True)}


def articles_filtered(
    *,
    search: str = "",
    site: str = "",
    published_after=None,
    published_before=None,
    imported_from=None,
    imported_until=None,
    has_report: bool | None = None,
) -> QuerySet[Article]:
    """The desk's articles with their summary and report, narrowed by the API's list filters: published dates
    inclusive, import times from `imported_from` up to (not including) `imported_until`. The caller orders
    and pages them."""
    articles = articles_for_desk(search=search).select_related("report")
    if site:
        articles = articles.filter(site_name__icontains=site)
    if published_after:
        articles = articles.filter(published__gte=published_after)
    if published_before:
        articles = articles.filter(published__lte=published_before)
    if imported_from:
        articles = articles.filter(created_at__gte=imported_from)
    if imported_until:
        articles = articles.filter(created_at__lt=imported_until)
    if has_report is not None:
        articles = articles.filter(report__isnull=not has_report)
    return articles


def statements_filtered(
    *,
    search: str = "",
    review_statuses=(),
    consensus: str = "",
    final_verdict: str = "",
    checkability: str = "",
    score_min: float | None = None,
    score_max: float | None = None,
    article_id: int | None = None,
    site: str = "",
    published_after=None,
    published_before=None,
    imported_from=None,
    imported_until=None,
) -> QuerySet[Statement]:
    """Statements across the desk with their article (without its body) and summary, in one query, narrowed
    by the API's list filters: text, review status, consensus ("disputed" means not settled yet), final
    verdict, checkability, score range, article, site and the article's dates (as for articles_filtered).
    The caller orders and pages."""
    statements = Statement.objects.select_related("article", "summary").defer("article__body")
    if search:
        # Full-text on PostgreSQL (a GIN index, not a scan of a million texts), a substring on SQLite.
        statements = text_search.statements_matching(statements, search)
    if review_statuses:
        statements = statements.filter(review_status__in=list(review_statuses))
    if consensus == "disputed":
        statements = statements.filter(summary__consensus="disputed", summary__settled=False)
    elif consensus:
        statements = statements.filter(summary__consensus=consensus)
    if final_verdict:
        statements = statements.filter(
            Q(summary__editor_verdict=final_verdict) | Q(summary__editor_verdict="", summary__consensus=final_verdict),
            summary__settled=True,
        )
    if checkability:
        statements = statements.filter(checkability=checkability)
    if score_min is not None:
        statements = statements.filter(score__gte=score_min)
    if score_max is not None:
        statements = statements.filter(score__lte=score_max)
    if article_id:
        statements = statements.filter(article_id=article_id)
    if site:
        statements = statements.filter(article__site_name__icontains=site)
    if published_after:
        statements = statements.filter(article__published__gte=published_after)
    if published_before:
        statements = statements.filter(article__published__lte=published_before)
    if imported_from:
        statements = statements.filter(article__created_at__gte=imported_from)
    if imported_until:
        statements = statements.filter(article__created_at__lt=imported_until)
    return statements
