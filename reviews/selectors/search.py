"""The desk's one search box: statements, articles and published reports, each scoped to who may see it.

Editors search everything with the desk's filters; a reviewer searches the statements assigned to them (never
a colleague's verdict: blind review holds in search too) and the published reports. Every result list is the
best RESULT_LIMIT, ranked among the newest matches (articles.selectors.search), so a search costs a few
bounded queries at any size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery

from articles.models import Article, Statement
from articles.selectors import search as text_search
from factcheck.accounts import policy

from ..models import Assignment, Report
from .desk import articles_filtered, statements_filtered

RESULT_LIMIT = 50
KINDS = ("statements", "articles", "reports")
# What a statement's state filter means; "published" is a settled statement whose article's report is public.
STATES = ("new", "assigned", "rated", "disputed", "settled", "published")


@dataclass(frozen=True)
class SearchFilters:
    state: str = ""
    verdict: str = ""
    site: str = ""
    date_from: date | None = None  # the article's publication date, inclusive
    date_to: date | None = None


@dataclass
class SearchResults:
    kind: str
    text: str
    items: list = field(default_factory=list)
    too_common: bool = False  # the words were all too common to search for
    full_text: bool = True  # ranked and stemmed (PostgreSQL), or substring matches (SQLite)

    @property
    def limit(self) -> int:
        return RESULT_LIMIT


def kinds_for(user) -> tuple[str, ...]:
    """What the user may search: reviewers have no article pages, so they search statements and reports."""
    if policy.can_view_articles(user):
        return KINDS
    if policy.can_rate(user):
        return ("statements", "reports")
    return ()


def search(*, user, text: str, kind: str, filters: SearchFilters) -> SearchResults:
    """The best matches of one kind for the user; an empty result for a kind they may not search."""
    results = SearchResults(kind=kind, text=text, full_text=text_search.full_text())
    if kind not in kinds_for(user) or not text.strip():
        return results
    if kind == "statements":
        results.items = list(_statements(user=user, text=text, filters=filters))
    elif kind == "articles":
        results.items = list(_articles(text=text, filters=filters))
    else:
        results.items = list(_reports(text=text, filters=filters))
    # Words too common to search for match nothing; only then is it worth a query to tell the two apart.
    results.too_common = not results.items and not text_search.searchable(text)
    return results


def _statement_filters(statements: QuerySet[Statement], filters: SearchFilters) -> QuerySet[Statement]:
    if filters.state == "published":
        statements = statements.filter(review_status="settled", article__report__status=Report.Status.PUBLISHED)
    elif filters.state in STATES:
        statements = statements.filter(review_status=filters.state)
    return statements


def _statements(*, user, text: str, filters: SearchFilters):
    if policy.can_view_articles(user):
        scoped = statements_filtered(
            final_verdict=filters.verdict,
            site=filters.site,
            published_after=filters.date_from,
            published_before=filters.date_to,
        )
        base = Statement.objects.select_related("article", "summary").defer(
            "article__body", "score_reasons", "summary__team_snapshot"
        )
    else:
        # A reviewer's own assignments only, and nothing about colleagues' verdicts.
        mine = Assignment.objects.filter(reviewer=user)
        scoped = Statement.objects.filter(pk__in=mine.values("statement_id"))
        if filters.site:
            scoped = scoped.filter(article__site_name__icontains=filters.site)
        if filters.date_from:
            scoped = scoped.filter(article__published__gte=filters.date_from)
        if filters.date_to:
            scoped = scoped.filter(article__published__lte=filters.date_to)
        own = mine.filter(statement_id=OuterRef("pk"))
        base = (
            Statement.objects.select_related("article")
            .defer("article__body", "score_reasons")
            .annotate(my_assignment=Subquery(own.values("pk")[:1]))
        )
    matching = text_search.statements_matching(_statement_filters(scoped, filters), text)
    return text_search.statements_ranked(matching, base, text, limit=RESULT_LIMIT)


def _articles(*, text: str, filters: SearchFilters):
    scoped = articles_filtered(site=filters.site, published_after=filters.date_from, published_before=filters.date_to)
    if filters.state == "published":
        scoped = scoped.filter(report__status=Report.Status.PUBLISHED)
    matching = text_search.articles_matching(scoped, text)
    base = Article.objects.select_related("summary", "report").defer("body")
    return text_search.articles_ranked(matching, base, text, limit=RESULT_LIMIT)


def _reports(*, text: str, filters: SearchFilters):
    """Published reports whose headline, introduction or article title match. Published reports are a few
    thousand a year, so their text is matched as it stands, without a stored vector."""
    reports = Report.objects.filter(status=Report.Status.PUBLISHED).select_related("article").defer("article__body")
    if filters.site:
        reports = reports.filter(article__site_name__icontains=filters.site)
    if filters.date_from:
        reports = reports.filter(published_at__date__gte=filters.date_from)
    if filters.date_to:
        reports = reports.filter(published_at__date__lte=filters.date_to)
    if not text_search.full_text():
        found = reports.filter(
            Q(headline__icontains=text) | Q(summary__icontains=text) | Q(article__title__icontains=text)
        )
        return found.order_by("-published_at", "-pk")[:RESULT_LIMIT]
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = SearchVector("headline", weight="A", config=text_search.CONFIG) + SearchVector(
        "summary", "article__title", weight="B", config=text_search.CONFIG
    )
    query = SearchQuery(text, search_type="websearch", config=text_search.CONFIG)
    return (
        reports.annotate(rank=SearchRank(vector, query))
        .filter(rank__gt=0)
        .order_by("-rank", "-published_at", "-pk")[:RESULT_LIMIT]
    )
