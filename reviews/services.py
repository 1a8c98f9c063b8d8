"""Writes for reviews: assigning, rating, settling, and recomputing verdict summaries."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q

from articles.models import Article, Statement
from factcheck.accounts import policy
from factcheck.accounts.roles import Role
from factcheck.accounts.selectors import members_with_role
from factcheck.audit.services import Ref, event, record, record_many
from factcheck.core.enqueue import enqueue_on_commit

from . import verdicts
from .assignment import least_loaded
from .audit_actions import (
    STATEMENT_ASSIGNED,
    STATEMENT_RATED,
    STATEMENT_RATING_EDITED,
    STATEMENT_SETTLED,
    STATEMENT_UNASSIGNED,
)
from .models import ArticleSummary, Assignment, EvidenceLink, Rating, StatementSummary
from .team import team_summaries_enqueue, team_summaries_recompute
from .verdicts import Verdict

logger = logging.getLogger(__name__)
User = get_user_model()


def reviewers_qs():
    return members_with_role(Role.REVIEWER)


@transaction.atomic
def assignments_create(*, statements: Sequence[Statement], reviewers: Sequence, assigned_by) -> int:
    """Assign every given statement to every given reviewer; existing pairs are left alone. Returns new count."""
    policy.require(policy.can_assign, assigned_by)
    if not statements:
        raise ValidationError("Select at least one statement to assign.")
    if not reviewers:
        raise ValidationError("Select at least one reviewer.")
    reviewer_ids = {r.pk for r in reviewers}
    valid = set(reviewers_qs().filter(pk__in=reviewer_ids).values_list("pk", flat=True))
    if valid != reviewer_ids:
        raise ValidationError("Statements can only be assigned to active reviewers.")
    pairs = [(s.pk, r) for s in statements for r in sorted(reviewer_ids)]
    return _create_pairs(pairs, assigned_by=assigned_by)


@transaction.atomic
def assignments_auto_create(*, statements: Sequence[Statement], assigned_by, per_statement: int = 2) -> int:
    """Give each statement `per_statement` reviewers, least-loaded first, never one reviewer twice."""
    policy.require(policy.can_assign, assigned_by)
    if per_statement < 1:
        raise ValidationError("Each statement needs at least one reviewer.")
    reviewer_ids = list(reviewers_qs().values_list("pk", flat=True))
    if len(reviewer_ids) < per_statement:
        raise ValidationError(
            f"Auto-assign needs {per_statement} reviewers per statement but the desk has "
            f"{len(reviewer_ids)}. Add reviewers or lower the number."
        )
    statement_ids = [s.pk for s in statements]
    load = dict(
        Assignment.objects.filter(reviewer_id__in=reviewer_ids, status=Assignment.Status.ASSIGNED)
        .values_list("reviewer_id")
        .annotate(n=Count("pk"))
        .values_list("reviewer_id", "n")
    )
    already: dict[int, set[int]] = {}
    for statement_id, reviewer_id in Assignment.objects.filter(statement_id__in=statement_ids).values_list(
        "statement_id", "reviewer_id"
    ):
        already.setdefault(statement_id, set()).add(reviewer_id)
    pairs = least_loaded(
        statement_ids=statement_ids,
        reviewer_ids=reviewer_ids,
        per_statement=per_statement,
        load=load,
        already=already,
    )
    return _create_pairs(pairs, assigned_by=assigned_by)


def _create_pairs(pairs: list[tuple[int, int]], *, assigned_by) -> int:
    existing = set(
        Assignment.objects.filter(statement_id__in={s for s, _ in pairs}).values_list("statement_id", "reviewer_id")
    )
    new = [(s, r) for s, r in pairs if (s, r) not in existing]
    Assignment.objects.bulk_create(
        [Assignment(statement_id=s, reviewer_id=r, assigned_by=assigned_by) for s, r in new],
        ignore_conflicts=True,  # a concurrent assign of the same pair is fine: the constraint keeps one
    )
    names = dict(User.objects.filter(pk__in={r for _, r in new}).values_list("pk", "username"))
    articles = dict(Statement.objects.filter(pk__in={s for s, _ in new}).values_list("pk", "article_id"))
    record_many(
        [
            event(
                STATEMENT_ASSIGNED,
                Ref("articles.statement", s),
                actor=assigned_by,
                parent=Ref("articles.article", articles[s]),
                after={"reviewer": names.get(r, "")},
            )
            for s, r in new
        ]
    )
    return len(new)


@transaction.atomic
def assignment_remove(*, assignment: Assignment, removed_by) -> None:
    """Take a statement back from a reviewer who has not rated it yet (e.g. before curating it)."""
    policy.require(policy.can_assign, removed_by)
    assignment = Assignment.objects.select_for_update().select_related("reviewer", "statement").get(pk=assignment.pk)
    if Rating.objects.filter(statement_id=assignment.statement_id, reviewer_id=assignment.reviewer_id).exists():
        raise ValidationError(
            f"{assignment.reviewer.username} has already rated this statement; a rating is never thrown away."
        )
    record(
        STATEMENT_UNASSIGNED,
        assignment.statement,
        actor=removed_by,
        parent=Ref("articles.article", assignment.statement.article_id),
        before={"reviewer": assignment.reviewer.username},
    )
    assignment.delete()


@dataclass(frozen=True)
class Evidence:
    url: str
    note: str = ""


@transaction.atomic
def rating_submit(
    *,
    assignment: Assignment,
    reviewer,
    verdict: str,
    confidence: int,
    rationale: str,
    evidence: Sequence[Evidence] = (),
) -> Rating:
    """Create or update the reviewer's rating of their assigned statement, then recompute its summary."""
    policy.require(policy.can_rate, reviewer)
    if assignment.reviewer_id != reviewer.pk:
        raise PermissionDenied("This statement is not assigned to you.")
    try:
        verdict = Verdict(verdict).value
    except ValueError as exc:
        raise ValidationError("Choose a verdict from the scale.") from exc
    if not 1 <= int(confidence) <= 5:
        raise ValidationError("Confidence must be between 1 and 5.")
    rationale = (rationale or "").strip()
    if not rationale and verdict != Verdict.NOT_CHECKABLE:
        raise ValidationError("Explain your verdict in the rationale (only 'Not checkable' may leave it empty).")
    summary = StatementSummary.objects.select_for_update().filter(statement_id=assignment.statement_id).first()
    if summary and summary.settled:
        raise ValidationError("This statement is settled; its ratings can no longer change.")

    rating = Rating.objects.filter(statement_id=assignment.statement_id, reviewer=reviewer).first()
    before = rating.verdict if rating else ""
    if rating is None:
        rating = Rating.objects.create(
            statement_id=assignment.statement_id,
            reviewer=reviewer,
            verdict=verdict,
            confidence=confidence,
            rationale=rationale,
        )
        action = STATEMENT_RATED
    else:
        rating.verdict, rating.confidence, rating.rationale = verdict, confidence, rationale
        rating.save(update_fields=["verdict", "confidence", "rationale", "updated_at"])
        rating.evidence.all().delete()
        action = STATEMENT_RATING_EDITED
    EvidenceLink.objects.bulk_create(
        [EvidenceLink(rating=rating, url=e.url, note=e.note[:500], position=i) for i, e in enumerate(evidence) if e.url]
    )
    if assignment.status != Assignment.Status.DONE:
        Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.DONE)
        assignment.status = Assignment.Status.DONE
    record(
        action,
        assignment.statement,
        actor=reviewer,
        parent=Ref("articles.article", assignment.statement.article_id),
        before={"verdict": before} if before else {},
        after={"verdict": verdict},
    )
    _enqueue_summary(assignment.statement_id)
    return rating


def _enqueue_summary(statement_id: int) -> None:
    enqueue_on_commit("reviews.tasks.statement_summary_task", statement_id)


@transaction.atomic
def statement_settle(*, statement: Statement, editor, verdict: str, note: str = "") -> StatementSummary:
    """An editor decides a statement's final verdict (typically a disputed one)."""
    policy.require(policy.can_settle, editor)
    try:
        verdict = Verdict(verdict).value
    except ValueError as exc:
        raise ValidationError("Choose a verdict from the scale.") from exc
    summary, _ = StatementSummary.objects.select_for_update().get_or_create(statement=statement)
    before = summary.final_verdict
    summary.editor_verdict, summary.settled_by, summary.settle_note = verdict, editor, note.strip()
    summary.settled = True
    summary.save()
    record(
        STATEMENT_SETTLED,
        statement,
        actor=editor,
        parent=Ref("articles.article", statement.article_id),
        before={"verdict": before},
        after={"verdict": verdict},
        note=note,
    )
    _enqueue_summary(statement.pk)
    return summary


def statement_summary_recompute(*, statement_id: int) -> StatementSummary | None:
    """Recompute one statement's summary from its ratings, then its article's summary."""
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
    return summary


def article_summary_recompute(*, article_id: int) -> ArticleSummary:
    """Verdict distribution and settled share of an article, from its statements' summaries (set-based)."""
    statements = Statement.objects.filter(article_id=article_id)
    total = statements.count()
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
            "statement_count": total,
            "rated_count": rated,
            "settled_count": settled,
            "disputed_count": disputed,
            "distribution": dict(sorted(distribution.items())),
        },
    )
    return summary


def summaries_recompute_all() -> int:
    """Recompute every statement summary that has ratings or a settlement, then every article summary and the
    team summaries."""
    statement_ids = set(Rating.objects.values_list("statement_id", flat=True).distinct())
    statement_ids |= set(
        StatementSummary.objects.filter(~Q(editor_verdict="") | Q(rating_count__gt=0)).values_list(
            "statement_id", flat=True
        )
    )
    for statement_id in sorted(statement_ids):
        _statement_summary_write(statement_id)
    for article_id in Article.objects.values_list("pk", flat=True).iterator():
        article_summary_recompute(article_id=article_id)
    team_summaries_recompute()
    return len(statement_ids)
