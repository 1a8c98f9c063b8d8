"""Set-based SQL for a full recompute of the statement summaries, their team snapshots and the statements'
review statuses: a handful of statements, whatever the number of ratings. Written for PostgreSQL (production
and CI) and SQLite (the zero-setup default), which both have window functions, upserts and UPDATE ... FROM;
where their SQL differs (JSON, time arithmetic), it says so.

The consensus rule is reviews.verdicts.consensus, restated here in SQL; tests/reviews/test_summaries_sql.py
checks the two agree on every combination of up to four verdicts.
"""

from __future__ import annotations

from django.db import connection

from articles.models import Statement

from ..models import Assignment, Rating, StatementSummary
from ..verdicts import DISPUTED, ORDINAL_SCALE, PENDING, Verdict

STEP_OF = " ".join(f"WHEN '{v.value}' THEN {step}" for step, v in enumerate(ORDINAL_SCALE))
VERDICT_OF = " ".join(f"WHEN {step} THEN '{v.value}'" for step, v in enumerate(ORDINAL_SCALE))
RATING = Rating._meta.db_table
SUMMARY = StatementSummary._meta.db_table
ASSIGNMENT = Assignment._meta.db_table
STATEMENT = Statement._meta.db_table

# Per statement: how many ratings, how many on the truth scale, the lowest and highest step and their sum, and
# the smallest and largest verdict (equal when there is one kind). Plain aggregates in one grouped pass: no
# window, no DISTINCT, so no sort of each statement's ratings.
_AGGREGATES = f"""
    SELECT statement_id,
           COUNT(*) AS n,
           COUNT(step) AS n_ordinal,
           MIN(step) AS lo,
           MAX(step) AS hi,
           SUM(step) AS step_sum,
           MIN(verdict) AS a_verdict,
           MAX(verdict) AS z_verdict
    FROM (SELECT statement_id, verdict, CASE verdict {STEP_OF} END AS step FROM {RATING}) AS stepped
    GROUP BY statement_id
"""
# The rule: under two ratings pending; all on the scale within one step: the upper median (the worse of the
# two middle verdicts); one non-ordinal verdict throughout: that verdict; anything else disputed. Within one
# step every rating is at lo or lo + 1, so step_sum = n * (lo + 1) - (ratings at lo): the median is lo when
# those are more than half.
_CONSENSUS = f"""
    CASE
        WHEN n < 2 THEN '{PENDING}'
        WHEN n_ordinal = n AND hi - lo <= 1 THEN
            CASE (CASE WHEN n / 2 < n * (lo + 1) - step_sum THEN lo ELSE lo + 1 END) {VERDICT_OF} END
        WHEN n_ordinal = 0 AND a_verdict = z_verdict THEN a_verdict
        ELSE '{DISPUTED}'
    END
"""
_UNSETTLED = f"('{PENDING}', '{DISPUTED}')"


def _vendor() -> str:
    return connection.vendor  # "postgresql" or "sqlite"


def roomy_sorts() -> None:
    """Give this transaction's sorts and hashes room (PostgreSQL): a full recompute groups a few hundred thousand
    rows at a time, which the default work_mem (4 MB) spills to disk, several times slower. And no JIT: these
    statements' estimated costs are far over jit_above_cost, and compiling the team kinds query took 1.4 s of
    its 3.3 s at a million statements (EXPLAIN ANALYZE; 1.9 s without JIT)."""
    if _vendor() == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '128MB'")
            cursor.execute("SET LOCAL jit = off")


def _empty_snapshot() -> str:
    return """'{"r": [], "o": [false, false, ""]}'""" + ("::jsonb" if _vendor() == "postgresql" else "")


def statement_summaries_recompute(*, now) -> int:
    """Upsert every rated statement's summary from its ratings (an editor's verdict is kept), reset the
    summaries of statements whose ratings are gone, and rebuild every team snapshot. Returns how many
    summaries have ratings or an editor's verdict."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {SUMMARY}
                (statement_id, rating_count, consensus, settled, editor_verdict, settle_note, settled_by_id,
                 updated_at, team_snapshot)
            SELECT statement_id, n, consensus, consensus NOT IN {_UNSETTLED}, '', '', NULL, %s, {_empty_snapshot()}
            FROM (SELECT statement_id, n, {_CONSENSUS} AS consensus FROM ({_AGGREGATES}) AS aggregates) AS computed
            WHERE true
            ON CONFLICT (statement_id) DO UPDATE SET
                rating_count = excluded.rating_count,
                consensus = excluded.consensus,
                settled = ({SUMMARY}.editor_verdict <> '' OR excluded.consensus NOT IN {_UNSETTLED}),
                updated_at = excluded.updated_at
            WHERE {SUMMARY}.rating_count <> excluded.rating_count
               OR {SUMMARY}.consensus <> excluded.consensus
               OR {SUMMARY}.settled <> ({SUMMARY}.editor_verdict <> '' OR excluded.consensus NOT IN {_UNSETTLED})
            """,
            [now],
        )
        cursor.execute(
            f"""
            UPDATE {SUMMARY}
            SET rating_count = 0, consensus = '{PENDING}', settled = (editor_verdict <> ''), updated_at = %s
            WHERE (rating_count <> 0 OR consensus <> '{PENDING}')
              AND NOT EXISTS (SELECT 1 FROM {RATING} r WHERE r.statement_id = {SUMMARY}.statement_id)
            """,
            [now],
        )
        _snapshots(cursor)
        cursor.execute(f"SELECT COUNT(*) FROM {SUMMARY} WHERE rating_count > 0 OR editor_verdict <> ''")
        return cursor.fetchone()[0]


def _snapshots(cursor) -> None:
    """Every summary's team snapshot (written only where it changed): its ratings as [reviewer, blind verdict,
    minutes to rate (bucketed)], and its outcome [settled, disputed, final verdict], as
    reviews.team_figures.snapshot writes them one by one."""
    postgres = _vendor() == "postgresql"
    if postgres:
        # In double precision, as Python's total_seconds() / 60 (EXTRACT gives numeric: several times slower).
        minutes = "GREATEST(EXTRACT(EPOCH FROM (o.rated_at - o.assigned_at))::float8 / 60.0, 0)"
    else:
        minutes = "MAX((julianday(o.rated_at) - julianday(o.assigned_at)) * 1440.0, 0)"
    bucket = (
        f"CASE WHEN o.assigned_at IS NULL THEN NULL "
        f"WHEN {minutes} < 60 THEN CAST(FLOOR({minutes} + 0.5) AS INTEGER) "
        f"WHEN {minutes} < 1440 THEN CAST(FLOOR({minutes} / 5 + 0.5) AS INTEGER) * 5 "
        f"ELSE CAST(FLOOR({minutes} / 60 + 0.5) AS INTEGER) * 60 END"
    )
    final = f"CASE WHEN {SUMMARY}.editor_verdict <> '' THEN {SUMMARY}.editor_verdict ELSE {SUMMARY}.consensus END"
    disputed = f"(NOT {SUMMARY}.settled AND {SUMMARY}.consensus = '{DISPUTED}')"
    if postgres:
        ratings = f"jsonb_agg(jsonb_build_array(o.reviewer_id, o.verdict, {bucket}))"
        snapshot = (
            f"jsonb_build_object('r', COALESCE(x.ratings, '[]'::jsonb), "
            f"'o', jsonb_build_array({SUMMARY}.settled, {disputed}, {final}))"
        )
    else:
        ratings = f"json_group_array(json_array(o.reviewer_id, o.verdict, {bucket}))"
        flag = "json(CASE WHEN {} THEN 'true' ELSE 'false' END)"
        snapshot = (
            f"json_object('r', json(COALESCE(x.ratings, '[]')), "
            f"'o', json_array({flag.format(SUMMARY + '.settled')}, {flag.format(disputed)}, {final}))"
        )
    # Ratings in a fixed order (reviewer, then verdict), as team_figures.snapshot sorts them: the aggregates take
    # them in the sorted subquery's order (a reviewer rates a statement once). An ORDER BY inside jsonb_agg would
    # sort each statement's ratings on their own, 180,000 small sorts, which PostgreSQL 15 does not skip. Were the
    # order ever lost, a snapshot would only be rewritten in another order: its shares do not depend on it.
    ordered = (
        f"SELECT r.statement_id, r.reviewer_id, "
        f"CASE WHEN r.blind_verdict <> '' THEN r.blind_verdict ELSE r.verdict END AS verdict, "
        f"r.created_at AS rated_at, a.created_at AS assigned_at "
        f"FROM {RATING} r LEFT JOIN {ASSIGNMENT} a "
        f"ON a.statement_id = r.statement_id AND a.reviewer_id = r.reviewer_id "
        f"ORDER BY r.statement_id, r.reviewer_id"
    )
    cursor.execute(
        f"""
        UPDATE {SUMMARY} SET team_snapshot = {snapshot}
        FROM (
            SELECT s2.statement_id, grouped.ratings
            FROM {SUMMARY} s2
            LEFT JOIN (SELECT o.statement_id, {ratings} AS ratings FROM ({ordered}) AS o GROUP BY o.statement_id)
                AS grouped ON grouped.statement_id = s2.statement_id
        ) AS x
        WHERE x.statement_id = {SUMMARY}.statement_id AND {SUMMARY}.team_snapshot <> {snapshot}
        """
    )


# The snapshots' ratings, one row each, with their statement's outcome (as team_figures.shares_of_snapshot
# reads a snapshot: a missing outcome is not settled, not disputed, no final verdict).
_SNAPSHOT_RATINGS = f"""
    SELECT s.statement_id,
           (r.value ->> 0)::bigint AS reviewer,
           r.value ->> 1 AS verdict,
           TRUNC((r.value ->> 2)::numeric)::bigint AS minutes,
           COALESCE((s.team_snapshot -> 'o' ->> 0)::boolean, false) AS settled,
           COALESCE((s.team_snapshot -> 'o' ->> 1)::boolean, false) AS disputed,
           COALESCE(s.team_snapshot -> 'o' ->> 2, '') AS final
    FROM {SUMMARY} s
    CROSS JOIN LATERAL jsonb_array_elements(s.team_snapshot -> 'r') AS r
    WHERE s.rating_count > 0 AND jsonb_typeof(s.team_snapshot -> 'r') = 'array'
"""
# A statement's kind is its outcome and how many ratings of each verdict it has (TEAM_KIND_VERDICTS' order): counts,
# not a sorted array, so no statement's ratings are sorted on their own.
TEAM_KIND_VERDICTS = tuple(v.value for v in Verdict)
_VERDICT_COUNTS = ", ".join(f"COUNT(*) FILTER (WHERE verdict = '{v}')" for v in TEAM_KIND_VERDICTS)
# In one query, so the snapshots are read once: how many statements of each kind each scope counts ("s": the
# desk, scope 0, every statement; a reviewer those they rated: a reviewer rates a statement once, the ratings'
# unique constraint), and each reviewer's ratings by verdict and outcome ("v") and by time to rate ("m").
_TEAM_KINDS = f"""
    WITH ratings AS MATERIALIZED ({_SNAPSHOT_RATINGS}),
    statements AS MATERIALIZED (
        SELECT statement_id, settled, disputed, final, ARRAY[{_VERDICT_COUNTS}] AS verdicts
        FROM ratings GROUP BY statement_id, settled, disputed, final
    )
    SELECT 's', 0::bigint, verdicts, NULL, settled, disputed, final, NULL::bigint, COUNT(*)
    FROM statements GROUP BY verdicts, settled, disputed, final
    UNION ALL
    SELECT 's', r.reviewer, s.verdicts, NULL, s.settled, s.disputed, s.final, NULL, COUNT(*)
    FROM ratings r JOIN statements s ON s.statement_id = r.statement_id
    GROUP BY r.reviewer, s.verdicts, s.settled, s.disputed, s.final
    UNION ALL
    SELECT 'v', reviewer, NULL, verdict, settled, disputed, final, NULL, COUNT(*)
    FROM ratings GROUP BY reviewer, verdict, settled, disputed, final
    UNION ALL
    SELECT 'm', reviewer, NULL, NULL, NULL, NULL, NULL, minutes, COUNT(*)
    FROM ratings WHERE minutes IS NOT NULL GROUP BY reviewer, minutes
"""


def team_kinds() -> list[tuple]:
    """(kind, scope, verdict counts, verdict, settled, disputed, final verdict, minutes, count) rows of
    _TEAM_KINDS, from which reviews.services.team_summaries adds up the team sums (PostgreSQL only)."""
    with connection.cursor() as cursor:
        cursor.execute(_TEAM_KINDS)
        return cursor.fetchall()


def assignment_scores_refresh() -> int:
    """Copy each open assignment's statement score onto it where they differ, in one UPDATE joined to the
    statements (the ORM's per-row subquery also sorted each statement's article in). Returns the rows changed."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {ASSIGNMENT} SET score = st.score
            FROM {STATEMENT} st
            WHERE st.id = {ASSIGNMENT}.statement_id AND {ASSIGNMENT}.status = %s AND {ASSIGNMENT}.score <> st.score
            """,
            [Assignment.Status.ASSIGNED],
        )
        return cursor.rowcount


def review_statuses_recompute(*, batch_size: int = 5000) -> int:
    """Every statement's review status from its summary and assignments: one read of the statements whose status
    is wrong (a scan joined to the summaries and assigned statements), then UPDATEs of those by id, each only
    where the status is still the one read. Returns how many it changed."""
    derived = f"""
        CASE
            WHEN ss.settled THEN '{Statement.ReviewStatus.SETTLED}'
            WHEN ss.consensus = '{DISPUTED}' THEN '{Statement.ReviewStatus.DISPUTED}'
            WHEN ss.rating_count > 0 THEN '{Statement.ReviewStatus.RATED}'
            WHEN a.statement_id IS NOT NULL THEN '{Statement.ReviewStatus.ASSIGNED}'
            ELSE '{Statement.ReviewStatus.NEW}'
        END
    """
    # An UPDATE ... FROM this query joined all statements to themselves (a million-row hash), for the usual
    # handful of rows or none.
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT st.id, st.review_status, {derived}
            FROM {STATEMENT} st
            LEFT JOIN {SUMMARY} ss ON ss.statement_id = st.id
            LEFT JOIN (SELECT DISTINCT statement_id FROM {ASSIGNMENT}) a ON a.statement_id = st.id
            WHERE st.review_status <> {derived}
            """
        )
        wrong = cursor.fetchall()
    moves: dict[tuple[str, str], list[int]] = {}
    for statement_id, was, status in wrong:
        moves.setdefault((was, status), []).append(statement_id)
    changed = 0
    for (was, status), ids in moves.items():
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            changed += Statement.objects.filter(pk__in=batch, review_status=was).update(review_status=status)
    return changed
