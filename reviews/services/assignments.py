"""Assigning statements to reviewers (by hand or least-loaded first) and taking them back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Statement
from factcheck.accounts import policy
from factcheck.audit.services import Ref, event, record, record_many
from factcheck.core import events
from factcheck.core.counters import add_to_counters

from ..assignment import least_loaded
from ..audit_actions import STATEMENT_ASSIGNED, STATEMENT_UNASSIGNED
from ..models import Assignment, AssignmentBatch, Rating, ReviewerLoad, default_due_at
from ..selectors.assignments import desk_reviewers, open_assignment_counts
from ..selectors.deadlines import lock_capacities

User = get_user_model()
SETTLED = Statement.ReviewStatus.SETTLED


def _locked_statements(statement_ids) -> dict[int, tuple[int, str, float]]:
    """Lock the statements (in id order, so concurrent assigners take turns without deadlocking) and return
    each one's article, review status and score. Under the lock, "which pairs are new" is decided once."""
    rows = (
        Statement.objects.select_for_update()
        .filter(pk__in=set(statement_ids))
        .order_by("pk")
        .values_list("pk", "article_id", "review_status", "score")
    )
    return {pk: (article_id, status, score) for pk, article_id, status, score in rows}


@transaction.atomic
def assignments_create(
    *, statements: Sequence[Statement], reviewers: Sequence, assigned_by, due_at: datetime | None = None
) -> int:
    """Assign every given statement to every given reviewer, due at `due_at` (else the desk default); existing
    pairs are left alone. An editor's explicit choice, so capacity does not stop it. Returns new count."""
    policy.require(policy.can_assign, assigned_by)
    if not statements:
        raise ValidationError("Select at least one statement to assign.")
    if not reviewers:
        raise ValidationError("Select at least one reviewer.")
    reviewer_ids = {r.pk for r in reviewers}
    valid = set(desk_reviewers().filter(pk__in=reviewer_ids).values_list("pk", flat=True))
    if valid != reviewer_ids:
        raise ValidationError("Statements can only be assigned to active reviewers.")
    locked = _locked_statements(s.pk for s in statements)
    settled = sorted(pk for pk, (_, status, _) in locked.items() if status == SETTLED)
    if settled:
        raise ValidationError(
            f"{len(settled)} of the selected statements are settled already; more reviewers would not change "
            "their verdict. Leave them out."
        )
    _refuse_past(due_at)
    pairs = [(s.pk, r) for s in statements for r in sorted(reviewer_ids)]
    return _create_pairs(pairs, locked, assigned_by=assigned_by, due_at=due_at)


def _refuse_past(due_at: datetime | None) -> None:
    if due_at is not None and due_at <= timezone.now():
        raise ValidationError("The due date has passed already; choose one in the future.")


@transaction.atomic
def assignments_auto_create(*, statements: Sequence[Statement], assigned_by, per_statement: int = 2) -> int:
    """Give each statement `per_statement` reviewers, least-loaded first, never one reviewer twice and never one
    beyond their capacity (statements then get fewer). Settled statements need no reviewers and are skipped."""
    pairs, locked = _auto_pairs(statements=statements, user=assigned_by, per_statement=per_statement, lock=True)
    return _create_pairs(pairs, locked, assigned_by=assigned_by)


@transaction.atomic
def assignments_auto_preview(
    *, statements: Sequence[Statement], previewed_by, per_statement: int = 2
) -> list[tuple[int, int]]:
    """The (statement id, reviewer id) pairs assignments_auto_create would make now, without making them."""
    pairs, _ = _auto_pairs(statements=statements, user=previewed_by, per_statement=per_statement)
    return pairs


def _auto_pairs(*, statements, user, per_statement: int, lock: bool = False) -> tuple[list[tuple[int, int]], dict]:
    """The new pairs of an auto-assign, least-loaded first within capacity, with the locked statements' articles
    and statuses. With `lock`, the reviewers' capacity rows are locked first, so concurrent auto-assigns read
    each other's loads and never overfill anyone."""
    policy.require(policy.can_assign, user)
    if per_statement < 1:
        raise ValidationError("Each statement needs at least one reviewer.")
    reviewer_ids = list(desk_reviewers().values_list("pk", flat=True))
    if len(reviewer_ids) < per_statement:
        raise ValidationError(
            f"Auto-assign needs {per_statement} reviewers per statement but the desk has "
            f"{len(reviewer_ids)}. Add reviewers or lower the number."
        )
    capacity = lock_capacities(reviewer_ids=reviewer_ids, lock=lock)
    locked = _locked_statements(s.pk for s in statements)
    statement_ids = [s.pk for s in statements if s.pk in locked and locked[s.pk][1] != SETTLED]
    pairs = least_loaded(
        statement_ids=statement_ids,
        reviewer_ids=reviewer_ids,
        per_statement=per_statement,
        load=open_assignment_counts(user_ids=reviewer_ids),
        already=reviewers_of(statement_ids),
        capacity=capacity,
    )
    return pairs, locked


def reviewers_of(statement_ids) -> dict[int, set[int]]:
    """statement id -> the reviewers it has (open or rated; a reassigned one no longer counts)."""
    already: dict[int, set[int]] = {}
    rows = (
        Assignment.objects.filter(statement_id__in=statement_ids)
        .exclude(status=Assignment.Status.CLOSED)
        .values_list("statement_id", "reviewer_id")
    )
    for statement_id, reviewer_id in rows:
        already.setdefault(statement_id, set()).add(reviewer_id)
    return already


def _create_pairs(
    pairs: list[tuple[int, int]],
    locked: dict[int, tuple[int, str, float]],
    *,
    assigned_by,
    due_at: datetime | None = None,
    batch: AssignmentBatch | None = None,
) -> int:
    """Create the pairs not there yet, due at `due_at` (else the desk default), one audit event each, and move
    new statements to "assigned"."""
    existing = reviewers_of({s for s, _ in pairs})
    new = [(s, r) for s, r in pairs if r not in existing.get(s, ()) and s in locked]
    if not new:
        return 0
    due = due_at or default_due_at()
    created = Assignment.objects.bulk_create(
        [
            Assignment(
                statement_id=s, reviewer_id=r, assigned_by=assigned_by, score=locked[s][2], due_at=due, batch=batch
            )
            for s, r in new
        ]
    )
    add_to_counters(ReviewerLoad, "reviewer", {r: {"open_count": n} for r, n in Counter(r for _, r in new).items()})
    names = dict(User.objects.filter(pk__in={r for _, r in new}).values_list("pk", "username"))
    record_many(
        [
            event(
                STATEMENT_ASSIGNED,
                Ref("articles.statement", s),
                actor=assigned_by,
                parent=Ref("articles.article", locked[s][0]),
                after={"reviewer": names.get(r, "")},
            )
            for s, r in new
        ]
    )
    Statement.objects.filter(pk__in={s for s, _ in new}, review_status=Statement.ReviewStatus.NEW).update(
        review_status=Statement.ReviewStatus.ASSIGNED
    )
    # One announcement per action (by hand or auto-assign), however many statements: one notice per reviewer.
    events.announce(
        events.STATEMENTS_ASSIGNED,
        assignment_ids=[a.pk for a in created],
        assigned_by_id=getattr(assigned_by, "pk", None),
    )
    return len(new)


@transaction.atomic
def assignment_remove(*, assignment: Assignment, removed_by) -> None:
    """Take a statement back from a reviewer who has not rated it yet (e.g. before curating it)."""
    policy.require(policy.can_assign, removed_by)
    _locked_statements([assignment.statement_id])
    assignment = Assignment.objects.select_for_update().select_related("reviewer", "statement").get(pk=assignment.pk)
    rated = Rating.objects.filter(statement_id=assignment.statement_id, reviewer_id=assignment.reviewer_id).exists()
    if rated or assignment.status != Assignment.Status.ASSIGNED:
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
    add_to_counters(ReviewerLoad, "reviewer", {assignment.reviewer_id: {"open_count": -1}})
    if not Assignment.objects.filter(statement_id=assignment.statement_id).exclude(status="closed").exists():
        Statement.objects.filter(pk=assignment.statement_id, review_status=Statement.ReviewStatus.ASSIGNED).update(
            review_status=Statement.ReviewStatus.NEW
        )
