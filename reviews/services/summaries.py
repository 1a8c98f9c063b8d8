"""Verdict summaries, derived from the ratings: per statement (count, consensus, settled), per article
(distribution and counts), and each statement's review status. Recomputing gives the same result however
often it runs, so a task may run twice and a full recompute may run any time."""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from articles.models import Article, Statement
from factcheck.core.enqueue import enqueue_on_commit

from .. import verdicts
from ..models import ArticleSummary, Assignment, Rating, StatementSummary
from .team_summaries import team_summaries_enqueue, team_summaries_recompute

SUMMARY_TASK = "reviews.tasks.statement_summary_task"


def enqueue_summary(statement_id: int) -> None:
    """Recompute the statement's summaries on a worker once the change that needs it has committed."""
    enqueue_on_commit(SUMMARY_TASK, statement_id)


def statement_summary_recompute(*, statement_id: int) -> StatementSummary | None:
    """Recompute one statement's summary and review status from its ratings, then its article's summary."""
    statement = Statement.objects.filter(pk=statement_id).only("pk", "article_id").first()
    if statement is None:
        return None
    summary = _statement_summary_write(statement_id)
    article_summary_recompute(article_id=statement.article_id)
    # Desk-wide figures change too; the enqueue is debounced so a burst of ratings queues one recompute.
    transaction.on_commit(team_summaries_enqueue)
    return summary


@transaction.atomic
def _statement_summary_write(statement_id: int) -> StatementSummary:
    values = list(Rating.objects.filter(statement_id=statement_id).values_list("verdict", flat=True))
    summary, _ = StatementSummary.objects.select_for_update().get_or_create(statement_id=statement_id)
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
