"""Team summaries: verdict figures and inter-reviewer agreement for the whole desk and for each reviewer.

Everything is recomputed from the ratings and statement summaries in a few set-based queries; the
statistics are plain functions (reviews.agreement). A burst of ratings queues one recompute (see
team_summaries_enqueue).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from factcheck.core.enqueue import enqueue_now

from .. import agreement, verdicts
from ..models import Assignment, Rating, StatementSummary, TeamSummary

logger = logging.getLogger(__name__)

# A queued recompute waits this long, so the ratings of a burst land in one run.
DEBOUNCE_SECONDS = 30
# A claim older than this belongs to a task that was lost (broker restart); the next change queues again.
CLAIM_EXPIRES = timedelta(minutes=10)
BATCH_SIZE = 500
# A queued run that has not started this long after its countdown was lost with its message.
OVERDUE_AFTER = timedelta(seconds=60)
TEAM_TASK = "reviews.tasks.team_summaries_task"

FIGURE_FIELDS = [
    "rating_count",
    "statements_rated",
    "settled_count",
    "disputed_count",
    "distribution",
    "agreement_with_consensus",
    "alpha_ordinal",
    "alpha_nominal",
    "percent_agreement",
    "median_hours_to_rate",
]


@dataclass(frozen=True)
class RatingRow:
    statement_id: int
    reviewer_id: int
    verdict: str
    hours_to_rate: float | None


@dataclass(frozen=True)
class Outcome:
    settled: bool
    disputed: bool
    final: str


def scope_figures(
    *, ratings: list[RatingRow], units: dict[int, list[str]], outcomes: dict[int, Outcome], desk: bool
) -> dict:
    """Figures for one scope from its own ratings. Agreement is measured on every rating of the statements
    the scope touched (for a reviewer: their statements, with their colleagues' ratings of them)."""
    touched = {r.statement_id for r in ratings}
    settled_finals = [outcomes[s].final for s in touched if s in outcomes and outcomes[s].settled]
    disputed = sum(1 for s in touched if s in outcomes and outcomes[s].disputed)
    on_settled = [r for r in ratings if r.statement_id in outcomes and outcomes[r.statement_id].settled]
    agreeing = sum(1 for r in on_settled if r.verdict == outcomes[r.statement_id].final)
    scope_units = [units[s] for s in sorted(touched)]
    hours = [r.hours_to_rate for r in ratings if r.hours_to_rate is not None]
    return {
        "rating_count": len(ratings),
        "statements_rated": len(touched),
        "settled_count": len(settled_finals),
        "disputed_count": disputed,
        "distribution": dict(sorted(Counter(settled_finals).items())),
        "agreement_with_consensus": agreeing / len(on_settled) if on_settled else None,
        "alpha_ordinal": agreement.verdict_alpha_ordinal(scope_units),
        "alpha_nominal": agreement.verdict_alpha_nominal(scope_units),
        "percent_agreement": agreement.percent_agreement(scope_units) if desk else None,
        "median_hours_to_rate": median(hours) if hours else None,
    }


def _hours(assigned_at: datetime | None, rated_at: datetime) -> float | None:
    if assigned_at is None:
        return None
    # Clock skew or a re-assignment after rating must not make a negative time.
    return max((rated_at - assigned_at).total_seconds(), 0.0) / 3600


def team_summaries_recompute() -> int:
    """Recompute the desk row and one row per reviewer who has rated; returns the number of rows written."""
    # Released before reading, outside the transaction: a change that lands while this runs queues a new run.
    TeamSummary.objects.filter(scope=TeamSummary.Scope.DESK).update(queued_at=None)
    return _team_summaries_write()


@transaction.atomic
def _team_summaries_write() -> int:
    # Locking the desk row makes concurrent recomputes take turns instead of racing on the reviewer rows.
    desk, _ = TeamSummary.objects.select_for_update().get_or_create(scope=TeamSummary.Scope.DESK, reviewer=None)

    assigned_at = Assignment.objects.filter(statement_id=OuterRef("statement_id"), reviewer_id=OuterRef("reviewer_id"))
    rows = (
        Rating.objects.annotate(assigned_at=Subquery(assigned_at.values("created_at")[:1]))
        .order_by()
        .values_list("statement_id", "reviewer_id", "verdict", "created_at", "assigned_at")
    )
    ratings = [RatingRow(s, r, v, _hours(a, c)) for s, r, v, c, a in rows.iterator(chunk_size=2000)]

    units: dict[int, list[str]] = defaultdict(list)
    by_reviewer: dict[int, list[RatingRow]] = defaultdict(list)
    for rating in ratings:
        units[rating.statement_id].append(rating.verdict)
        by_reviewer[rating.reviewer_id].append(rating)

    outcomes = {
        statement_id: Outcome(
            settled=settled,
            disputed=not settled and consensus == verdicts.DISPUTED,
            final=editor_verdict or consensus,
        )
        for statement_id, settled, consensus, editor_verdict in StatementSummary.objects.filter(
            statement_id__in=Rating.objects.values("statement_id")
        ).values_list("statement_id", "settled", "consensus", "editor_verdict")
    }

    now = timezone.now()
    for field, value in scope_figures(ratings=ratings, units=units, outcomes=outcomes, desk=True).items():
        setattr(desk, field, value)
    desk.updated_at = now

    existing = dict(TeamSummary.objects.filter(scope=TeamSummary.Scope.REVIEWER).values_list("reviewer_id", "pk"))
    to_update, to_create = [desk], []
    for reviewer_id, own in by_reviewer.items():
        row = TeamSummary(
            pk=existing.get(reviewer_id),
            scope=TeamSummary.Scope.REVIEWER,
            reviewer_id=reviewer_id,
            updated_at=now,
            **scope_figures(ratings=own, units=units, outcomes=outcomes, desk=False),
        )
        (to_update if row.pk else to_create).append(row)
    TeamSummary.objects.bulk_update(to_update, [*FIGURE_FIELDS, "updated_at"], batch_size=BATCH_SIZE)
    TeamSummary.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    # A reviewer whose ratings are all gone (user or statements deleted) no longer has figures.
    TeamSummary.objects.filter(scope=TeamSummary.Scope.REVIEWER).exclude(reviewer_id__in=list(by_reviewer)).delete()
    return len(to_update) + len(to_create)


def team_summaries_overdue() -> bool:
    """A recompute was queued long ago and has not started: its message was lost."""
    late = timezone.now() - timedelta(seconds=DEBOUNCE_SECONDS) - OVERDUE_AFTER
    return TeamSummary.objects.filter(scope=TeamSummary.Scope.DESK, queued_at__lt=late).exists()


def team_summaries_enqueue() -> bool:
    """Queue a recompute unless one is already queued and not started; returns whether it queued one.

    The claim is the desk row's queued_at, set by a single UPDATE so concurrent callers cannot both win;
    the task clears it when it starts, so changes made during a run queue the next one (no lost updates).
    """
    now = timezone.now()
    desk = TeamSummary.objects.filter(scope=TeamSummary.Scope.DESK)
    claimed = desk.filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - CLAIM_EXPIRES)).update(queued_at=now)
    if not claimed:
        _, created = TeamSummary.objects.get_or_create(
            scope=TeamSummary.Scope.DESK, reviewer=None, defaults={"queued_at": now}
        )
        if not created:
            return False
    if not enqueue_now(TEAM_TASK, countdown=DEBOUNCE_SECONDS):
        # The beat schedule recomputes anyway; release the claim so the next change tries again.
        desk.filter(queued_at=now).update(queued_at=None)
        return False
    return True
