"""Auto-assign as an editor controls it: a preview (which statements, which reviewers, how many each gets, the
load after) that writes nothing; a confirm that makes exactly that plan as one recorded batch, never beyond a
reviewer's capacity; and an undo of the batch while nobody has rated any of it."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from articles.models import Statement
from factcheck.accounts import policy
from factcheck.audit.services import Ref, event, record, record_many
from factcheck.audit.transitions import transition
from factcheck.core.counters import add_to_counters

from ..assignment import least_loaded, skip_reasons
from ..audit_actions import BATCH_CONFIRMED, BATCH_UNDONE, STATEMENT_UNASSIGNED
from ..models import Assignment, AssignmentBatch, Rating, ReviewerLoad
from ..selectors.assignments import auto_assign_candidates, desk_reviewers, open_assignment_counts
from ..selectors.deadlines import lock_capacities
from .assignments import _create_pairs, _locked_statements, _refuse_past, reviewers_of


class PlanChanged(ValidationError):
    """The desk changed between the preview and the confirm: nothing was written."""


@dataclass(frozen=True)
class AutoAssignChoices:
    """What the editor chose on the preview form. No reviewer ids means every reviewer on the desk."""

    article_id: int | None = None
    statement_ids: tuple[int, ...] = ()
    top: int = 50
    min_score: float = 0.0
    only_checkable: bool = True
    per_statement: int = 2
    reviewer_ids: tuple[int, ...] = ()
    due_at: datetime | None = None

    def as_json(self) -> dict:
        values = asdict(self)
        values["due_at"] = self.due_at.isoformat() if self.due_at else None
        values["statement_ids"], values["reviewer_ids"] = list(self.statement_ids), list(self.reviewer_ids)
        return values


@dataclass
class ReviewerLine:
    pk: int
    name: str
    open_before: int
    capacity: int
    gets: int = 0
    skipped: str = ""

    @property
    def open_after(self) -> int:
        return self.open_before + self.gets


@dataclass
class AutoAssignPlan:
    choices: AutoAssignChoices
    statements: list = field(default_factory=list)  # the candidates, most check-worthy first
    pairs: list[tuple[int, int]] = field(default_factory=list)
    reviewers: list[ReviewerLine] = field(default_factory=list)
    given: dict[int, list[str]] = field(default_factory=dict)  # statement id -> reviewer names it gets
    short: list[int] = field(default_factory=list)  # statements getting fewer reviewers than asked
    covered: int = 0  # statements that have enough reviewers already
    locked: dict = field(default_factory=dict, repr=False)

    @property
    def digest(self) -> str:
        """Names exactly what would be written: a confirm whose plan differs writes nothing."""
        due = self.choices.due_at.isoformat() if self.choices.due_at else ""
        text = due + "|" + ",".join(f"{s}:{r}" for s, r in sorted(self.pairs))
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    @property
    def statement_rows(self) -> list[tuple]:
        """(statement, names of the reviewers it would get), in the plan's order."""
        return [(s, self.given.get(s.pk, [])) for s in self.statements]

    @property
    def per_reviewer(self) -> dict[str, int]:
        return {line.name: line.gets for line in self.reviewers if line.gets}


def _validate(choices: AutoAssignChoices) -> None:
    if not 1 <= choices.per_statement <= 10:
        raise ValidationError("Reviewers per statement must be a number from 1 to 10.")
    if not 1 <= choices.top <= settings.AUTO_ASSIGN_MAX_STATEMENTS:
        raise ValidationError(f"Take from 1 to {settings.AUTO_ASSIGN_MAX_STATEMENTS} statements at a time.")
    if not 0 <= choices.min_score <= 1:
        raise ValidationError("The minimum score is a number from 0 to 1.")
    _refuse_past(choices.due_at)


def _plan(choices: AutoAssignChoices, *, lock: bool) -> AutoAssignPlan:
    reviewers = desk_reviewers()
    if choices.reviewer_ids:
        reviewers = reviewers.filter(pk__in=choices.reviewer_ids)
    people = list(reviewers.order_by("username").values_list("pk", "username", "first_name", "last_name"))
    if choices.reviewer_ids and len(people) != len(set(choices.reviewer_ids)):
        raise ValidationError("Statements can only be assigned to active reviewers.")
    if not people:
        raise ValidationError("The desk has no active reviewers to assign to. Add reviewers on the Team page.")
    reviewer_ids = [pk for pk, *_ in people]
    capacity = lock_capacities(reviewer_ids=reviewer_ids, lock=lock)
    statements = list(
        auto_assign_candidates(
            article_id=choices.article_id,
            statement_ids=choices.statement_ids,
            only_checkable=choices.only_checkable,
            min_score=choices.min_score,
            top=choices.top,
        )
    )
    locked = _locked_statements(s.pk for s in statements) if lock else {}
    if lock:  # a statement settled meanwhile drops out; read under the lock
        statements = [s for s in statements if s.pk in locked and locked[s.pk][1] != Statement.ReviewStatus.SETTLED]
    ids = [s.pk for s in statements]
    load = open_assignment_counts(user_ids=reviewer_ids)
    already = reviewers_of(ids)
    pairs = least_loaded(
        statement_ids=ids,
        reviewer_ids=reviewer_ids,
        per_statement=choices.per_statement,
        load=load,
        already=already,
        capacity=capacity,
    )
    got = Counter(s for s, _ in pairs)
    needed = {s: max(choices.per_statement - len(already.get(s, ())), 0) for s in ids}
    short = [s for s in ids if got[s] < needed[s]]
    reasons = skip_reasons(reviewer_ids=reviewer_ids, pairs=pairs, load=load, capacity=capacity, short=bool(short))
    gets = Counter(r for _, r in pairs)
    names = {pk: " ".join(filter(None, (first, last))) or username for pk, username, first, last in people}
    given: dict[int, list[str]] = {}
    for s, r in pairs:
        given.setdefault(s, []).append(names[r])
    lines = [
        ReviewerLine(pk, names[pk], load.get(pk, 0), capacity[pk], gets[pk], reasons.get(pk, "")) for pk in reviewer_ids
    ]
    return AutoAssignPlan(
        choices=choices,
        statements=statements,
        pairs=pairs,
        reviewers=lines,
        given=given,
        short=short,
        covered=sum(1 for s in ids if needed[s] == 0),
        locked=locked,
    )


def auto_assign_preview(*, choices: AutoAssignChoices, previewed_by) -> AutoAssignPlan:
    """What confirming these choices would assign now: reads only, locks nothing, writes nothing."""
    policy.require(policy.can_assign, previewed_by)
    _validate(choices)
    return _plan(choices, lock=False)


@transaction.atomic
def auto_assign_confirm(*, choices: AutoAssignChoices, confirmed_by, expected: str = "") -> AssignmentBatch:
    """Make the plan as one batch (one audit event, besides each statement's own). The reviewers' capacity rows
    are locked first, so two editors confirming at once take turns and neither overfills anyone. With
    `expected` (the preview's digest), a plan that changed since the preview raises PlanChanged instead."""
    policy.require(policy.can_assign, confirmed_by)
    _validate(choices)
    plan = _plan(choices, lock=True)
    if expected and plan.digest != expected:
        raise PlanChanged(
            "The desk changed since your preview (statements or loads moved), so nothing was assigned. "
            "Check the new preview below and confirm again."
        )
    if not plan.pairs:
        raise ValidationError(
            "Nothing to assign: the statements have their reviewers already, or every reviewer is at capacity."
        )
    batch = AssignmentBatch.objects.create(
        created_by=confirmed_by,
        choices=choices.as_json(),
        assignment_count=len(plan.pairs),
        per_reviewer=plan.per_reviewer,
    )
    _create_pairs(plan.pairs, plan.locked, assigned_by=confirmed_by, due_at=choices.due_at, batch=batch)
    record(
        BATCH_CONFIRMED,
        batch,
        actor=confirmed_by,
        after={"assignments": len(plan.pairs), "reviewers": plan.per_reviewer},
    )
    return batch


@transaction.atomic
def auto_assign_undo(*, batch: AssignmentBatch, undone_by) -> int:
    """Take back every open assignment of the batch, as one action, unless someone has rated any of it (then
    nothing changes). Reassigned ones stay closed with their history. Returns how many were taken back."""
    policy.require(policy.can_assign, undone_by)
    batch = AssignmentBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == AssignmentBatch.Status.UNDONE:
        raise ValidationError("This auto-assign was undone already.")
    rows = list(
        Assignment.objects.filter(batch=batch)
        .exclude(status=Assignment.Status.CLOSED)
        .values_list("pk", "statement_id", "reviewer_id", "status", "reviewer__username")
    )
    # Rating takes the statement's lock first: while these are held, nobody starts rating any of them.
    locked = _locked_statements(s for _, s, *_ in rows)
    pairs = Q(pk__in=[])
    for _, statement_id, reviewer_id, *_ in rows:
        pairs |= Q(statement_id=statement_id, reviewer_id=reviewer_id)
    rated = {(s, r) for s, r in Rating.objects.filter(pairs).values_list("statement_id", "reviewer_id")}
    started = sorted(
        {name for _, s, r, status, name in rows if status != Assignment.Status.ASSIGNED or (s, r) in rated}
    )
    if started:
        raise ValidationError(
            f"This auto-assign can no longer be undone: {', '.join(started)} started rating its statements. "
            "Take single statements back on their pages instead (rated ones stay)."
        )
    record_many(
        [
            event(
                STATEMENT_UNASSIGNED,
                Ref("articles.statement", s),
                actor=undone_by,
                parent=Ref("articles.article", locked[s][0]),
                before={"reviewer": name},
                note=f"Undo of auto-assign {batch.pk}",
            )
            for _, s, _, _, name in rows
            if s in locked
        ]
    )
    Assignment.objects.filter(pk__in=[pk for pk, *_ in rows]).delete()
    add_to_counters(
        ReviewerLoad, "reviewer", {r: {"open_count": -n} for r, n in Counter(r for _, _, r, *_ in rows).items()}
    )
    statement_ids = {s for _, s, *_ in rows}
    still = reviewers_of(statement_ids)
    Statement.objects.filter(
        pk__in=[s for s in statement_ids if not still.get(s)], review_status=Statement.ReviewStatus.ASSIGNED
    ).update(review_status=Statement.ReviewStatus.NEW)
    transition(
        batch, to=AssignmentBatch.Status.UNDONE, by=undone_by, action=BATCH_UNDONE, after={"assignments": len(rows)}
    )
    return len(rows)
