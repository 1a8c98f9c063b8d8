"""The triage board and the filtered lists at a million statements: queries, time, and whether PostgreSQL reads
each section through its index.

    python bench/triage_board.py [--statements 1000000] [--keep]

It builds its own database beside DATABASE_URL's (<name>_triage_bench, dropped first and after, unless --keep
leaves it for a rerun, which then skips the fill), migrates it, fills it in bulk with SQL (articles of 20
statements; 60% new, 20% assigned, 10% rated, 2% disputed, 8% settled; every 50th article wholly settled,
half of those published; one open assignment per statement in review with a due date spread over -1 to +8
days; 10,000 import jobs, 2% failed), then prints for the
board and for each list (first and a later page, with filter combinations) the number of queries, the best
of three wall times, and any sequential scan in the plans.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings.local")

PER_ARTICLE = 20
REVIEWERS = 20


def fill(statements: int) -> None:
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.utils import timezone

    from factcheck.accounts.roles import Role
    from reviews.services.summaries import article_summaries_recompute_all

    articles = statements // PER_ARTICLE
    group = Group.objects.get(name=Role.REVIEWER.value)
    reviewers = []
    for i in range(REVIEWERS):
        user = User.objects.create_user(username=f"bench_rev{i}", password=None)
        user.groups.add(group)
        reviewers.append(user.pk)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO articles_article (title, body, url, author, site_name, content_hash, created_at,
                                             statement_count)
               SELECT 'Story ' || i || ' about the council budget', 'Body.', '', '', 'site' || mod(i, 200),
                      md5(i::text), now() - (i || ' minutes')::interval, %s
               FROM generate_series(1, %s) i""",
            [PER_ARTICLE, articles],
        )
        # The status bucket: every 50th article wholly settled, else by a hash of the statement's place.
        cursor.execute(
            """INSERT INTO articles_statement (article_id, position, start, "end", text, score, score_reasons,
                                               scored_by, checkability, review_status)
               SELECT a.id, p, 0, 10,
                      'The council spent ' || mod(a.id * 7 + p, 997) || ' million on project ' || (a.id * 20 + p),
                      mod(a.id * 31 + p * 17, 1000) / 1000.0, '[]', 'bench',
                      CASE WHEN mod(a.id + p, 5) = 0 THEN 'not_checkable' ELSE 'checkable' END,
                      CASE WHEN mod(a.id, 50) = 0 THEN 'settled'
                           ELSE (ARRAY['new','new','new','new','new','new','new','new','new','new','new','new',
                                       'assigned','assigned','assigned','assigned','rated','rated',
                                       'settled', 'settled'])[1 + mod(a.id * 13 + p * 7, 20)]
                      END
               FROM articles_article a, generate_series(0, %s) p""",
            [PER_ARTICLE - 1],
        )
        cursor.execute(
            "UPDATE articles_statement SET review_status = 'disputed' WHERE review_status = 'rated' AND mod(id, 5) = 0"
        )
        cursor.execute(
            """INSERT INTO reviews_assignment (statement_id, reviewer_id, assigned_by_id, status, created_at, due_at,
                                               score)
               SELECT s.id, (%s::int[])[1 + mod(s.id, %s)], NULL,
                      CASE WHEN s.review_status = 'assigned' THEN 'assigned' ELSE 'done' END,
                      now() - interval '3 days',
                      CASE WHEN s.review_status = 'assigned'
                           THEN now() + (mod(s.id, 216) - 24 || ' hours')::interval
                           ELSE now() - interval '1 day' END,
                      s.score
               FROM articles_statement s WHERE s.review_status <> 'new'""",
            [reviewers, REVIEWERS],
        )
        cursor.execute(
            """INSERT INTO reviews_statementsummary (statement_id, rating_count, consensus, settled, editor_verdict,
                                                     settle_note, updated_at, team_snapshot)
               SELECT s.id, 2, CASE s.review_status WHEN 'disputed' THEN 'disputed' WHEN 'settled' THEN 'true'
                                                    ELSE 'pending' END,
                      s.review_status = 'settled', '', '', now() - (mod(s.id, 10000) || ' seconds')::interval, '[]'
               FROM articles_statement s WHERE s.review_status IN ('rated', 'disputed', 'settled')"""
        )
        now = timezone.now()
        cursor.execute(
            """INSERT INTO reviews_report (article_id, status, headline, summary, first_published_at, published_at,
                                           created_at, updated_at, credit_reviewers, tally)
               SELECT id, 'published', title, '', %s, %s, %s, %s, true, '{}'
               FROM articles_article WHERE mod(id, 100) = 0""",
            [now, now, now, now],
        )
        cursor.execute(
            """INSERT INTO articles_importjob (source, label, status, created_at, sources_total, sources_done,
                                               processed, succeeded, failed, duplicates, error)
               SELECT 'upload', 'job ' || i, CASE WHEN mod(i, 50) = 0 THEN 'failed' ELSE 'done' END,
                      now() - (i || ' minutes')::interval, 1, 1, 10,
                      10 - (mod(i, 50) = 0)::int, (mod(i, 50) = 0)::int, 0, ''
               FROM generate_series(1, 10000) i"""
        )
    article_summaries_recompute_all()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"filled {statements:,} statements in {articles:,} articles in {time.perf_counter() - start:.0f} s")


def measure(label: str, run) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    best = float("inf")
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - began)
    seq_scans = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            seq_scans += [line.strip() for line in plan.splitlines() if "Seq Scan" in line]
    scans = "; ".join(sorted(set(seq_scans))) or "none"
    print(f"{label:<62} {len(queries):>2} queries {best * 1000:8.1f} ms  seq scans: {scans}")


def bench_database_url(database_url: str) -> str:
    """Never the app's own database: always <name>_triage_bench beside it."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/") or "factcheck"
    if not name.endswith("_triage_bench"):
        name += "_triage_bench"
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin(database_url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    with psycopg.connect(
        host=parts.hostname or "127.0.0.1", port=parts.port or 5432, user=parts.username or "postgres",
        password=parts.password, dbname="postgres", autocommit=True, connect_timeout=3,
    ) as conn:  # fmt: skip
        conn.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--statements", type=int, default=20_000, help="size of the desk (default 20,000; the README quotes 1,000,000)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database for a rerun (which skips the fill)")
    args = parser.parse_args()
    source = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/factcheck")
    if not source.startswith("postgres"):
        print("skipped: this bench needs PostgreSQL (DATABASE_URL=postgres://...)")
        return
    url = bench_database_url(source)
    name = urlsplit(url).path.lstrip("/")
    if not args.keep:
        admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    with contextlib.suppress(Exception):  # it is there already: kept by a --keep run
        admin(url, f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    try:
        run(args.statements)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(statements: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from articles.models import Statement

    if not Statement.objects.exists():
        fill(statements)
    from factcheck.accounts.roles import Role
    from factcheck.accounts.selectors import members_with_role
    from factcheck.core.pagination import keyset_page
    from reviews.selectors import triage

    reviewer = members_with_role(Role.REVIEWER).order_by("pk").first()
    print(f"{Statement.objects.count():,} statements")
    measure("board: every section", lambda: triage.triage_board())

    F = triage.TriageFilters
    statement_cases = {
        "statements, no filter, by score": (F(), "score"),
        "statements, new + checkable, by score (board link)": (F(state="new", checkable_only=True), "score"),
        "statements, disputed (board link)": (F(state="disputed"), "score"),
        "statements, due soon (board link)": (F(due="soon"), "score"),
        "statements, reviewer + in review, newest": (F(reviewer_id=reviewer.pk, state="in_review"), "newest"),
        "statements, text 'council million', newest": (F(text="council million"), "newest"),
        "statements, source + score 0.5-0.9": (F(site="site7", score_min=0.5, score_max=0.9), "score"),
        "statements, published": (F(state="published"), "score"),
    }
    for label, (filters, order) in statement_cases.items():
        rows = triage.statements_for_triage(filters=filters)
        page = keyset_page(rows, order=triage.STATEMENT_ORDERS[order], size=25)
        measure(label, lambda rows=rows, order=order: list(keyset_page(rows, order=triage.STATEMENT_ORDERS[order])))
        if page.next_cursor:
            measure(
                label + ", page 2",
                lambda rows=rows, order=order, cursor=page.next_cursor: list(
                    keyset_page(rows, order=triage.STATEMENT_ORDERS[order], cursor=cursor)
                ),
            )
    article_cases = {
        "articles, no filter": F(),
        "articles, settled (board link)": F(state="settled"),
        "articles, disputed": F(state="disputed"),
        "articles, source": F(site="site7"),
        "articles, reviewer": F(reviewer_id=reviewer.pk),
        "articles, text 'budget'": F(text="budget"),
    }
    for label, filters in article_cases.items():
        rows = triage.articles_for_triage(filters=filters)
        measure(label, lambda rows=rows: list(keyset_page(rows, order=triage.ARTICLE_ORDER)))


if __name__ == "__main__":
    main()
