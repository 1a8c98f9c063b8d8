"""Verdict summaries, derived from the ratings: per statement (count, consensus, settled), per article
(distribution and counts), and each statement's review status. Recomputing gives the same result however
often it runs, so a task may run twice and a full recompute may run any time."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from articles.models import Article, Statement
from factcheck.core import events
from factcheck.core.enqueue import enqueue_on_commit

from .. import verdicts
from ..models import ArticleSummary, Assignment, Rating, StaleSummary, StatementSummary
from .team_summaries import team_summaries_enqueue, team_summaries_overdue, team_summaries_recompute

logger = logging.getLogger(__name__)

SUMMARY_TASK = "reviews.tasks.statement_summary_task"
# A mark younger than this is left to the task its change sent; older ones lost their message.
DRAIN_GRACE = timedelta(seconds=30)
DRAIN_BATCH = 2000


def summaries_mark_stale(statement_ids) -> None:
    """Mark the statements' summaries stale in the caller's transaction, and ask a worker to recompute them
    once it commits. If that message is lost (broker down, worker gone), the drain finds the mark."""
    ids = sorted(set(statement_ids))
    now = timezone.now()
    StaleSummary.objects.bulk_create(
        [StaleSummary(statement_id=pk, marked_at=now) for pk in ids], ignore_conflicts=True
    )
    StaleSummary.objects.filter(statement_id__in=ids).update(version=F("version") + 1, marked_at=now)
    for pk in ids:
        enqueue_on_commit(SUMMARY_TASK, pk)


def statement_summary_recompute(*, statement_id: int) -> StatementSummary | None:
    """Recompute one statement's summary and review status from its ratings, then its article's summary, and
    clear the statement's stale mark unless it was marked again while this ran."""
    seen = StaleSummary.objects.filter(pk=statement_id).values_list("version", flat=True).first()
    statement = Statement.objects.filter(pk=statement_id).only("pk", "article_id").first()
    if statement is None:
        return None
    summary = _statement_summary_write(statement_id)
    article_summary_recompute(article_id=statement.article_id)
    if seen is not None:
        StaleSummary.objects.filter(pk=statement_id, version=seen).delete()
    # Desk-wide figures change too; the enqueue is debounced so a burst of ratings queues one recompute.
    transaction.on_commit(team_summaries_enqueue)
    return summary


def stale_summaries_drain(*, older_than: timedelta = DRAIN_GRACE, limit: int = DRAIN_BATCH) -> int:
    """Recompute statements still marked stale a while after the mark (their message was lost), oldest
    first; then the team figures, in this process, since their own message may be lost too. Returns how
    many statements it recomputed."""
    cutoff = timezone.now() - older_than
    ids = list(
        StaleSummary.objects.filter(marked_at__lt=cutoff).order_by("marked_at").values_list("pk", flat=True)[:limit]
    )
    for statement_id in ids:
        statement_summary_recompute(statement_id=statement_id)
    if ids or team_summaries_overdue():
        team_summaries_recompute()
    if ids:
        logger.warning("recomputed %s statement summaries whose task had not run", len(ids))
    return len(ids)


@transaction.atomic
def _statement_summary_write(statement_id: int) -> StatementSummary:
    values = list(Rating.objects.filter(statement_id=statement_id).values_list("verdict", flat=True))
    summary, _ = StatementSummary.objects.select_for_update().get_or_create(statement_id=statement_id)
    was_settled = summary.settled
    summary.rating_count = len(values)
    summary.consensus = verdicts.consensus(values)
    summary.settled = bool(summary.editor_verdict) or verdicts.is_settled(summary.consensus)
    summary.save(update_fields=["rating_count", "consensus", "settled", "updated_at"])
    status = verdicts.review_status(
        assigned=Assignment.objects.filter(statement_id=statement_id).exists(),
        rating_count=summary.rating_count,
        consensus=summary.consensus,
        editor_verdict=summary.editor_verdict,
    )
    Statement.objects.filter(pk=statement_id).exclude(review_status=status).update(review_status=status)
    if summary.settled and not was_settled:  # the reviewers agreed: settled by consensus
        events.announce(events.STATEMENT_SETTLED, statement_id=statement_id)
    return summary


def article_summary_recompute(*, article_id: int) -> ArticleSummary:
    """Verdict distribution and counts of an article, from its statements' summaries (set-based)."""
    rows = StatementSummary.objects.filter(statement__article_id=article_id).values(
        "consensus", "editor_verdict", "settled", "rating_count"
    )
    distribution: Counter[str] = Counter()
    settled = rated = disputed = 0
    for row in rows:
        if row["rating_count"]:
            rated += 1
        final = row["editor_verdict"] or row["consensus"]
        if row["settled"]:
            settled += 1
            distribution[final] += 1
        elif row["consensus"] == verdicts.DISPUTED:
            disputed += 1
    summary, _ = ArticleSummary.objects.update_or_create(
        article_id=article_id,
        defaults={
            "rated_count": rated,
            "settled_count": settled,
            "disputed_count": disputed,
            "distribution": dict(sorted(distribution.items())),
        },
    )
    return summary


def review_statuses_recompute() -> None:
    """Statements without ratings or a verdict: "assigned" when someone has them, else "new" (set-based; the
    others get theirs from their summary)."""
    summarised = StatementSummary.objects.filter(statement=OuterRef("pk")).filter(
        ~Q(editor_verdict="") | Q(rating_count__gt=0)
    )
    assigned = Assignment.objects.filter(statement=OuterRef("pk"))
    unrated = Statement.objects.filter(~Exists(summarised))
    unrated.filter(Exists(assigned)).exclude(review_status=Statement.ReviewStatus.ASSIGNED).update(
        review_status=Statement.ReviewStatus.ASSIGNED
    )
    unrated.filter(~Exists(assigned)).exclude(review_status=Statement.ReviewStatus.NEW).update(
        review_status=Statement.ReviewStatus.NEW
    )


def summaries_recompute_all() -> int:
    """Recompute every statement summary that has ratings or a settlement, every review status, every article
    summary and the team summaries."""
    statement_ids = set(Rating.objects.values_list("statement_id", flat=True).distinct())
    statement_ids |= set(
        StatementSummary.objects.filter(~Q(editor_verdict="") | Q(rating_count__gt=0)).values_list(
            "statement_id", flat=True
        )
    )
    for statement_id in sorted(statement_ids):
        _statement_summary_write(statement_id)
    review_statuses_recompute()
    for article_id in Article.objects.values_list("pk", flat=True).iterator():
        article_summary_recompute(article_id=article_id)
    team_summaries_recompute()
    return len(statement_ids)
