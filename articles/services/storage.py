"""Storing imported articles: deduplicated by content and URL, split into scored statements, set-based."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q

from factcheck.core.links import http_url

from ..importing import ParsedArticle, content_hash
from ..models import Article, Statement
from ..splitting import Span, split_statements
from .claim_memory import statements_match_soon
from .scoring import apply_scores, initial_checkability


@dataclass(frozen=True)
class StoreOutcome:
    article_id: int
    created: bool


def store_articles(articles: Sequence[ParsedArticle], *, imported_by=None) -> list[StoreOutcome]:
    """Insert new articles with their scored statements; same content hash or URL → the existing article.

    Runs in the caller's transaction. Set-based: one lookup, one insert of articles (each with its statement
    count), one of statements.
    """
    if not articles:
        return []
    articles = [_with_safe_url(a) for a in articles]
    hashes = [content_hash(a) for a in articles]
    urls = [a.url for a in articles if a.url]
    existing = Article.objects.filter(Q(content_hash__in=hashes) | Q(url__in=urls)).values_list(
        "pk", "content_hash", "url"
    )
    by_hash: dict[str, int] = {}
    by_url: dict[str, int] = {}
    for pk, h, url in existing:
        by_hash[h] = pk
        if url:
            by_url[url] = pk

    results: list[StoreOutcome | None] = [None] * len(articles)
    same_as: dict[int, int] = {}  # index of a repeat inside this batch -> index of its first occurrence
    new_articles: list[tuple[int, Article]] = []
    spans_by_index: dict[int, list[Span]] = {}  # split before the insert, so each article is written once
    pending_hash: dict[str, int] = {}  # duplicates inside this batch point at the first occurrence
    pending_url: dict[str, int] = {}
    for i, (parsed, h) in enumerate(zip(articles, hashes, strict=True)):
        known = by_hash.get(h) or (by_url.get(parsed.url) if parsed.url else None)
        if known:
            results[i] = StoreOutcome(known, False)
            continue
        first = pending_hash.get(h)
        if first is None and parsed.url:
            first = pending_url.get(parsed.url)
        if first is not None:
            same_as[i] = first
            continue
        pending_hash[h] = i
        if parsed.url:
            pending_url[parsed.url] = i
        spans_by_index[i] = split_statements(parsed.body)
        new_articles.append((i, _article_row(parsed, h, imported_by, statement_count=len(spans_by_index[i]))))

    if new_articles:
        try:
            with transaction.atomic():
                created = Article.objects.bulk_create([a for _, a in new_articles])
        except IntegrityError:
            # Another job stored one of these meanwhile: fall back to one at a time for this batch.
            created = [_get_or_create_article(a) for _, a in new_articles]
        fresh = []
        for (i, _), (article, was_created) in zip(new_articles, _as_pairs(created), strict=True):
            results[i] = StoreOutcome(article.pk, was_created)
            if was_created:
                fresh.append((article, spans_by_index[i]))
        _store_statements(fresh)
    for i, first in same_as.items():
        results[i] = StoreOutcome(results[first].article_id, False)  # type: ignore[union-attr]
    return results  # type: ignore[return-value]


def _as_pairs(created: list) -> list[tuple[Article, bool]]:
    return [c if isinstance(c, tuple) else (c, True) for c in created]


def _get_or_create_article(article: Article) -> tuple[Article, bool]:
    existing = Article.objects.filter(Q(content_hash=article.content_hash) | (Q(url=article.url) & ~Q(url=""))).first()
    if existing:
        return existing, False
    with transaction.atomic():
        article.save()
    return article, True


def _with_safe_url(article: ParsedArticle) -> ParsedArticle:
    """Keep only http(s) URLs: an imported "javascript:" or "data:" link must never become a link on a page."""
    url = http_url(article.url)
    return article if url == article.url else dataclasses.replace(article, url=url)


def _article_row(parsed: ParsedArticle, digest: str, imported_by, *, statement_count: int) -> Article:
    return Article(
        title=(parsed.title or "Untitled")[:500],
        body=parsed.body,
        url=(parsed.url or "")[:2000],
        author=(parsed.author or "")[:300],
        published=parsed.published,
        site_name=(parsed.site_name or "")[:200],
        content_hash=digest,
        imported_by=imported_by,
        statement_count=statement_count,
    )


def _store_statements(articles: Sequence[tuple[Article, list[Span]]]) -> None:
    """Store the scored statements of new articles (already split, their counts already on the articles)."""
    rows = [
        Statement(article=article, position=i, start=span.start, end=span.end, text=span.text)
        for article, spans in articles
        for i, span in enumerate(spans)
    ]
    apply_scores(rows)
    for statement in rows:
        statement.checkability = initial_checkability(statement.score)
    statements_insert(rows)
    statements_match_soon(s.pk for s in rows)  # "already checked?", once this batch commits


def statements_insert(rows: Sequence[Statement]) -> None:
    """Insert new statements and set their ids, in the caller's transaction.

    On PostgreSQL through COPY: an import writes ~50 statements per article, and building one INSERT of them
    costs the worker more CPU than the database's work (Django prepares and psycopg quotes every value; bench/
    import_throughput.py measured 1.5 ms per article of the worker's 8.4). Ids are drawn from the table's
    sequence first, in order, as bulk_create would get them. Every concrete field is written from the unsaved
    objects, so a new field with a default needs nothing here (tests compare the rows with bulk_create's).
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        Statement.objects.bulk_create(rows, batch_size=1000)
        return
    meta = Statement._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        for statement, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            statement.pk = pk
            statement._state.adding = False
            statement._state.db = connection.alias
        columns = ", ".join(quote(f.column) for f in [meta.pk, *fields])
        values = [_copy_value(f) for f in fields]
        # The driver's own cursor, so its errors are turned into Django's here: a dropped connection or a
        # cancelled COPY must be the OperationalError the import retries and resumes after, not a failure.
        copy_sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        with connection.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
            for statement in rows:
                copy.write_row([statement.pk, *(value(statement) for value in values)])


def _copy_value(field: models.Field):
    """How a field's value goes into COPY: JSON as its text, anything else as the object holds it."""
    attname = field.attname
    if isinstance(field, models.JSONField):

        def as_json(obj):
            value = getattr(obj, attname)
            return None if value is None and field.null else json.dumps(value, cls=field.encoder)

        return as_json
    return lambda obj: getattr(obj, attname)
