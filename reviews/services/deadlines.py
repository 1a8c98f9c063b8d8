"""Deadlines and capacity: moving due dates (one assignment, or every open one of a selection), reassigning
overdue work in one step (the old assignment closed and kept with its history), and setting a reviewer's
capacity."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Statement
from articles.services.curation import statements_mark
from factcheck.accounts import policy
from factcheck.audit.services import Ref, event, record, record_many
from factcheck.audit.transitions import transition
from factcheck.core import events
from factcheck.core.counters import add_to_counters

from ..audit_actions import CAPACITY_SET, STATEMENT_DUE_CHANGED, STATEMENT_REASSIGNED
from ..models import Assignment, Rating, ReviewerCapacity, ReviewerLoad, default_due_at
from ..selectors.assignments import desk_reviewers, open_assignment_counts
from ..selectors.deadlines import lock_capacities
from .assignments import _locked_statements, _refuse_past, reviewers_of

User = get_user_model()
MAX_CAPACITY = 1000


def _iso(value: datetime | None) -> str:
    return timezone.localtime(value).isoformat() if value else ""


@transaction.atomic
def assignments_set_due(*, assignment_ids: Iterable[int], due_at: datetime, changed_by) -> int:
    """Move the due date of these assignments that are still open (rated ones are done, whatever their date);
    one audit event each, on its statement. A moved date is announced again when it comes near."""
    policy.require(policy.can_assign, changed_by)
    if due_at is None:
        raise ValidationError("Choose a due date.")
    _refuse_past(due_at)
    rows = list(
        Assignment.objects.select_for_update()
        .filter(pk__in=list(assignment_ids), status=Assignment.Status.ASSIGNED)
        .exclude(due_at=due_at)
        .order_by("pk")
        .values_list("pk", "statement_id", "statement__article_id", "due_at", "reviewer__username")
    )
    if not rows:
        return 0
    Assignment.objects.filter(pk__in=[pk for pk, *_ in rows]).update(due_at=due_at)
    record_many(
        [
            event(
                STATEMENT_DUE_CHANGED,
                Ref("articles.statement", statement_id),
                actor=changed_by,
                parent=Ref("articles.article", article_id),
                before={"due": _iso(old), "reviewer": name},
                after={"due": _iso(due_at), "reviewer": name},
            )
            for _, statement_id, article_id, old, name in rows
        ]
    )
    return len(rows)


def statements_set_due(*, statement_ids: Iterable[int], due_at: datetime, changed_by) -> int:
    """Set the due date of every open assignment of these statements (a batch deadline)."""
    ids = Assignment.objects.filter(
        statement_id__in=list(statement_ids), status=Assignment.Status.ASSIGNED
    ).values_list("pk", flat=True)
    return assignments_set_due(assignment_ids=list(ids), due_at=due_at, changed_by=changed_by)


@transaction.atomic
def assignment_reassign(
    *, assignment: Assignment, to_reviewer, reassigned_by, due_at: datetime | None = None
) -> Assignment:
    """Give an open assignment to another reviewer in one step: the old one is closed (kept, with its history
    and an audit event), a new one is made for `to_reviewer`, due at `due_at` or the desk default from now.
    Refused if the statement was rated meanwhile, or the colleague has it already or is at capacity."""
    policy.require(policy.can_assign, reassigned_by)
    _refuse_past(due_at)
    if not desk_reviewers().filter(pk=to_reviewer.pk).exists():
        raise ValidationError("Statements can only be given to active reviewers.")
    # Capacity rows first, then the statement: the same order as auto-assign, so the two never deadlock.
    capacity = lock_capacities(reviewer_ids=[to_reviewer.pk], lock=True)[to_reviewer.pk]
    locked = _locked_statements([assignment.statement_id])
    old = Assignment.objects.select_for_update().select_related("reviewer").get(pk=assignment.pk)
    if old.reviewer_id == to_reviewer.pk:
        raise ValidationError(f"{to_reviewer.username} has this statement already; choose a colleague.")
    rated = Rating.objects.filter(statement_id=old.statement_id, reviewer_id=old.reviewer_id).exists()
    if old.status != Assignment.Status.ASSIGNED or rated:
        raise ValidationError(
            f"{old.reviewer.username} has rated this statement or it was reassigned already; nothing changed."
        )
    if to_reviewer.pk in reviewers_of([old.statement_id]).get(old.statement_id, set()):
        raise ValidationError(f"{to_reviewer.username} has this statement already; choose someone else.")
    open_now = open_assignment_counts(user_ids=[to_reviewer.pk]).get(to_reviewer.pk, 0)
    if open_now >= capacity:
        raise ValidationError(
            f"{to_reviewer.username} is at capacity ({open_now} open of {capacity}); choose someone else or "
            "raise their capacity on the Team page."
        )
    article = Ref("articles.article", locked[old.statement_id][0])
    transition(
        old,
        to=Assignment.Status.CLOSED,
        by=reassigned_by,
        action=STATEMENT_REASSIGNED,
        target=Ref("articles.statement", old.statement_id),
        parent=article,
        before={"reviewer": old.reviewer.username, "due": _iso(old.due_at)},
        after={"reviewer": to_reviewer.username},
    )
    new = Assignment.objects.create(
        statement_id=old.statement_id,
        reviewer=to_reviewer,
        assigned_by=reassigned_by,
        score=old.score,
        due_at=due_at or default_due_at(),
    )
    add_to_counters(ReviewerLoad, "reviewer", {old.reviewer_id: {"open_count": -1}, to_reviewer.pk: {"open_count": 1}})
    events.announce(events.STATEMENTS_ASSIGNED, assignment_ids=[new.pk], assigned_by_id=reassigned_by.pk)
    return new


@transaction.atomic
def reviewer_capacity_set(*, reviewer, max_open: int | None, set_by) -> ReviewerCapacity:
    """Set how many open assignments auto-assign may give `reviewer` (None: the desk default). Lowering it
    below what they have takes nothing away; they just get no more until they are under it."""
    policy.require(policy.can_manage_members, set_by)
    if max_open is not None and not 0 <= max_open <= MAX_CAPACITY:
        raise ValidationError(f"Capacity is a number from 0 to {MAX_CAPACITY}, or empty for the desk default.")
    row, _ = ReviewerCapacity.objects.select_for_update().get_or_create(reviewer=reviewer)
    if row.max_open != max_open:
        record(
            CAPACITY_SET,
            reviewer,
            actor=set_by,
            before={"capacity": str(row.max_open) if row.max_open is not None else "default"},
            after={"capacity": str(max_open) if max_open is not None else "default"},
        )
        row.max_open = max_open
        row.save(update_fields=["max_open", "updated_at"])
    return row


def statements_mark_not_checkable(*, statement_ids: Iterable[int], marked_by) -> int:
    """Mark a selection not checkable (curation's rule and audit, one statement at a time in one transaction);
    those marked so already are left alone."""
    return statements_mark(
        statement_ids=list(statement_ids), user=marked_by, checkability=Statement.Checkability.NOT_CHECKABLE
    )
