"""Reads about articles and statements as records: lookups for pages, and a statement's history."""

from django.db.models import QuerySet

from factcheck.audit.selectors import history_of_targets

from ..audit_actions import STATEMENT_MERGED
from ..models import Article, Statement

STATEMENT = "articles.statement"
# Merges of merges are followed this many levels deep: plenty for a person's edits, bounded for a page.
MAX_MERGE_DEPTH = 5


def articles() -> QuerySet[Article]:
    """Articles without their (long) body, for lookups by id."""
    return Article.objects.defer("body")


def statements() -> QuerySet[Statement]:
    """Statements with their article (body included: pages quote the sentence in context)."""
    return Statement.objects.select_related("article")


def statement_history(*, statement: Statement) -> list:
    """Everything that happened to the statement, oldest first, including the history of statements merged
    into it (their ids are in the merge events). One query for a statement nothing was merged into (most of
    them); otherwise one per level of merges, then one."""
    own = list(history_of_targets(target_type=STATEMENT, target_ids=[statement.pk]))
    ids, frontier = {statement.pk}, _merged_ids(own, known={statement.pk})
    if not frontier:
        return own
    for _ in range(MAX_MERGE_DEPTH):
        ids.update(frontier)
        merges = history_of_targets(target_type=STATEMENT, target_ids=frontier).filter(action=STATEMENT_MERGED)
        frontier = _merged_ids(merges, known=ids)
        if not frontier:
            break
    return list(history_of_targets(target_type=STATEMENT, target_ids=sorted(ids)))


def _merged_ids(events, *, known: set[int]) -> list[int]:
    """The ids of the statements the merge events among these folded in, leaving out those already known."""
    merged = (event.before.get("second", {}).get("id") for event in events if event.action == STATEMENT_MERGED)
    return sorted({pk for pk in merged if pk and pk not in known})
