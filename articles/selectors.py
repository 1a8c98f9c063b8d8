"""Reads for articles and imports, scoped to who may see them, with their query cost fixed."""

from django.db.models import Count, Prefetch, Q, QuerySet

from factcheck.audit.selectors import history_of_targets

from .audit_actions import STATEMENT_MERGED
from .models import Article, Feed, FeedEntry, ImportItem, ImportJob, Statement

STATEMENT = "articles.statement"
# Merges of merges are followed this many levels deep: plenty for a person's edits, bounded for a page.
MAX_MERGE_DEPTH = 5


def import_jobs_for(*, user) -> QuerySet[ImportJob]:
    """Jobs an importer may see: all of them (imports are a desk-wide concern)."""
    return ImportJob.objects.select_related("created_by")


def import_items_for(*, job: ImportJob, status: str | None = None) -> QuerySet[ImportItem]:
    items = job.items.select_related("article").defer("raw").order_by("source__position", "position")
    if status:
        items = items.filter(status=status)
    return items


def articles_for_editor(*, search: str = "") -> QuerySet[Article]:
    articles = (
        Article.objects.select_related("summary")
        .defer("body")
        .annotate(
            statements_total=Count("statements", distinct=True),
        )
    )
    if search:
        articles = articles.filter(Q(title__icontains=search) | Q(site_name__icontains=search))
    return articles.order_by("-created_at", "-pk")


def article_with_statements(*, pk: int):
    """The article with its statements in order, each with its summary and assignments' reviewers."""
    from reviews.models import Assignment

    statements = Statement.objects.select_related("summary").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("reviewer").order_by("pk"))
    )
    return (
        Article.objects.select_related("summary", "report")
        .prefetch_related(Prefetch("statements", queryset=statements.order_by("position")))
        .get(pk=pk)
    )


def feeds_with_counts() -> QuerySet[Feed]:
    return Feed.objects.annotate(entries_total=Count("entries")).order_by("-active", "title", "url")


def feed_entries(*, feed: Feed) -> QuerySet[FeedEntry]:
    return feed.entries.select_related("job").order_by("-seen_at", "-pk")


def statement_history(*, statement: Statement) -> list:
    """Everything that happened to the statement, oldest first, including the history of statements merged
    into it (their ids are in the merge events). A few queries: one per level of merges, then one."""
    ids, frontier = {statement.pk}, [statement.pk]
    for _ in range(MAX_MERGE_DEPTH):
        merged = [
            event.before.get("second", {}).get("id")
            for event in history_of_targets(target_type=STATEMENT, target_ids=frontier).filter(action=STATEMENT_MERGED)
        ]
        frontier = [pk for pk in merged if pk and pk not in ids]
        if not frontier:
            break
        ids.update(frontier)
    return list(history_of_targets(target_type=STATEMENT, target_ids=sorted(ids)))
