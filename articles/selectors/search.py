"""Full-text search over statements and articles.

On PostgreSQL it reads the stored `search_vector` columns (generated and GIN-indexed by migration 0006):
`websearch_to_tsquery` understands what people type ("quoted phrases", or, -minus), results are ranked with
`ts_rank_cd` and quoted with `ts_headline`. Ranking looks at the newest RANK_WINDOW matches only, so a query
costs the same whether its words occur in a hundred statements or in half a million. On SQLite (the zero-setup
default) it is a plain case-insensitive substring match, newest first."""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, CharField, F, FloatField, Q, QuerySet, Value
from django.db.models.expressions import Expression, RawSQL

from factcheck.core.highlight import MARK_END, MARK_START

from ..models import Article, Statement

# How many of the newest matches are ranked. Enough that the best answers to a specific query are among them;
# bounded so that a common word does not make every match be ranked.
RANK_WINDOW = 1000
CONFIG = "english"
_QUERY = f"websearch_to_tsquery('{CONFIG}'::regconfig, %s)"
_HEADLINE_OPTIONS = (
    f'StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=40, MinWords=20, MaxFragments=2, FragmentDelimiter=" … "'
)


def full_text() -> bool:
    """Whether the database ranks and stems (PostgreSQL) or only finds substrings (SQLite)."""
    return connection.vendor == "postgresql"


def searchable(text: str) -> bool:
    """Whether the text leaves anything to search for: on PostgreSQL a query of only very common words ("the
    of") has no terms and would match nothing, so the page says so instead."""
    text = (text or "").strip()
    if not text:
        return False
    if not full_text():
        return True
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT numnode({_QUERY})", [text])
        return cursor.fetchone()[0] > 0


class VectorMatches(Expression):
    """`<the query's own table>.search_vector @@ websearch_to_tsquery(text)`. The column is not a model field, so
    it is named here; the table by the alias the query gives it, which changes (U0, V0…) when the queryset
    becomes a subquery, as the ranking window does. (Naming the table itself made that subquery correlated
    with the outer row: it matched the wrong statements and scanned the whole table.)"""

    output_field = BooleanField()
    conditional = True

    def __init__(self, text: str, alias: str | None = None) -> None:
        super().__init__()
        self.text, self.alias = text, alias

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = self.copy()
        clone.alias = query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler, connection):
        return f'{compiler.quote_name_unless_alias(self.alias)}."search_vector" @@ {_QUERY}', [self.text]


def _matches(queryset: QuerySet, text: str) -> QuerySet:
    return queryset.filter(VectorMatches(text))


def statements_matching(queryset: QuerySet[Statement], text: str) -> QuerySet[Statement]:
    """The statements of the queryset whose text matches the search."""
    if not full_text():
        return queryset.filter(text__icontains=text)
    return _matches(queryset, text)


def articles_matching(queryset: QuerySet[Article], text: str) -> QuerySet[Article]:
    """The articles of the queryset whose title or text matches the search (the title counts more)."""
    if not full_text():
        return queryset.filter(Q(title__icontains=text) | Q(body__icontains=text))
    return _matches(queryset, text)


def _ranked(matching: QuerySet, base: QuerySet, table: str, quoted: str, text: str, limit: int) -> QuerySet:
    """The best `limit` of the newest RANK_WINDOW rows of `matching`, as rows of `base` (which carries the
    joins the page needs), each with `rank` and a `snippet` whose matched words sit between the marks."""
    window = matching.order_by("-pk").values("pk")[:RANK_WINDOW]
    rows = base.filter(pk__in=window)
    if not full_text():
        return rows.annotate(rank=Value(0.0, output_field=FloatField()), snippet=F(quoted)).order_by("-pk")[:limit]
    return rows.annotate(
        rank=RawSQL(f'ts_rank_cd("{table}"."search_vector", {_QUERY})', [text], output_field=FloatField()),  # noqa: S611
        snippet=RawSQL(  # noqa: S611
            f'ts_headline(\'{CONFIG}\'::regconfig, "{table}"."{quoted}", {_QUERY}, %s)',
            [text, _HEADLINE_OPTIONS],
            output_field=CharField(),
        ),
    ).order_by("-rank", "-pk")[:limit]


def statements_ranked(matching: QuerySet[Statement], base: QuerySet[Statement], text: str, *, limit: int):
    """Ranked statements with a highlighted snippet of their text (see _ranked)."""
    return _ranked(matching, base, Statement._meta.db_table, "text", text, limit)


def articles_ranked(matching: QuerySet[Article], base: QuerySet[Article], text: str, *, limit: int):
    """Ranked articles with a highlighted snippet of their body (see _ranked)."""
    return _ranked(matching, base, Article._meta.db_table, "body", text, limit)
