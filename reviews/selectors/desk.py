"""Reads for the editors' desk: the article list and article page, statements to settle, headline counts."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from articles.models import Article, Statement

from ..models import Assignment, Rating

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
    most check-worthy first), each with its summary and its assignments' reviewers: four queries."""
    statements = (
        Statement.objects.select_related("summary")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("reviewer").order_by("pk"))
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
