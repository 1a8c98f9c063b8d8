"""Team summaries: verdict figures and inter-reviewer agreement for the whole desk and for each reviewer.

The figures are computed from sums (reviews.team_figures) kept in TeamCell rows. When a statement's summary is
recomputed, the statement's new share of those sums replaces its old share (stored on its summary as a
snapshot), and only the desk's and that statement's reviewers' figures are refreshed: a few queries, however
many ratings the desk has. A full rebuild adds up every statement's share from scratch; both paths take the
desk row's lock, so they never interleave.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping

from django.db import connection, transaction
from django.db.models import Exists
from django.utils import timezone

from .. import team_figures
from ..models import StatementSummary, TeamCell, TeamSummary
from ..team_figures import DESK, Cells
from . import summaries_sql

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
CELL_BATCH_SIZE = 5000
BUILT = "built"  # a cell on the desk scope, set once the sums have been built from scratch
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


def lock_team() -> bool:
    """Take the desk row's lock (inside a transaction): team sums change one writer at a time. Returns whether
    the sums have been built (in the same query)."""
    built = TeamCell.objects.filter(reviewer_id=DESK, name=BUILT)
    locked = (
        TeamSummary.objects.select_for_update()
        .filter(scope=TeamSummary.Scope.DESK)
        .annotate(built=Exists(built))
        .values_list("built", flat=True)
    )
    row = locked.first()
    if row is None:
        TeamSummary.objects.get_or_create(scope=TeamSummary.Scope.DESK, reviewer=None)
        row = locked.first()
    return bool(row)


def _add(delta: Mapping[int, Cells]) -> None:
    """Add the delta to the stored sums in one statement: insert new cells, increment existing ones."""
    rows = [(scope, name, value) for scope, cells in delta.items() for name, value in cells.items()]
    if not rows:
        return
    table = TeamCell._meta.db_table
    values = ", ".join(["(%s, %s, %s)"] * len(rows))
    params = [item for row in rows for item in row]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (reviewer_id, name, value) VALUES {values} "  # noqa: S608 - names are ours
            f"ON CONFLICT (reviewer_id, name) DO UPDATE SET value = {table}.value + excluded.value",
            params,
        )


def _refresh(scopes) -> int:
    """Recompute the TeamSummary rows of these scopes from their sums; a reviewer left without ratings loses
    their row. Returns the number of rows written."""
    scopes = set(scopes)
    cells: dict[int, Cells] = {scope: Cells() for scope in scopes}
    for scope, name, value in TeamCell.objects.filter(reviewer_id__in=scopes).values_list(
        "reviewer_id", "name", "value"
    ):
        cells[scope][name] = value
    now = timezone.now()
    updated, to_create, gone = 0, [], []
    for scope in scopes:
        figures = team_figures.figures(cells[scope], desk=scope == DESK)
        if scope != DESK and not figures["rating_count"]:
            gone.append(scope)
            continue
        if scope == DESK:
            row = TeamSummary.objects.filter(scope=TeamSummary.Scope.DESK)
        else:
            row = TeamSummary.objects.filter(scope=TeamSummary.Scope.REVIEWER, reviewer_id=scope)
        # One plain UPDATE a row, no read first (a one-rating change touches three rows; bulk_update's CASE per
        # field cost more to build than the queries it saves); a scope without a row yet gets one.
        written = row.update(**figures, updated_at=now)
        updated += written
        if not written:
            to_create.append(
                TeamSummary(
                    scope=TeamSummary.Scope.DESK if scope == DESK else TeamSummary.Scope.REVIEWER,
                    reviewer_id=None if scope == DESK else scope,
                    updated_at=now,
                    **figures,
                )
            )
    TeamSummary.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if gone:
        TeamSummary.objects.filter(scope=TeamSummary.Scope.REVIEWER, reviewer_id__in=gone).delete()
    return updated + len(to_create)


def team_summaries_apply(delta: Mapping[int, Cells], *, built: bool) -> None:
    """Apply one statement's change of share to the sums and refresh the figures it touches. Runs in the
    caller's transaction (the statement summary's), which took the team lock first (lock_team: `built`)."""
    if not built:
        # Sums never built (a fresh install, or just migrated): build them all once, which includes this change.
        _rebuild()
        return
    if delta:
        _add(delta)
        _refresh(delta.keys())


@transaction.atomic
def team_summaries_recompute() -> int:
    """Rebuild every team sum from the statements' snapshots, and every team summary row; returns the number
    of rows written. Statement snapshots must be current (summaries_recompute_all refreshes them first)."""
    lock_team()
    summaries_sql.roomy_sorts()
    return _rebuild()


def _rebuild() -> int:
    sums = _grouped_sums() if connection.vendor == "postgresql" else _summed_shares()
    TeamCell.objects.all().delete()
    cells = [
        TeamCell(reviewer_id=scope, name=name, value=value)
        for scope, scope_cells in sums.items()
        for name, value in scope_cells.items()
        if abs(value) > 1e-12
    ]
    cells.append(TeamCell(reviewer_id=DESK, name=BUILT, value=1))
    TeamCell.objects.bulk_create(cells, batch_size=CELL_BATCH_SIZE)
    stale = TeamSummary.objects.filter(scope=TeamSummary.Scope.REVIEWER).exclude(reviewer_id__in=list(sums))
    stale.delete()
    written = _refresh({DESK, *sums})
    logger.info("team summaries rebuilt: %s rows, %s cells", written, len(cells))
    return written


def _summed_shares() -> dict[int, Cells]:
    """Every statement's share, read snapshot by snapshot and added up (SQLite, the zero-setup default)."""
    snapshots = (
        StatementSummary.objects.filter(rating_count__gt=0)
        .values_list("team_snapshot", flat=True)
        .iterator(chunk_size=5000)
    )
    return team_figures.total(team_figures.shares_of_snapshot(stored) for stored in snapshots)


def _grouped_sums() -> dict[int, Cells]:
    """Every statement's share added up, as _summed_shares does, with the adding done by PostgreSQL: it counts
    statements of each kind per scope and ratings of each kind per reviewer (one query of GROUP BYs over the
    snapshots, some thousand rows back), and each kind's share comes from the pure functions of team_figures,
    once per kind, times its count."""
    sums: dict[int, Cells] = defaultdict(Cells)
    cells_of: dict[tuple, Cells] = {}  # each kind's cells, computed once

    def add(scope: int, cells: Cells, times: int) -> None:
        into = sums[scope]
        for name, value in cells.items():
            into[name] += value * times

    for kind, scope, counts, verdict, settled, disputed, final, minutes, count in summaries_sql.team_kinds():
        key = (kind, scope == DESK, tuple(counts or ()), verdict, settled, disputed, final, minutes)
        if key not in cells_of:
            outcome = team_figures.Outcome(settled, disputed, final)
            if kind == "s":
                verdicts = [v for v, n in zip(summaries_sql.TEAM_KIND_VERDICTS, counts, strict=True) for _ in range(n)]
                cells_of[key] = team_figures.unit_cells(verdicts, outcome)
                if scope == DESK:
                    cells_of[key] += team_figures.desk_pair_cells(verdicts)
            elif kind == "v":
                cells_of[key] = team_figures.verdict_cells(verdict, outcome)
            else:
                cells_of[key] = team_figures.time_cells(minutes)
        add(scope, cells_of[key], count)
        if kind == "v":
            sums[scope]["ratings"] += count
        if kind != "s":
            add(DESK, cells_of[key], count)
    return dict(sums)
