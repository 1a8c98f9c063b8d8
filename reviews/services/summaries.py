"""Verdict summaries, derived from the ratings: per statement (count, consensus, settled), per article
(distribution and counts), and each statement's review status. Recomputing gives the same result however
often it runs, so a task may run twice and a full recompute may run any time."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta
from itertools import islice

from django.db import transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from articles.models import Article, Statement
from articles.services.claim_memory import claim_memory_sync
from factcheck.core import events
from factcheck.core.enqueue import enqueue_on_commit

from .. import verdicts
from ..models import ArticleSummary, Assignment, Rating, Report, ReviewerLoad, StaleSummary, StatementSummary
from ..team_figures import Outcome, bucket, difference, shares_of_snapshot, snapshot
from . import summaries_sql
from .team_summaries import lock_team, team_summaries_apply, team_summaries_recompute

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
    clear the statement's stale mark unless it was marked again while this ran. One transaction, a dozen queries
    or so (pinned by a test): a rating's summaries, team figures included, take milliseconds at any size."""
    stale_version = StaleSummary.objects.filter(pk=statement_id).values("version")
    assigned = Assignment.objects.filter(statement_id=statement_id)
    with transaction.atomic():
        # Locks in one order everywhere: the team row, then the statement, then its summary. A full recompute
        # holds the team lock while it updates summaries and statements, and an editor's settlement locks the
        # statement before its summary; taken the other way round, either could deadlock with this.
        built = lock_team()
        # The mark's version is read before the ratings: a rating that lands later bumps it, so the mark stays.
        row = (
            Statement.objects.filter(pk=statement_id)
            .select_for_update(of=("self",))
            .order_by()
            .annotate(seen=Subquery(stale_version[:1]), assigned=Exists(assigned))
            .values_list("article_id", "seen", "assigned")
            .first()
        )
        if row is None:
            return None
        article_id, seen, is_assigned = row
        summary = _statement_summary_write(statement_id, assigned=is_assigned, team_built=built)
        article_summary_recompute(article_id=article_id)
        if seen is not None:
            StaleSummary.objects.filter(pk=statement_id, version=seen).delete()
    return summary


def stale_summaries_drain(*, older_than: timedelta = DRAIN_GRACE, limit: int = DRAIN_BATCH) -> int:
    """Recompute statements still marked stale a while after the mark (their message was lost), oldest
    first (the team figures follow each one). Returns how many statements it recomputed."""
    cutoff = timezone.now() - older_than
    ids = list(
        StaleSummary.objects.filter(marked_at__lt=cutoff).order_by("marked_at").values_list("pk", flat=True)[:limit]
    )
    for statement_id in ids:
        statement_summary_recompute(statement_id=statement_id)
    if ids:
        logger.warning("recomputed %s statement summaries whose task had not run", len(ids))
    return len(ids)


def _outcome(summary: StatementSummary) -> Outcome:
    settled = summary.settled
    return Outcome(settled, not settled and summary.consensus == verdicts.DISPUTED, summary.final_verdict)


def _rating_shares(statement_id: int) -> list[tuple[int, str, str, int | None]]:
    """(reviewer, current verdict, blind verdict, minutes from assignment to rating, bucketed) for each rating
    of the statement."""
    assigned_at = Assignment.objects.filter(statement_id=statement_id, reviewer_id=OuterRef("reviewer_id"))
    rows = (
        Rating.objects.filter(statement_id=statement_id)
        .annotate(assigned_at=Subquery(assigned_at.values("created_at")[:1]))
        .values_list("reviewer_id", "verdict", "blind_verdict", "created_at", "assigned_at")
    )
    return [
        (
            reviewer,
            verdict,
            blind or verdict,
            None if assigned is None else bucket((rated - assigned).total_seconds() / 60),
        )
        for reviewer, verdict, blind, rated, assigned in rows
    ]


def _statement_summary_write(statement_id: int, *, assigned: bool, team_built: bool) -> StatementSummary:
    """Runs in statement_summary_recompute's transaction, under the team lock (team_built: what it said)."""
    ratings = _rating_shares(statement_id)
    summary, _ = StatementSummary.objects.select_for_update().get_or_create(statement_id=statement_id)
    was_settled = summary.settled
    was_disputed = summary.consensus == verdicts.DISPUTED and not summary.settled
    old_snapshot = summary.team_snapshot
    summary.rating_count = len(ratings)
    # Consensus from the current verdicts; the team's agreement figures from the blind ones.
    summary.consensus = verdicts.consensus([verdict for _, verdict, _, _ in ratings])
    summary.settled = bool(summary.editor_verdict) or verdicts.is_settled(summary.consensus)
    blind = [(reviewer, blind_verdict, minutes) for reviewer, _, blind_verdict, minutes in ratings]
    summary.team_snapshot = snapshot(blind, _outcome(summary))
    summary.save(update_fields=["rating_count", "consensus", "settled", "team_snapshot", "updated_at"])
    # The team figures change by this statement's new share minus its old one.
    team_summaries_apply(
        difference(shares_of_snapshot(summary.team_snapshot), shares_of_snapshot(old_snapshot)), built=team_built
    )
    status = verdicts.review_status(
        assigned=assigned,
        rating_count=summary.rating_count,
        consensus=summary.consensus,
        editor_verdict=summary.editor_verdict,
    )
    Statement.objects.filter(pk=statement_id).exclude(review_status=status).update(review_status=status)
    if summary.settled and not was_settled:  # the reviewers agreed: settled by consensus
        events.announce(events.STATEMENT_SETTLED, statement_id=statement_id)
    elif summary.consensus == verdicts.DISPUTED and not summary.settled and not was_disputed:
        events.announce(events.STATEMENT_DISPUTED, statement_id=statement_id)  # waits for an editor now
    return summary


def article_summary_recompute(*, article_id: int) -> ArticleSummary:
    """Verdict distribution, counts and review state of an article, from its statements' summaries (set-based;
    the article's statement count and whether its report is public come along in the same query)."""
    published = Report.objects.filter(article_id=article_id, status=Report.Status.PUBLISHED)
    rows = (
        StatementSummary.objects.filter(statement__article_id=article_id)
        .annotate(report_public=Exists(published))
        .values(
            "consensus",
            "editor_verdict",
            "settled",
            "rating_count",
            "statement__article__statement_count",
            "report_public",
        )  # fmt: skip
    )
    distribution: Counter[str] = Counter()
    settled = rated = disputed = 0
    statement_count, is_published = 0, False
    for row in rows:
        statement_count, is_published = row["statement__article__statement_count"], row["report_public"]
        if row["rating_count"]:
            rated += 1
        final = row["editor_verdict"] or row["consensus"]
        if row["settled"]:
            settled += 1
            distribution[final] += 1
        elif row["consensus"] == verdicts.DISPUTED:
            disputed += 1
    if not statement_count:  # no statement has a summary yet: only the report can say more than "new"
        is_published = published.exists()
    state = verdicts.article_state(
        statement_count=statement_count, rated=rated, settled=settled, disputed=disputed, published=is_published
    )
    # One upsert (the unique article is the conflict): no read first, no savepoint.
    (summary,) = ArticleSummary.objects.bulk_create(
        [
            ArticleSummary(
                article_id=article_id,
                rated_count=rated,
                settled_count=settled,
                disputed_count=disputed,
                distribution=dict(sorted(distribution.items())),
                state=state,
            )
        ],
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["rated_count", "settled_count", "disputed_count", "distribution", "state", "updated_at"],
    )
    return summary


def review_statuses_recompute() -> None:
    """Every statement's review status from its summary and assignments (set-based)."""
    summaries_sql.review_statuses_recompute()


@transaction.atomic
def summaries_recompute_all() -> int:
    """Recompute every summary from the ratings, set-based: statement summaries and their team snapshots in a
    few SQL statements, then review statuses, article summaries and the team sums. Returns the number of
    statement summaries with ratings or a settlement. Holds the team lock throughout, so a summary task that
    runs meanwhile waits and then applies its change on top."""
    lock_team()
    summaries_sql.roomy_sorts()
    counted = summaries_sql.statement_summaries_recompute(now=timezone.now())
    review_statuses_recompute()
    article_summaries_recompute_all()
    reviewer_loads_recompute()
    team_summaries_recompute()
    claim_memory_sync()  # the memory holds the settled statements the recompute just decided
    return counted


def reviewer_loads_recompute() -> None:
    """Every reviewer's open and done counts from the assignments (one grouped query), and each open
    assignment's copy of its statement's score (one UPDATE of the rows that differ)."""
    loads = (
        Assignment.objects.order_by()
        .values("reviewer_id")
        .annotate(
            open_count=Count("pk", filter=Q(status=Assignment.Status.ASSIGNED)),
            done_count=Count("pk", filter=Q(status=Assignment.Status.DONE)),
        )
    )
    ReviewerLoad.objects.all().delete()
    ReviewerLoad.objects.bulk_create([ReviewerLoad(**row) for row in loads])
    assignment_scores_refresh()


def assignment_scores_refresh() -> int:
    """Copy each open assignment's statement score onto it where they differ (after re-scoring)."""
    return summaries_sql.assignment_scores_refresh()


def article_summaries_recompute_all(*, batch_size: int = 2000) -> int:
    """Every article's summary from its statements' summaries: one grouped query, then batched upserts of the
    summaries that differ from what is stored (a recompute on current summaries writes nothing). Returns how many
    it wrote."""
    # One grouped pass: per article and final verdict ("" for the unsettled), how many summaries, rated, disputed.
    final = Case(
        When(settled=False, then=Value("")), When(editor_verdict="", then=F("consensus")), default=F("editor_verdict")
    )
    grouped = (
        StatementSummary.objects.annotate(final_verdict=final)
        .order_by()
        .values("statement__article_id", "final_verdict")
        .annotate(
            n=Count("pk"),
            rated=Count("pk", filter=Q(rating_count__gt=0)),
            disputed=Count("pk", filter=Q(settled=False, consensus=verdicts.DISPUTED)),
        )
        .values_list("statement__article_id", "final_verdict", "n", "rated", "disputed")
    )
    counts: dict[int, dict[str, int]] = {}
    distributions: dict[int, dict[str, int]] = {}
    for article_id, verdict, n, rated, disputed in grouped:
        row = counts.setdefault(article_id, {"rated": 0, "settled_n": 0, "disputed": 0})
        row["rated"] += rated
        row["disputed"] += disputed
        if verdict:
            row["settled_n"] += n
            distributions.setdefault(article_id, {})[verdict] = n
    published = Report.objects.filter(status=Report.Status.PUBLISHED, article_id=OuterRef("pk"))
    stored = ("rated_count", "settled_count", "disputed_count", "distribution", "state")
    written = 0
    articles = (
        Article.objects.order_by("pk")
        .annotate(report_public=Exists(published))
        .values_list("pk", "statement_count", "report_public", *(f"summary__{name}" for name in stored))
        .iterator(chunk_size=batch_size)
    )
    while batch := list(islice(articles, batch_size)):
        rows = []
        for article_id, statement_count, is_published, *was in batch:
            row = counts.get(article_id, {})
            summary = ArticleSummary(
                article_id=article_id,
                rated_count=row.get("rated", 0),
                settled_count=row.get("settled_n", 0),
                disputed_count=row.get("disputed", 0),
                distribution=dict(sorted(distributions.get(article_id, {}).items())),
                state=verdicts.article_state(
                    statement_count=statement_count,
                    rated=row.get("rated", 0),
                    settled=row.get("settled_n", 0),
                    disputed=row.get("disputed", 0),
                    published=is_published,
                ),
            )
            if [getattr(summary, name) for name in stored] != was:
                rows.append(summary)
        ArticleSummary.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["rated_count", "settled_count", "disputed_count", "distribution", "state", "updated_at"],
        )
        written += len(rows)
    return written
