"""Full-text search over statements and articles.

On PostgreSQL it reads the stored `search_vector` columns (generated and GIN-indexed by migration 0006):
`websearch_to_tsquery` understands what people type ("quoted phrases", or, -minus), results are ranked with
`ts_rank_cd` and quoted with `ts_headline`. Ranking looks at the newest RANK_WINDOW matches only
(ARTICLE_RANK_WINDOW for articles), so a query costs the same whether its words occur in a hundred statements or
in half a million. On SQLite (the zero-setup default) it is a plain case-insensitive substring match, newest
first."""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, CharField, F, FloatField, Q, QuerySet, Value
from django.db.models.expressions import Expression, RawSQL

from factcheck.core.highlight import MARK_END, MARK_START

from ..models import Article, Statement

# How many of the newest matches are ranked. Enough that the best answers to a specific query are among them;
# bounded so that a common word does not make every match be ranked.
RANK_WINDOW = 1000
# Articles are long: each one's vector is read from TOAST to be ranked, and its headline parses its text. So
# fewer are ranked (a year's desk has 50 times fewer articles than statements), and the snippet is taken from
# the body's beginning, which the page shows 400 characters of anyway.
ARTICLE_RANK_WINDOW = 200
ARTICLE_SNIPPET_CHARS = 1000
STATEMENT_SNIPPET_CHARS = 20000  # as much as the statement's vector holds (migration 0006)
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


class _OnVector(Expression):
    """An expression on the stored `search_vector` column of the query's own table. The column is not a model
    field, so it is named here; the table by the alias the query gives it, which changes (U0, V0…) when the
    queryset becomes a subquery. (Naming the table itself once made the ranking window's subquery correlated
    with the outer row: it matched the wrong rows and scanned the whole table.)"""

    template = ""  # with {vector} and {query}

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
        vector = f'{compiler.quote_name_unless_alias(self.alias)}."search_vector"'
        return self.template.format(vector=vector, query=_QUERY), [self.text]


class VectorMatches(_OnVector):
    output_field = BooleanField()
    conditional = True
    template = "{vector} @@ {query}"


class VectorRank(_OnVector):
    output_field = FloatField()
    template = "ts_rank_cd({vector}, {query})"


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


def _ranked(matching: QuerySet, base: QuerySet, text: str, *, field: str, chars: int, limit: int, window: int) -> list:
    """The best `limit` of the newest `window` rows of `matching`, as rows of `base` (which carries the joins
    the page needs), each with `rank` and a `snippet` of its `field` (the first `chars` characters) whose
    matched words sit between the marks.

    Two queries: the window's ids with their rank, read from the rows the index finds (no join), then the
    best few with their joins and snippets. Ranking the window inside one query joined every one of its
    rows to its article before sorting: ~100 ms at a million statements."""
    if not full_text():
        rows = base.filter(pk__in=matching.order_by("-pk").values("pk")[:window])
        rows = rows.annotate(rank=Value(0.0, output_field=FloatField()), snippet=F(field))
        return list(rows.order_by("-pk")[:limit])
    ranked = matching.order_by("-pk").annotate(rank=VectorRank(text)).values_list("pk", "rank")[:window]
    rank_of = dict(sorted(ranked, key=lambda row: (-row[1], -row[0]))[:limit])
    if not rank_of:
        return []
    column = f'"{base.model._meta.db_table}"."{base.model._meta.get_field(field).column}"'
    rows = base.filter(pk__in=list(rank_of)).annotate(
        snippet=RawSQL(  # noqa: S611 (the identifiers are the model's own; the text and options parameters)
            f"ts_headline('{CONFIG}'::regconfig, left({column}, %s), {_QUERY}, %s)",
            [chars, text, _HEADLINE_OPTIONS],
            output_field=CharField(),
        ),
    )
    found = sorted(rows, key=lambda row: (-rank_of[row.pk], -row.pk))
    for row in found:
        row.rank = rank_of[row.pk]
    return found


def statements_ranked(matching: QuerySet[Statement], base: QuerySet[Statement], text: str, *, limit: int):
    """Ranked statements with a highlighted snippet of their text (see _ranked)."""
    return _ranked(matching, base, text, field="text", chars=STATEMENT_SNIPPET_CHARS, limit=limit, window=RANK_WINDOW)


def articles_ranked(matching: QuerySet[Article], base: QuerySet[Article], text: str, *, limit: int):
    """Ranked articles with a highlighted snippet of the beginning of their body (see _ranked)."""
    return _ranked(
        matching, base, text, field="body", chars=ARTICLE_SNIPPET_CHARS, limit=limit, window=ARTICLE_RANK_WINDOW
    )
