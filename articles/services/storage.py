"""Storing imported articles: deduplicated by content and URL, split into scored statements, set-based."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q

from factcheck.core.links import http_url

from ..importing import ParsedArticle, content_hash
from ..models import Article, Statement
from ..splitting import split_statements
from .claim_memory import statements_match_soon
from .scoring import apply_scores, initial_checkability


@dataclass(frozen=True)
class StoreOutcome:
    article_id: int
    created: bool


def store_articles(articles: Sequence[ParsedArticle], *, imported_by=None) -> list[StoreOutcome]:
    """Insert new articles with their scored statements; same content hash or URL → the existing article.

    Runs in the caller's transaction. Set-based: one lookup, one insert of articles, one of statements.
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
        new_articles.append((i, _article_row(parsed, h, imported_by)))

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
                fresh.append(article)
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


def _article_row(parsed: ParsedArticle, digest: str, imported_by) -> Article:
    return Article(
        title=(parsed.title or "Untitled")[:500],
        body=parsed.body,
        url=(parsed.url or "")[:2000],
        author=(parsed.author or "")[:300],
        published=parsed.published,
        site_name=(parsed.site_name or "")[:200],
        content_hash=digest,
        imported_by=imported_by,
    )


def _store_statements(articles: Iterable[Article]) -> None:
    """Split each new article into scored statements and keep its statement count: set-based per batch."""
    rows: list[Statement] = []
    counts: list[Article] = []
    for article in articles:
        spans = split_statements(article.body)
        rows.extend(
            Statement(article=article, position=i, start=span.start, end=span.end, text=span.text)
            for i, span in enumerate(spans)
        )
        article.statement_count = len(spans)
        counts.append(article)
    apply_scores(rows)
    for statement in rows:
        statement.checkability = initial_checkability(statement.score)
    Statement.objects.bulk_create(rows, batch_size=1000)
    Article.objects.bulk_update(counts, ["statement_count"], batch_size=1000)
    statements_match_soon(s.pk for s in rows)  # "already checked?", once this batch commits
