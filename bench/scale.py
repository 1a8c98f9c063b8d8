"""A year of a busy desk, measured: every page, the summaries and the export, against the targets of issue 14.

    python bench/scale.py [--statements 1000000] [--ratings 300000] [--articles 20000] [--reviewers 60]
                          [--assignments 600000] [--clients 16] [--requests 320] [--keep] [--reuse] [--full]

Builds the desk in a PostgreSQL database of its own (DATABASE_URL's server, database <name>_scale, so
factcheck_scale by default; created, migrated with `manage.py migrate`, dropped at the end unless --keep)
with COPY through psycopg 3: articles over a year (titles, sites, authors, dates) whose bodies are real news
sentences (../shared/data/news/fakenewscorpus_sample.csv, split with the app's splitter and scored with its
rules scorer), statements pointing into them with score, checkability and review status, users holding the
app's Role groups, two reviewers per assigned statement, ratings (verdicts drawn so that most pairs agree and
some dispute) with evidence links, editors' settlements of some disputes, published reports and the audit
events the services would have written. Article.statement_count and Statement.review_status are written as the
services keep them (reviews.verdicts.review_status). Then the app's own `recompute_summaries` fills the
statement, article and team summaries: timed, that is the full-recompute figure. A check compares what it
wrote with the pure rule (reviews.verdicts) applied to the ratings, statement by statement and article by
article.

Then it prints, for each page (URL names, reversed): the number of queries and the median time of the
in-process Django test client (after a warm-up, nothing around the request but a query counter and timer),
with the fastest run, the Python CPU and query time a request and the load average, and the first line of the
EXPLAIN (ANALYZE) plan of the page's most expensive query (captured in one more, untimed request) with its
costliest node; p50/p95/p99 latency with N logged-in clients (logged in through the login page, session cookie
and CSRF) against gunicorn with 2 workers and factcheck.settings.production; one rating's incremental path
(rating_submit, then every task it sends, run in this process as a worker would: the statement summary task
and the team figures task it queues); and the CSV and JSON exports' rows/s through gunicorn (three downloads
each: the first, and the median of the other two) and the worker's memory while it streams. Each figure
carries its target from the issue's table and "OVER TARGET" when it misses; the last line counts the figures
over target. The exit status is 0 unless the bench itself crashes: figures over target are information, not
failures.

Without size arguments (as `make bench` and .ci/run run it) it builds a small desk (20,000 statements, 6,000
ratings, 400 articles, 12 reviewers) with fewer clients and requests; --full forces the full size. --keep
leaves the database for --reuse, which measures it again without building (the recompute runs again, on filled
summaries, unless --no-recompute).
Skips, saying why, when ../shared or PostgreSQL is missing.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import csv
import hashlib
import http.client
import io
import json
import math
import os
import random
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NEWS = SHARED / "data" / "news" / "fakenewscorpus_sample.csv"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/factcheck"
PASSWORD = "Bench-scale-desk-2026"
DAY = 86400.0
HOUR = 3600.0

sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Sizes:
    statements: int
    ratings: int
    articles: int
    reviewers: int
    assignments: int


@dataclass(frozen=True)
class Load:
    clients: int
    requests: int  # per page, spread over the clients
    seconds: float  # per page: no new request starts after this
    reps: int  # single-client repetitions after the warm-up


FULL = Sizes(statements=1_000_000, ratings=300_000, articles=20_000, reviewers=60, assignments=600_000)
SMALL = Sizes(statements=20_000, ratings=6_000, articles=400, reviewers=12, assignments=12_000)
FULL_LOAD = Load(clients=16, requests=320, seconds=90.0, reps=5)
SMALL_LOAD = Load(clients=4, requests=24, seconds=5.0, reps=3)

# Issue 14's table.
TARGET_RECOMPUTE_S = 10.0  # for 300,000 ratings; scaled to the ratings built
TARGET_RECOMPUTE_RATINGS = 300_000
TARGET_INCREMENTAL_MS = 20.0
SUMMARY_TASKS = ("reviews.tasks.statement_summary_task", "reviews.tasks.team_summaries_task")
TARGET_LIST_MS = 50.0  # article list, overview
TARGET_QUEUE_MS = 30.0
TARGET_SEARCH_MS = 100.0  # the search page at 1,000,000 statements
SEARCH_TEXT = "government president"  # common words in the news sample: many matches to rank
TARGET_EXPORT_ROWS_S = 50_000
TARGET_P95_MS = 250.0
TARGET_QUERIES = 12
# "Memory flat": the streaming worker grows by at most this much between a tenth of the rows and the end.
FLAT_GROWTH_MB = 16.0

REVIEWERS_PER_STATEMENT = 2
REPORT_SHARE = 0.05  # of the articles with a publishable verdict, published before the bench starts
SETTLE_SHARE = 0.4  # of the disputed statements, settled by an editor
PARAGRAPH = 5  # sentences per paragraph in the generated bodies
GUNICORN_TIMEOUT_S = 600
SLOW_PAGE_S = 2.0  # a page slower than this single-client gets 3 repetitions, not --reps
EXPLAIN_CANDIDATES = 5
EXPORT_DOWNLOADS = 3  # each export through gunicorn: the first download, then repeats


# -- output ----------------------------------------------------------------------------------------


@dataclass
class Figure:
    label: str
    value: str
    target: str
    over: bool | None  # None: no target for it


class Figures:
    def __init__(self) -> None:
        self.items: list[Figure] = []

    def add(self, label: str, value: str, target: str = "", over: bool | None = None) -> None:
        figure = Figure(label, value, target, over)
        self.items.append(figure)
        verdict = "" if over is None else ("OVER TARGET" if over else "ok")
        print(f"  {label:<44} {value:>22}   {('target ' + target) if target else '(no target)':<26} {verdict}")
        sys.stdout.flush()

    @property
    def over(self) -> list[Figure]:
        return [f for f in self.items if f.over]

    @property
    def with_target(self) -> list[Figure]:
        return [f for f in self.items if f.over is not None]


def say(text: str = "") -> None:
    print(text, flush=True)


def section(title: str) -> None:
    """A heading with the machine's load average: figures from a busy machine read differently."""
    say()
    say(f"{title} (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:,.1f} s"


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def one_line(sql: str, limit: int = 150) -> str:
    sql = re.sub(r"\s+", " ", sql).strip()
    return sql if len(sql) <= limit else sql[: limit - 1] + "…"


# -- environment -----------------------------------------------------------------------------------


def bench_database_url(database_url: str) -> str:
    """The bench drops its database when done, so never the app's own: always <name>_scale beside it."""
    name = urlsplit(database_url).path.lstrip("/") or "factcheck"
    return urlunsplit(urlsplit(database_url)._replace(path=f"/{name}_scale"))


def database_name(database_url: str) -> str:
    return urlsplit(database_url).path.lstrip("/")


def safe_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return urlunsplit(parts)


def admin_connect(database_url: str, dbname: str = "postgres"):
    import psycopg

    parts = urlsplit(database_url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname=dbname,
        autocommit=True,
        connect_timeout=3,
    )


def unavailable(database_url: str) -> str:
    """Why the bench can't run here, or "" when it can."""
    if not NEWS.is_file():
        return f"{NEWS} (the shared test data) is not present"
    if not urlsplit(database_url).scheme.startswith("postgres"):
        return f"DATABASE_URL must point at PostgreSQL for this bench, not {urlsplit(database_url).scheme}"
    try:
        admin_connect(database_url).close()
    except Exception as exc:
        return f"PostgreSQL is not reachable at {safe_url(database_url)} ({str(exc).strip().splitlines()[0]})"
    return ""


def recreate_database(database_url: str) -> None:
    name = database_name(database_url)
    with admin_connect(database_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_exists(database_url: str) -> bool:
    with admin_connect(database_url) as conn:
        return bool(
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database_name(database_url)]).fetchone()
        )


def drop_database(database_url: str) -> None:
    with admin_connect(database_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database_name(database_url)}" WITH (FORCE)')


def app_version() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {head[:90]}" + (f" (+ uncommitted changes in {len(dirty)} files)" if dirty else "")


def proc_kb(pid: int, field_name: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field_name}:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return 0


# -- the sentences ---------------------------------------------------------------------------------


def esc(text: str) -> str:
    """A value for COPY's text format."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def ts(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(sep=" ")


@dataclass
class Pool:
    """Real news sentences, split and scored by the app's own pure modules, ready for COPY."""

    raw: list[str]
    text: list[str]  # escaped
    score: list[str]
    reasons: list[str]  # JSON, escaped
    checkability: list[str]
    scored_by: str
    sources: list[dict[str, str]]  # title, site, author, slug of each sample article

    def __len__(self) -> int:
        return len(self.raw)


def load_pool() -> Pool:
    from articles.checkworthiness import DEFAULT_MODEL_NAME, score_statements
    from articles.services.scoring import initial_checkability
    from articles.splitting import split_statements

    csv.field_size_limit(sys.maxsize)
    with NEWS.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["content"].strip()]
    raw = []
    for row in rows:
        for span in split_statements(row["content"]):
            text = span.text.strip()
            if 20 <= len(text) <= 400 and text == span.text:
                raw.append(text)
    scores = score_statements(raw)
    sources = []
    for row in rows:
        title = (row.get("title") or "").strip() or "Untitled"
        sources.append(
            {
                "title": esc(title[:480]),
                "site": esc((row.get("domain") or "news.example.org")[:200]),
                "author": esc((row.get("authors") or "")[:300]),
                "slug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "story",
            }
        )
    return Pool(
        raw=raw,
        text=[esc(t) for t in raw],
        score=[repr(min(1.0, max(0.0, float(s.score)))) for s in scores],
        reasons=[esc(json.dumps(list(s.reasons))) for s in scores],
        checkability=[str(initial_checkability(float(s.score))) for s in scores],
        scored_by=DEFAULT_MODEL_NAME,
        sources=sources,
    )


# -- the plan --------------------------------------------------------------------------------------


class Reviewed:
    """One assigned statement: its reviewers (the first `len(verdicts)` of them rated), times and outcome."""

    __slots__ = (
        "statement",
        "article",
        "reviewers",
        "assigned_by",
        "assigned_at",
        "verdicts",
        "confidence",
        "rated_at",
        "consensus",
        "settle",
        "status",
    )

    def __init__(self, **values) -> None:
        for name, value in values.items():
            setattr(self, name, value)


@dataclass
class Plan:
    sizes: Sizes
    now: float
    counts: list[int]  # statements per article
    first_id: list[int]  # id of each article's first statement
    offsets: list[int]  # each article's first sentence in the pool
    times: list[float]  # each article's import time
    reviewed: list[Reviewed]
    status: bytearray  # statement id -> index into STATUSES
    reports: list[int]  # article ids published before the bench
    per_statement: int

    def article_of(self, statement_id: int) -> int:
        return bisect.bisect_right(self.first_id, statement_id) - 1


STATUSES = ["new", "assigned", "rated", "disputed", "settled"]
RATIONALES = [
    "The figure matches the official statistics for that year.",
    "The cited report says something different; the number is from an older edition.",
    "No public record supports this; the source quoted is an anonymous post.",
    "The quote is accurate but leaves out the context that changes its meaning.",
    "Checked against the court filing and the agency's press release.",
    "The comparison mixes two different measures, so the claim overstates the change.",
    "Partly right: the trend is real, the size of it is not.",
    "The event happened, but on a different date and with fewer people.",
    "An opinion, not a checkable claim.",
    "Primary sources agree with the statement.",
]
EVIDENCE_SITES = [
    "www.bls.gov",
    "www.census.gov",
    "apnews.com",
    "www.reuters.com",
    "en.wikipedia.org",
    "data.worldbank.org",
]


def spread(total: int, parts: int, rng: random.Random) -> list[int]:
    """`parts` counts around the mean that add up to `total`."""
    base, extra = divmod(total, parts)
    counts = [base + (1 if i < extra else 0) for i in range(parts)]
    swing = base // 3
    if swing:
        for i in range(parts):
            move = rng.randint(-swing, swing)
            j = (i + 1) % parts
            if counts[i] + move >= 1 and counts[j] - move >= 1:
                counts[i] += move
                counts[j] -= move
    return counts


def rating_counts(assigned: int, per_statement: int, ratings: int, rng: random.Random) -> list[int]:
    """How many ratings each assigned statement has: most fully rated or not at all, a fifth half-way."""
    ratings = min(ratings, assigned * per_statement)
    partial = min(round(0.2 * assigned), ratings)
    full = min((ratings - partial) // per_statement, assigned - partial)
    full = min(max(full, ratings - assigned * (per_statement - 1), 0), assigned)
    counts = [per_statement] * full + [0] * (assigned - full)
    rest = ratings - full * per_statement
    for level in range(1, per_statement):
        for j in range(full, assigned):
            if not rest:
                break
            if counts[j] < level:
                counts[j] += 1
                rest -= 1
    rng.shuffle(counts)
    return counts


def draw_verdicts(rng: random.Random, n: int, ordinal: list[str], step: dict[str, int]) -> list[str]:
    """A statement's verdicts: the first reviewer's, then colleagues who mostly agree within a step."""
    u = rng.random()
    if u < 0.06:
        base = "unverifiable"
    elif u < 0.08:
        base = "not_checkable"
    else:
        base = ordinal[rng.choices(range(6), (12, 16, 20, 20, 20, 6))[0]]
    out = [base]
    for _ in range(n - 1):
        if base not in step:
            out.append(base if rng.random() < 0.75 else ordinal[rng.randrange(6)])
            continue
        u = rng.random()
        if u < 0.55:
            move = 0
        elif u < 0.85:
            move = rng.choice((-1, 1))
        elif u < 0.95:
            move = rng.choice((-3, -2, 2, 3))
        else:
            out.append("unverifiable")
            continue
        out.append(ordinal[min(5, max(0, step[base] + move))])
    return out


def make_plan(sizes: Sizes, pool: Pool, rng: random.Random, now: float, n_editors: int) -> Plan:
    from reviews import verdicts

    ordinal = [v.value for v in verdicts.ORDINAL_SCALE]
    step = {v.value: i for i, v in enumerate(verdicts.ORDINAL_SCALE)}
    n_articles, n_statements = sizes.articles, sizes.statements
    counts = spread(n_statements, n_articles, rng)
    first_id, next_id = [], 1
    for count in counts:
        first_id.append(next_id)
        next_id += count
    offsets = [rng.randrange(len(pool)) for _ in range(n_articles)]
    start, span = now - 365 * DAY, 364 * DAY
    times = [start + (i + rng.random()) * span / n_articles for i in range(n_articles)]

    per_statement = min(sizes.reviewers, max(REVIEWERS_PER_STATEMENT, math.ceil(sizes.assignments / n_statements)))
    n_assigned = min(n_statements, sizes.assignments // per_statement)
    checkable = [c == "checkable" for c in pool.checkability]
    candidates = [
        first_id[a] + p for a in range(n_articles) for p in range(counts[a]) if checkable[(offsets[a] + p) % len(pool)]
    ]
    if len(candidates) < n_assigned:
        candidates = list(range(1, n_statements + 1))
    chosen = sorted(rng.sample(candidates, n_assigned))
    del candidates
    rated = rating_counts(n_assigned, per_statement, sizes.ratings, rng)

    status = bytearray(n_statements + 1)  # 0 = new
    reviewed: list[Reviewed] = []
    publishable_articles: set[int] = set()
    for statement_id, n_rated in zip(chosen, rated, strict=True):
        article = bisect.bisect_right(first_id, statement_id) - 1
        assigned_at = [
            min(times[article] + rng.uniform(0.5 * HOUR, 72 * HOUR), now - 600) for _ in range(per_statement)
        ]
        given = draw_verdicts(rng, n_rated, ordinal, step) if n_rated else []
        rated_at = [min(assigned_at[i] + rng.uniform(0.2 * HOUR, 120 * HOUR), now - 60) for i in range(n_rated)]
        consensus = verdicts.consensus(given)
        settle = None
        if consensus == verdicts.DISPUTED and rng.random() < SETTLE_SHARE:
            settle = (
                rng.randrange(n_editors),
                rng.choice(given),
                min(max(rated_at) + rng.uniform(HOUR, 72 * HOUR), now - 30),
            )
        editor_verdict = settle[1] if settle else ""
        review_status = verdicts.review_status(
            assigned=True, rating_count=n_rated, consensus=consensus, editor_verdict=editor_verdict
        )
        status[statement_id] = STATUSES.index(review_status)
        final = editor_verdict or consensus
        if review_status == "settled" and final != verdicts.Verdict.NOT_CHECKABLE.value:
            publishable_articles.add(article)
        reviewed.append(
            Reviewed(
                statement=statement_id,
                article=article,
                reviewers=rng.sample(range(sizes.reviewers), per_statement),
                assigned_by=rng.randrange(n_editors),
                assigned_at=assigned_at,
                verdicts=given,
                confidence=[rng.choice((2, 3, 3, 4, 4, 4, 5)) for _ in given],
                rated_at=rated_at,
                consensus=consensus,
                settle=settle,
                status=review_status,
            )
        )
    published = sorted(publishable_articles)
    reports = sorted(rng.sample(published, max(1, round(REPORT_SHARE * len(published))))) if published else []
    return Plan(sizes, now, counts, first_id, offsets, times, reviewed, status, [a + 1 for a in reports], per_statement)


# -- loading ---------------------------------------------------------------------------------------


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        return esc(json.dumps(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return esc(str(value))


class Copier:
    """COPY rows into the app's tables, naming columns by model field. A NOT NULL column the bench does not
    know (a field added since it was written) gets the field's default, with a warning, or stops the build."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.copied: list[str] = []

    def _unknown_columns(self, model, columns: list[str]) -> tuple[list[str], list[str]]:
        from django.db import connection

        table = model._meta.db_table
        rows = self.conn.execute(
            "SELECT column_name, is_nullable, column_default, is_identity FROM information_schema.columns "
            "WHERE table_name = %s AND table_schema = current_schema()",
            [table],
        ).fetchall()
        fields = {f.column: f for f in model._meta.concrete_fields}
        extra_columns, extra_values = [], []
        for name, nullable, default, identity in rows:
            if name in columns or nullable == "YES" or default is not None or identity == "YES":
                continue
            model_field = fields.get(name)
            if model_field is None or not model_field.has_default():
                raise RuntimeError(
                    f"{table}.{name} is NOT NULL without a default and bench/scale.py does not fill it: "
                    "teach build_desk() its value"
                )
            value = model_field.get_default()
            if not isinstance(value, (dict, list)):  # JSON defaults are written as JSON text by _copy_value
                value = model_field.get_db_prep_save(value, connection)
            extra_columns.append(name)
            extra_values.append(_copy_value(value))
            say(f"  warning: {table}.{name} is not written by the bench; every row gets its default {value!r}")
        return extra_columns, extra_values

    def copy(self, model, field_names: list[str], lines) -> int:
        columns = [model._meta.get_field(name).column for name in field_names]
        extra_columns, extra_values = self._unknown_columns(model, columns)
        suffix = "".join("\t" + value for value in extra_values)
        table = model._meta.db_table
        column_list = ", ".join(f'"{c}"' for c in columns + extra_columns)
        # Indexes that back no constraint (the search vectors' GIN indexes above all) are built once after the
        # rows are in, not kept up to date row by row: several times faster for a million statements.
        indexes = self.conn.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = %s::regclass AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [table],
        ).fetchall()
        for name, _ in indexes:
            self.conn.execute(f"DROP INDEX {name}")
        count, buffer, size = 0, [], 0
        with self.conn.cursor() as cursor, cursor.copy(f'COPY "{table}" ({column_list}) FROM STDIN') as copy:
            for line in lines:
                line = line + suffix
                buffer.append(line)
                size += len(line)
                count += 1
                if size > 1 << 20:
                    copy.write("\n".join(buffer) + "\n")
                    buffer, size = [], 0
            if buffer:
                copy.write("\n".join(buffer) + "\n")
        self.conn.commit()  # first: the deferred foreign-key checks must run before an index can be built
        for _, definition in indexes:
            self.conn.execute(definition)
        self.conn.commit()
        self.copied.append(table)
        return count

    def reset_sequences(self) -> None:
        for table in self.copied:
            self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608
                f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"), false)'
            )
        self.conn.commit()


@dataclass
class People:
    admins: list  # User objects
    editors: list
    reviewers: list


def create_people(sizes: Sizes, n_editors: int, now: float) -> People:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from factcheck.accounts.roles import Role

    User = get_user_model()
    password = make_password(PASSWORD)  # one hash for all: hashing 70 passwords would take half a minute
    joined = datetime.fromtimestamp(now - 370 * DAY, UTC)

    def person(username: str, first: str, last: str) -> object:
        return User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@desk.example.org",
            password=password,
            date_joined=joined,
        )

    roles = {
        Role.ADMIN: [person(f"admin{i + 1}", "Admin", f"Number {i + 1}") for i in range(2)],
        Role.EDITOR: [person(f"editor{i + 1:02d}", "Editor", f"Number {i + 1}") for i in range(n_editors)],
        Role.REVIEWER: [person(f"reviewer{i + 1:03d}", "Reviewer", f"Number {i + 1}") for i in range(sizes.reviewers)],
    }
    membership = []
    for role, users in roles.items():
        User.objects.bulk_create(users)
        group = Group.objects.get(name=role.value)
        membership += [User.groups.through(user_id=u.pk, group_id=group.pk) for u in users]
    User.groups.through.objects.bulk_create(membership)
    return People(admins=roles[Role.ADMIN], editors=roles[Role.EDITOR], reviewers=roles[Role.REVIEWER])


def article_lines(plan: Plan, pool: Pool, admin_id: int):
    n = len(pool)
    for a, count in enumerate(plan.counts):
        source = pool.sources[plan.offsets[a] % len(pool.sources)]
        parts = []
        for p in range(count):
            parts.append(pool.text[(plan.offsets[a] + p) % n])
            if p < count - 1:
                parts.append("\\n\\n" if (p + 1) % PARAGRAPH == 0 else " ")
        created = plan.times[a]
        published = datetime.fromtimestamp(created - (a % 3) * DAY, UTC).date().isoformat()
        when = datetime.fromtimestamp(created, UTC)
        url = f"https://{source['site']}/{when:%Y/%m}/{source['slug']}-{a + 1}"
        digest = hashlib.sha256(f"bench-scale-article-{a + 1}".encode()).hexdigest()
        yield "\t".join(
            (
                str(a + 1),
                source["title"],
                "".join(parts),
                url,
                source["author"],
                published,
                source["site"],
                digest,
                str(admin_id),
                ts(created),
                str(count),
            )
        )


def statement_lines(plan: Plan, pool: Pool):
    n, status = len(pool), plan.status
    statement_id = 0
    for a, count in enumerate(plan.counts):
        cursor = 0
        for p in range(count):
            statement_id += 1
            k = (plan.offsets[a] + p) % n
            length = len(pool.raw[k])
            yield (
                f"{statement_id}\t{a + 1}\t{p}\t{cursor}\t{cursor + length}\t{pool.text[k]}\t{pool.score[k]}\t"
                f"{pool.reasons[k]}\t{pool.scored_by}\t{pool.checkability[k]}\t{STATUSES[status[statement_id]]}"
            )
            cursor += length + (2 if (p + 1) % PARAGRAPH == 0 else 1)


def build_desk(database_url: str, sizes: Sizes, seed: int) -> dict[str, float]:
    """Build the desk; returns the time each step took."""
    from django.conf import settings as django_settings

    from articles.models import Article, Statement
    from factcheck.audit.models import AuditEvent
    from reviews import audit_actions as actions
    from reviews.models import Assignment, EvidenceLink, Rating, Report, StatementSummary

    steps: dict[str, float] = {}
    rng = random.Random(seed)
    now = time.time()
    n_editors = max(2, sizes.reviewers // 10)

    t = time.perf_counter()
    pool = load_pool()
    steps[f"{len(pool):,} sentences split and scored"] = time.perf_counter() - t
    t = time.perf_counter()
    people = create_people(sizes, n_editors, now)
    plan = make_plan(sizes, pool, rng, now, n_editors)
    steps["users and plan"] = time.perf_counter() - t

    admin_id = people.admins[0].pk
    editor_ids = [u.pk for u in people.editors]
    reviewer_ids = [u.pk for u in people.reviewers]
    reviewer_names = [u.username for u in people.reviewers]
    statement_label, article_label = Statement._meta.label_lower, Article._meta.label_lower
    report_label = Report._meta.label_lower

    conn = admin_connect(database_url, dbname=database_name(database_url))
    conn.autocommit = False
    conn.execute("SET maintenance_work_mem = '256MB'")  # for the indexes built after each COPY (this session only)
    copier = Copier(conn)

    def timed(model, fields: str, lines) -> None:
        started = time.perf_counter()
        rows = copier.copy(model, fields.split(), lines)
        steps[f"{model._meta.db_table} ({rows:,} rows)"] = time.perf_counter() - started

    timed(
        Article,
        "id title body url author published site_name content_hash imported_by created_at statement_count",
        article_lines(plan, pool, admin_id),
    )
    timed(
        Statement,
        "id article position start end text score score_reasons scored_by checkability review_status",
        statement_lines(plan, pool),
    )

    # Each assignment due the desk's default time after it was made (most old open ones are overdue by now).
    due_hours = float(getattr(django_settings, "ASSIGNMENT_DEFAULT_DUE_HOURS", 72))

    def assignment_lines():
        pk = 0
        for r in plan.reviewed:
            for i, reviewer in enumerate(r.reviewers):
                pk += 1
                done = "done" if i < len(r.verdicts) else "assigned"
                yield (
                    f"{pk}\t{r.statement}\t{reviewer_ids[reviewer]}\t{editor_ids[r.assigned_by]}\t{done}\t"
                    f"{ts(r.assigned_at[i])}\t{ts(r.assigned_at[i] + due_hours * HOUR)}\t{score_of(r.statement)}"
                )

    def score_of(statement_id: int) -> str:
        """The statement's score, which the assignment carries for the queue's index."""
        a = plan.article_of(statement_id)
        return pool.score[(plan.offsets[a] + statement_id - plan.first_id[a]) % len(pool)]

    timed(
        Assignment,
        "id statement reviewer assigned_by status created_at due_at score",
        assignment_lines(),
    )

    rationales = [esc(text) for text in RATIONALES]

    def rating_lines():
        pk = 0
        for r in plan.reviewed:
            for i, verdict in enumerate(r.verdicts):
                pk += 1
                when = ts(r.rated_at[i])
                rationale = (
                    ""
                    if verdict == "not_checkable" and pk % 2
                    else rationales[(pk * 7 + r.statement) % len(rationales)]
                )
                yield (
                    f"{pk}\t{r.statement}\t{reviewer_ids[r.reviewers[i]]}\t{verdict}\t{verdict}\t"
                    f"{r.confidence[i]}\t{rationale}\t{when}\t{when}"
                )

    timed(
        Rating,
        "id statement reviewer verdict blind_verdict confidence rationale created_at updated_at",
        rating_lines(),
    )

    def evidence_lines():
        pk = rating = 0
        for r in plan.reviewed:
            for verdict in r.verdicts:
                rating += 1
                if verdict == "not_checkable":
                    continue
                links = (0, 1, 1, 1, 2)[rating % 5]
                for position in range(links):
                    pk += 1
                    site = EVIDENCE_SITES[(rating + position) % len(EVIDENCE_SITES)]
                    note = "Primary source" if position == 0 else ""
                    yield f"{pk}\t{rating}\thttps://{site}/evidence/{rating}-{position}\t{note}\t{position}"

    timed(EvidenceLink, "id rating url note position", evidence_lines())

    def settled_summary_lines():
        pk = 0
        for r in plan.reviewed:
            if r.settle:
                pk += 1
                editor, verdict, when = r.settle
                yield (
                    f"{pk}\t{r.statement}\t{len(r.verdicts)}\t{r.consensus}\tt\t{verdict}\t{editor_ids[editor]}\t"
                    f"Settled after reading the sources both reviewers cited.\t{ts(when)}"
                )

    timed(
        StatementSummary,
        "id statement rating_count consensus settled editor_verdict settled_by settle_note updated_at",
        settled_summary_lines(),
    )

    sources = pool.sources

    def report_lines():
        for pk, article_id in enumerate(plan.reports, start=1):
            a = article_id - 1
            title = sources[plan.offsets[a] % len(sources)]["title"]
            when = ts(min(plan.times[a] + 10 * DAY, now - 600))
            yield (
                f"{pk}\t{article_id}\tpublished\tFact-check: {title[:280]}\tWhat our reviewers found.\t{when}\t{when}\t"
                f"{editor_ids[pk % len(editor_ids)]}\t{when}\t{when}"
            )

    timed(
        Report,
        "id article status headline summary first_published_at published_at published_by created_at updated_at",
        report_lines(),
    )

    def audit_lines():
        pk = 0
        assigned = esc(json.dumps({}))
        for r in plan.reviewed:
            parent = r.article + 1
            for i, reviewer in enumerate(r.reviewers):
                pk += 1
                after = esc(json.dumps({"reviewer": reviewer_names[reviewer]}))
                yield (
                    f"{pk}\t{editor_ids[r.assigned_by]}\t{actions.STATEMENT_ASSIGNED}\t{statement_label}\t{r.statement}\t"
                    f"{article_label}\t{parent}\t{assigned}\t{after}\t\t{ts(r.assigned_at[i])}"
                )
            for i, verdict in enumerate(r.verdicts):
                pk += 1
                before = esc(json.dumps({"status": "assigned"}))
                after = esc(json.dumps({"status": "done", "verdict": verdict}))
                yield (
                    f"{pk}\t{reviewer_ids[r.reviewers[i]]}\t{actions.STATEMENT_RATED}\t{statement_label}\t"
                    f"{r.statement}\t{article_label}\t{parent}\t{before}\t{after}\t\t{ts(r.rated_at[i])}"
                )
            if r.settle:
                pk += 1
                editor, verdict, when = r.settle
                before = esc(json.dumps({"review_status": "disputed", "verdict": r.consensus}))
                after = esc(json.dumps({"review_status": "settled", "verdict": verdict}))
                yield (
                    f"{pk}\t{editor_ids[editor]}\t{actions.STATEMENT_SETTLED}\t{statement_label}\t{r.statement}\t"
                    f"{article_label}\t{parent}\t{before}\t{after}\t"
                    f"Settled after reading the sources both reviewers cited.\t{ts(when)}"
                )
        for number, article_id in enumerate(plan.reports, start=1):
            pk += 1
            when = ts(min(plan.times[article_id - 1] + 10 * DAY, now - 600))
            yield (
                f"{pk}\t{editor_ids[number % len(editor_ids)]}\t{actions.REPORT_PUBLISHED}\t{report_label}\t{number}\t"
                f"{article_label}\t{article_id}\t{esc(json.dumps({'status': ''}))}\t"
                f"{esc(json.dumps({'status': 'published'}))}\t\t{when}"
            )

    timed(
        AuditEvent,
        "id actor action target_type target_id parent_type parent_id before after note created_at",
        audit_lines(),
    )
    copier.reset_sequences()
    conn.close()
    return steps


def vacuum_analyze(database_url: str) -> float:
    """What autovacuum would have done over a year: statistics for the planner, visibility maps."""
    started = time.perf_counter()
    with admin_connect(database_url, dbname=database_name(database_url)) as conn:
        conn.execute("VACUUM (ANALYZE)")
    return time.perf_counter() - started


# -- the summaries ---------------------------------------------------------------------------------


@contextlib.contextmanager
def counting_queries():
    """Count every query on Django's default connection (cheap enough for hundreds of thousands)."""
    from django.db import connection

    count = [0]

    def wrapper(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield count


def recompute_all() -> tuple[float, int, str, list[tuple[float, str]]]:
    """Run the full recompute; returns its time, query count, output and its slowest steps: each query with
    the time until the next one started (its execution, fetching, and the Python work on its rows)."""
    from django.core.management import call_command
    from django.db import connection

    out = io.StringIO()
    starts: list[tuple[float, str]] = []

    def wrapper(execute, sql, params, many, context):
        starts.append((time.perf_counter(), sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        started = time.perf_counter()
        call_command("recompute_summaries", stdout=out)
        elapsed = time.perf_counter() - started
    ends = [t for t, _ in starts[1:]] + [started + elapsed]
    steps = sorted(((end - t, sql) for (t, sql), end in zip(starts, ends, strict=True)), reverse=True)
    return elapsed, len(starts), out.getvalue().strip().replace("\n", " "), steps[:3]


def check_summaries() -> list[str]:
    """Compare the stored summaries and review statuses with the pure rule applied to the ratings; returns
    the mismatches found (empty when every statement and article agrees)."""
    from django.db import connection

    from articles.models import Article, Statement
    from reviews import verdicts
    from reviews.models import ArticleSummary, Assignment, Rating, StatementSummary

    given: dict[int, list[str]] = defaultdict(list)
    for statement_id, verdict in Rating.objects.values_list("statement_id", "verdict").iterator(chunk_size=20000):
        given[statement_id].append(verdict)
    editor = dict(StatementSummary.objects.exclude(editor_verdict="").values_list("statement_id", "editor_verdict"))
    assigned = set(Assignment.objects.values_list("statement_id", flat=True).distinct().iterator(chunk_size=20000))
    stored = {
        statement_id: (count, consensus, settled)
        for statement_id, count, consensus, settled in StatementSummary.objects.values_list(
            "statement_id", "rating_count", "consensus", "settled"
        ).iterator(chunk_size=20000)
    }
    problems: Counter[str] = Counter()
    examples: dict[str, int] = {}
    per_article: dict[int, Counter] = defaultdict(Counter)

    def wrong(kind: str, statement_id: int) -> None:
        problems[kind] += 1
        examples.setdefault(kind, statement_id)

    rows = Statement.objects.order_by().values_list("pk", "article_id", "review_status")
    for statement_id, article_id, status in rows.iterator(chunk_size=20000):
        values = given.get(statement_id, [])
        editor_verdict = editor.get(statement_id, "")
        consensus = verdicts.consensus(values)
        expected_status = verdicts.review_status(
            assigned=statement_id in assigned,
            rating_count=len(values),
            consensus=consensus,
            editor_verdict=editor_verdict,
        )
        if status != expected_status:
            wrong(f"review_status (e.g. {expected_status} expected)", statement_id)
        if values or editor_verdict:
            settled = bool(editor_verdict) or verdicts.is_settled(consensus)
            row = stored.get(statement_id)
            if row is None:
                wrong("statement summary missing", statement_id)
            elif row != (len(values), consensus, settled):
                wrong("statement summary differs", statement_id)
            tally = per_article[article_id]
            tally["rated"] += bool(values)
            if settled:
                tally["settled"] += 1
                tally["final:" + (editor_verdict or consensus)] += 1
            elif consensus == verdicts.DISPUTED:
                tally["disputed"] += 1
    articles = ArticleSummary.objects.values_list(
        "article_id", "rated_count", "settled_count", "disputed_count", "distribution"
    )
    seen = 0
    for article_id, rated, settled, disputed, distribution in articles.iterator(chunk_size=20000):
        seen += 1
        tally = per_article.get(article_id, Counter())
        expected = {k[6:]: v for k, v in tally.items() if k.startswith("final:")}
        if (rated, settled, disputed) != (tally["rated"], tally["settled"], tally["disputed"]) or {
            k: v for k, v in (distribution or {}).items() if v
        } != expected:
            wrong("article summary differs", article_id)
    missing_articles = Article.objects.count() - seen
    if missing_articles:
        problems["article summary missing"] += missing_articles
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT count(*) FROM "{Article._meta.db_table}" a WHERE a.statement_count <> '  # noqa: S608
            f'(SELECT count(*) FROM "{Statement._meta.db_table}" s WHERE s.article_id = a.id)'
        )
        bad_counts = cursor.fetchone()[0]
    if bad_counts:
        problems["Article.statement_count differs"] += bad_counts
    return [
        f"{kind}: {n:,}" + (f" (e.g. id {examples[kind]})" if kind in examples else "") for kind, n in problems.items()
    ]


# -- in-process pages ------------------------------------------------------------------------------


@dataclass
class Page:
    key: str
    label: str
    role: str  # editor, admin, reviewer, anonymous
    path: str
    target_ms: float | None = None
    reviewer_paths: list[str] | None = None  # per load client, for pages of the client's own reviewer
    load_requests: int | None = None  # fewer requests under load (the export)
    load_target: bool = True


@dataclass
class PageResult:
    page: Page
    status: int | str = 0
    queries: int = 0
    median: float = 0.0
    runs: int = 0
    size: int = 0
    sql_seconds: float = 0.0  # the median of the runs' time in executing queries (their round trips included)
    cpu_median: float = 0.0  # this process's CPU time per request: what the page costs whatever the load
    fastest: float = 0.0
    load: float = 0.0  # the machine's load average after the runs: a median at load 4 is about twice one at 2
    slowest_sql: str = ""
    slowest_ms: float = 0.0
    plan_top: str = ""
    plan_hot: str = ""
    error: str = ""


def capture_tasks():
    """Tasks are never sent anywhere by this process: every apply_async/send_task is kept in `sent`, so the
    incremental measurement can run them itself, as a worker would."""
    from celery import Celery
    from celery.app.task import Task

    sent: list[tuple[object, tuple]] = []

    def apply_async(self, args=None, kwargs=None, **options):
        sent.append((self, tuple(args or ())))

    def send_task(self, name, args=None, kwargs=None, **options):
        sent.append((self.tasks[name], tuple(args or ())))

    Task.apply_async = apply_async
    Celery.send_task = send_task
    return sent


def get_page(client, path: str) -> tuple[int, int]:
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return response.status_code, len(body)


DECLARE = re.compile(r"^\s*DECLARE\s+\S+\s+(?:NO\s+)?(?:SCROLL\s+)?CURSOR\s+(?:WITH(?:OUT)?\s+HOLD\s+)?FOR\s+", re.I)
ACTUAL = re.compile(r"actual time=([\d.]+)\.\.([\d.]+) rows=\d+ loops=(\d+)")


def hottest_node(lines: list[str]) -> tuple[str, float]:
    """The plan node with the most time of its own (its time minus its children's), from EXPLAIN ANALYZE text."""
    nodes = []  # (indent, total ms, line)
    for i, line in enumerate(lines):
        if i and "->" not in line:
            label = re.match(r"(\s*)(?:InitPlan|SubPlan|CTE) ", line)
            if label:  # a subplan's label closes the subtrees above it; it has no time of its own
                nodes.append((len(label.group(1)), 0.0, ""))
            continue
        match = ACTUAL.search(line)
        total = float(match.group(2)) * int(match.group(3)) if match else 0.0
        nodes.append((0 if i == 0 else line.index("->"), total, line.strip()))
    best, best_own = "", -1.0
    for i, (indent, total, line) in enumerate(nodes):
        subtree = []
        for node in nodes[i + 1 :]:
            if node[0] <= indent:
                break
            subtree.append(node)
        child_indent = min((node[0] for node in subtree), default=0)
        # Parallel workers' loops make this approximate; it points at the node, it is not a profile.
        own = max(total - sum(node[1] for node in subtree if node[0] == child_indent), 0.0)
        if own > best_own:
            best, best_own = line, own
    return best, best_own


def explain_slowest(captured: list[dict]) -> tuple[str, float, str, str]:
    """EXPLAIN ANALYZE the slowest SELECTs of a page (by the client's timing, plus any read through a
    server-side cursor, whose fetching the timing misses); returns the most expensive one's SQL, execution
    time, plan top line and costliest node."""
    from django.db import connection

    candidates = []
    for query in captured:
        sql = query.get("sql") or ""
        declared = bool(DECLARE.match(sql))
        sql = DECLARE.sub("", sql)
        if not re.match(r"\s*(SELECT|WITH)\b", sql, re.I):
            continue
        candidates.append((declared, float(query.get("time") or 0), sql))
    picked, seen = [], set()
    for declared, _, sql in sorted(candidates, key=lambda c: (not c[0], -c[1])):
        if sql not in seen and (declared or len(picked) < EXPLAIN_CANDIDATES):
            seen.add(sql)
            picked.append(sql)
    best = ("", -1.0, "", "")
    for sql in picked:
        try:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE) " + sql)
                lines = [row[0] for row in cursor.fetchall()]
        except Exception as exc:  # a query that can't be explained on its own: say so, keep going
            lines = [f"(EXPLAIN failed: {str(exc).strip().splitlines()[0]})", "Execution Time: 0 ms"]
        executed = next(
            (float(re.findall(r"[\d.]+", line)[0]) for line in lines if line.startswith("Execution Time")), 0.0
        )
        if executed > best[1]:
            node, own = hottest_node([line for line in lines if not line.startswith(("Planning", "Execution"))])
            best = (sql, executed, lines[0].strip(), f"{node}  [{own:,.1f} ms of its own]")
    return best


@contextlib.contextmanager
def timing_queries():
    """Count and time every query on Django's default connection, to the microsecond. The Django debug cursor's
    timings (CaptureQueriesContext) are rounded to the millisecond: a page's ten 0.3 ms queries summed as 0 or
    10 ms."""
    from django.db import connection

    spent = [0, 0.0]

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += 1
            spent[1] += time.perf_counter() - started

    with connection.execute_wrapper(wrapper):
        yield spent


def measure_page(page: Page, client, reps: int) -> PageResult:
    """The page's server time as a user gets it: after a warm-up, `reps` requests with nothing around them but
    a query counter; then one more request, not timed, under CaptureQueriesContext for the SQL to explain (its
    debug cursor formats every query's text, which is not the page's cost)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = PageResult(page)
    try:
        started = time.perf_counter()
        get_page(client, page.path)  # warm-up
        if time.perf_counter() - started > SLOW_PAGE_S:
            reps = min(reps, 3)
        times, cpu, sql = [], [], []
        for _ in range(reps):
            with timing_queries() as spent:
                started, cpu_started = time.perf_counter(), time.process_time()
                result.status, result.size = get_page(client, page.path)
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_started)
            result.queries = spent[0]
            sql.append(spent[1])
        result.load = os.getloadavg()[0]
        result.median, result.runs, result.cpu_median = statistics.median(times), len(times), statistics.median(cpu)
        result.fastest, result.sql_seconds = min(times), statistics.median(sql)
        with CaptureQueriesContext(connection) as context:
            get_page(client, page.path)
        result.slowest_sql, result.slowest_ms, result.plan_top, result.plan_hot = explain_slowest(
            list(context.captured_queries)
        )
    except Exception as exc:
        result.status = "error"
        result.error = "".join(traceback.format_exception_only(exc)).strip().splitlines()[-1]
    return result


def report_page(figures: Figures, result: PageResult) -> None:
    page = result.page
    if result.error or result.status != 200:
        figures.add(page.label, f"HTTP {result.status}", "200", True)
        if result.error:
            say(f"      {result.error}")
        return
    figures.add(f"{page.label}: queries", f"{result.queries}", f"≤ {TARGET_QUERIES}", result.queries > TARGET_QUERIES)
    value = f"{ms(result.median)} ({result.runs} runs)"
    if page.target_ms is None:
        figures.add(f"{page.label}: median", value)
    else:
        figures.add(f"{page.label}: median", value, f"≤ {page.target_ms:.0f} ms", result.median * 1000 > page.target_ms)
    say(
        f"      fastest {ms(result.fastest)}; Python CPU {ms(result.cpu_median)} a request, executing its queries "
        f"{ms(result.sql_seconds)} (medians); load average {result.load:.1f}"
    )
    if result.slowest_sql:
        say(
            f"      the slowest query, re-run under EXPLAIN ANALYZE, {result.slowest_ms:,.1f} ms: "
            f"{one_line(result.slowest_sql, 110)}"
        )
        say(f"      plan: {result.plan_top}")
        say(f"      costliest node: {result.plan_hot}")


# -- gunicorn and its clients ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_request(
    port: int, method: str, path: str, *, cookies: dict | None = None, form: dict | None = None, timeout: float = 600.0
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        jar = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            parsed = SimpleCookie()
            parsed.load(header)
            jar.update({name: morsel.value for name, morsel in parsed.items()})
        return response.status, jar, data
    finally:
        connection.close()


def log_in(port: int, login_path: str, username: str) -> dict[str, str]:
    """Through the real login page: GET for the CSRF cookie and token, POST the form, keep the session cookie."""
    status, cookies, body = http_request(port, "GET", login_path)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not token:
        raise RuntimeError(f"the login page answered HTTP {status} without a CSRF token")
    form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1).decode(), "next": ""}
    status, new, _ = http_request(port, "POST", login_path, cookies=cookies, form=form)
    if status != 302:
        raise RuntimeError(f"logging in {username} answered HTTP {status}, not a redirect")
    return {**cookies, **new}


class Server:
    """gunicorn with 2 workers and factcheck.settings.production (plus a STATIC_ROOT of its own)."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.log = log_path.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "factcheck.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                # gunicorn's default 30 s would kill a worker streaming a year's export on a busy machine (the
                # Dockerfile keeps that default: the bench says how long the export takes, see its figures).
                "--timeout",
                str(GUNICORN_TIMEOUT_S),
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, login_path: str, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.tail()}")
            try:
                if http_request(self.port, "GET", login_path, timeout=5)[0] == 200 and len(self.workers()) == 2:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.tail()}")

    def workers(self) -> list[int]:
        try:
            return [
                int(p) for p in Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
            ]
        except OSError:
            return []

    def tail(self, lines: int = 30) -> str:
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    wall: float = 0.0
    cut_short: bool = False


def run_load(port: int, page: Page, sessions: list[dict[str, dict]], requests: int, seconds: float) -> LoadResult:
    result = LoadResult()
    lock = threading.Lock()
    issued = [0]
    clients = len(sessions)
    barrier = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(index: int) -> None:
        path = page.reviewer_paths[index] if page.reviewer_paths else page.path
        cookies = sessions[index].get(page.role)
        barrier.wait()
        while True:
            with lock:
                if issued[0] >= requests:
                    return
                if time.perf_counter() > deadline[0]:
                    result.cut_short = True
                    return
                issued[0] += 1
            started = time.perf_counter()
            try:
                status, _, _ = http_request(port, "GET", path, cookies=cookies)
            except Exception as exc:  # a timeout or a reset connection is a failed request, not a crash
                status = type(exc).__name__
            elapsed = time.perf_counter() - started
            with lock:
                result.latencies.append(elapsed)
                if status != 200:
                    result.errors[str(status)] += 1

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    deadline[0] = started + seconds
    barrier.wait()
    for thread in threads:
        thread.join()
    result.wall = time.perf_counter() - started
    return result


@dataclass
class ExportResult:
    rows: int
    seconds: float
    megabytes: float
    status: int
    before_mb: float
    tenth_mb: float
    peak_mb: float
    hwm_mb: float
    first_chunk_s: float = 0.0  # until the first 64 KB: mostly the export's query, sorted, before a row is sent
    load: float = 0.0  # the machine's load average when the download ended

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds and self.status == 200 else 0.0


def stream_export(server: Server, path: str, cookies: dict[str, str], kind: str) -> ExportResult:
    """Download an export (CSV or JSON) through gunicorn, sampling both workers' resident memory as the bytes arrive."""
    workers = server.workers()
    received = [0]
    samples: list[tuple[int, dict[int, int]]] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            samples.append((received[0], {pid: proc_kb(pid, "VmRSS") for pid in workers}))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    time.sleep(0.1)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    response = connection.getresponse()
    first_chunk = 0.0
    chunks = []
    status = response.status
    while True:
        try:
            chunk = response.read(65536)
        except (OSError, http.client.HTTPException) as exc:  # cut off (a worker timeout): a failed figure
            say(f"      the download was cut off after {received[0]:,} bytes: {exc!r}")
            status = 0
            break
        if not chunk:
            break
        if not chunks:  # the header line comes at once; a whole first chunk waits for the query's first rows
            first_chunk = time.perf_counter() - started
        chunks.append(chunk)
        received[0] += len(chunk)
    elapsed = time.perf_counter() - started
    time.sleep(0.05)
    done.set()
    sampler.join()
    connection.close()
    body = b"".join(chunks)
    text = body.decode("utf-8", errors="replace")
    if kind == "JSON":
        try:
            rows = len(json.loads(text)) if status == 200 else 0
        except ValueError:
            rows = 0
    else:
        rows = max(sum(1 for _ in csv.reader(io.StringIO(text))) - 1, 0)
    # The worker that served it is the one whose memory moved.
    pid = max(workers, key=lambda p: max(s[1].get(p, 0) for s in samples) - samples[0][1].get(p, 0))
    before = samples[0][1].get(pid, 0)
    tenth = next((s[1].get(pid, 0) for s in samples if s[0] >= 0.1 * len(body)), before)
    peak = max(s[1].get(pid, 0) for s in samples)
    return ExportResult(
        rows,
        elapsed,
        len(body) / 1e6,
        status,
        before / 1024,
        tenth / 1024,
        peak / 1024,
        proc_kb(pid, "VmHWM") / 1024,
        first_chunk,
        os.getloadavg()[0],
    )


# -- main ------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int)
    parser.add_argument("--ratings", type=int)
    parser.add_argument("--articles", type=int)
    parser.add_argument("--reviewers", type=int)
    parser.add_argument("--assignments", type=int)
    parser.add_argument("--clients", type=int, help="concurrent logged-in clients (16; 4 small)")
    parser.add_argument("--requests", type=int, help="requests per page under load (320; 24 small)")
    parser.add_argument("--page-seconds", type=float, help="no new request for a page after this (90; 5 small)")
    parser.add_argument("--reps", type=int, help="single-client repetitions after a warm-up (5; 3 small)")
    parser.add_argument("--full", action="store_true", help="the full size of issue 14 without naming the sizes")
    parser.add_argument("--keep", action="store_true", help="keep the database for --reuse")
    parser.add_argument("--reuse", action="store_true", help="measure the desk a --keep run left, without building")
    parser.add_argument("--no-recompute", action="store_true", help="with --reuse: skip the full recompute")
    parser.add_argument("--seed", type=int, default=14)
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    say("$ python " + " ".join(shlex.quote(a) for a in [os.path.relpath(sys.argv[0], ROOT), *sys.argv[1:]]))
    sized = any(getattr(args, name) is not None for name in Sizes.__dataclass_fields__)
    # No size arguments: the small desk, so `make bench` (every bench/*.py, no arguments) stays a few minutes.
    small = not args.full and not sized
    preset, load = (SMALL, SMALL_LOAD) if small else (FULL, FULL_LOAD)
    sizes = Sizes(**{name: getattr(args, name) or getattr(preset, name) for name in Sizes.__dataclass_fields__})
    load = Load(
        clients=args.clients or load.clients,
        requests=args.requests or load.requests,
        seconds=args.page_seconds or load.seconds,
        reps=args.reps or load.reps,
    )
    if sizes.reviewers < REVIEWERS_PER_STATEMENT or min(sizes.statements, sizes.articles) < 1:
        say(f"error: the desk needs at least {REVIEWERS_PER_STATEMENT} reviewers, one article and one statement")
        return 2
    database_url = bench_database_url(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    reason = unavailable(database_url)
    if reason:
        say(f"skipped: {reason}")
        return 0
    if args.no_recompute and not args.reuse:
        say("error: --no-recompute needs --reuse: a new desk has no summaries until the recompute fills them")
        return 2
    if args.reuse and not database_exists(database_url):
        say(f"error: --reuse needs the database {database_name(database_url)} a --keep run left; there is none")
        return 2

    os.environ.pop("CELERY_BROKER_URL", None)  # nothing leaves this process or the web server for a broker
    env = {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings.local",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
        # The export's API rate (10 a minute per member) would refuse the bench's repeated downloads.
        "API_RATE_EXPORT": "10000/minute",
        "EMAIL_URL": "locmem://",  # the notification e-mails of the incremental path, kept in memory, not printed
    }
    os.environ.update(env)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a CI timeout still stops gunicorn and drops the db

    mode = "small (no size arguments)" if small else "full"
    desk = (
        f"{sizes.articles:,} articles, {sizes.statements:,} statements, {sizes.reviewers} reviewers, "
        f"{sizes.assignments:,} assignments, {sizes.ratings:,} ratings"
    )
    if args.reuse:  # the kept desk has the sizes it was built with; they are counted below
        mode, desk = "--reuse", "the kept desk"
    say(
        f"mode {mode}: {desk}; {load.clients} clients, {load.requests} requests per page "
        f"(at most {load.seconds:.0f} s each)"
    )
    say(
        f"app: {app_version()}; database {database_name(database_url)} on {urlsplit(database_url).hostname} "
        f"({'kept' if args.keep or args.reuse else 'dropped'} at the end); {os.cpu_count()} CPUs; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    figures = Figures()
    tmp = tempfile.TemporaryDirectory(prefix="bench-scale-")
    started_all = time.perf_counter()
    try:
        run(args, sizes, load, database_url, figures, Path(tmp.name))
    finally:
        from django.db import connections

        connections.close_all()
        if not (args.keep or args.reuse):
            drop_database(database_url)
        tmp.cleanup()
    section(f"done in {secs(time.perf_counter() - started_all)}")
    with_target = figures.with_target
    over = figures.over
    if over:
        say(f"over target ({len(over)} of {len(with_target)} figures with a target):")
        for figure in over:
            say(f"  {figure.label}: {figure.value} (target {figure.target})")
    else:
        say(f"all {len(with_target)} figures with a target hold")
    say(f"{len(over)} figures over target")
    return 0


def prefilled_claims(article) -> list:
    """The article's claims as the report editor prefills them, sent back unchanged (publishing needs them)."""
    from reviews.publishing.selectors import report_editor_claims
    from reviews.publishing.services import ClaimInput, SourceInput

    return [
        ClaimInput(
            statement_id=row.statement_id,
            verdict_seen=row.verdict,
            sources=tuple(SourceInput(**source) for source in row.values["sources"]),
            **{name: value for name, value in row.values.items() if name != "sources"},
        )
        for row in report_editor_claims(article=article)
    ]


def run(args, sizes: Sizes, load: Load, database_url: str, figures: Figures, tmp: Path) -> None:
    import django

    if not args.reuse:
        recreate_database(database_url)
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    sent = capture_tasks()

    # -- build
    section("building the desk")
    if not args.reuse:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        say(f"  manage.py migrate: {secs(time.perf_counter() - started)}")
        started = time.perf_counter()
        steps = build_desk(database_url, sizes, args.seed)
        for name, seconds in steps.items():
            say(f"  {name}: {secs(seconds)}")
        analyzed = vacuum_analyze(database_url)
        say(f"  VACUUM (ANALYZE): {secs(analyzed)}")
        say(f"  desk built in {secs(time.perf_counter() - started)} (without migrate)")
    else:
        say("  --reuse: measuring the desk a --keep run left")

    from articles.models import Article, Statement
    from reviews.models import Assignment, Rating, Report, StatementSummary

    User = get_user_model()
    n_ratings = Rating.objects.count()
    n_assignments = Assignment.objects.count()
    n_open = Assignment.objects.filter(status=Assignment.Status.ASSIGNED).count()
    say(
        f"  in the database: {Article.objects.count():,} articles, {Statement.objects.count():,} statements, "
        f"{n_assignments:,} assignments ({n_open:,} open), {n_ratings:,} ratings, "
        f"{StatementSummary.objects.exclude(editor_verdict='').count():,} settled by an editor, "
        f"{Report.objects.filter(status='published').count():,} published reports, {User.objects.count()} users"
    )

    # -- full recompute
    section("summaries")
    if args.no_recompute:
        say("  --no-recompute: the summaries the kept desk has are measured as they are")
    else:
        filled = StatementSummary.objects.filter(editor_verdict="").exists()
        elapsed, queries, output, slowest = recompute_all()
        target = max(TARGET_RECOMPUTE_S * n_ratings / TARGET_RECOMPUTE_RATINGS, 0.5)
        figures.add(
            f"recompute_summaries, full ({'summaries there' if filled else 'first fill'})",
            f"{secs(elapsed)}",
            f"≤ {target:,.1f} s ({n_ratings:,} ratings)",
            elapsed > target,
        )
        say(f"      {queries:,} queries; the command said: {output}")
        for seconds, sql in slowest:
            say(f"      {secs(seconds)} from: {one_line(sql, 130)}")
        say("      (target: 10 s for 300,000 ratings, scaled to the ratings here, at least 0.5 s)")
    started = time.perf_counter()
    problems = check_summaries()
    figures.add(
        "summaries agree with reviews.verdicts",
        "yes" if not problems else f"{len(problems)} kinds of mismatch",
        "every statement and article",
        bool(problems),
    )
    for problem in problems:
        say(f"      {problem}")
    say(f"      (checked in {secs(time.perf_counter() - started)})")
    say(f"  VACUUM (ANALYZE) after the recompute: {secs(vacuum_analyze(database_url))}")

    # -- what the pages show
    from factcheck.accounts.roles import Role
    from reviews.publishing import services as publishing
    from reviews.publishing.selectors import publishable_statements

    def members(role: Role):
        return list(User.objects.filter(groups__name=role.value, is_active=True).order_by("pk"))

    admins, editors, reviewers = members(Role.ADMIN), members(Role.EDITOR), members(Role.REVIEWER)
    busiest = Assignment.objects.values("reviewer_id").annotate(n=Count("pk")).order_by("-n", "reviewer_id").first()
    reviewer = User.objects.get(pk=busiest["reviewer_id"])
    queue_size = busiest["n"]
    open_of = {
        r.pk: Assignment.objects.filter(reviewer=r, status=Assignment.Status.ASSIGNED)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
        for r in reviewers
    }
    rating_assignment = open_of[reviewer.pk]
    disputed = (
        StatementSummary.objects.filter(consensus="disputed", settled=False)
        .order_by("statement_id")
        .values_list("statement_id", flat=True)
        .first()
        or Rating.objects.order_by("statement_id").values_list("statement_id", flat=True).first()
    )
    article_id = Statement.objects.get(pk=disputed).article_id
    report_article_id = (
        Statement.objects.filter(publishable_statements(), article_id=article_id)
        .values_list("article_id", flat=True)
        .first()
        or Statement.objects.filter(publishable_statements())
        .order_by("article_id")
        .values_list("article_id", flat=True)
        .first()
    )
    report_article = Article.objects.get(pk=report_article_id)
    report = publishing.report_publish(
        article=report_article,
        editor=editors[0],
        headline="Fact-check: what the desk found in this article",
        summary="Published by bench/scale.py.",
        claims=prefilled_claims(report_article),
    )

    from factcheck.core.pagination import cursor_after
    from reviews.selectors.triage import ARTICLE_ORDER
    from reviews.views import triage as list_views

    # The article list pages by keyset: its last page is the one after the cursor of the row before it.
    page_size = getattr(list_views, "PAGE_SIZE", 25)
    last_page = max(1, math.ceil(Article.objects.count() / page_size))
    before_last = Article.objects.order_by(*ARTICLE_ORDER).only(*(t.lstrip("-") for t in ARTICLE_ORDER))
    before_last = before_last[max((last_page - 1) * page_size - 1, 0)]
    last_query = f"?after={quote(cursor_after(before_last, order=ARTICLE_ORDER))}" if last_page > 1 else ""
    assignment_paths = [
        reverse("reviews:assignment_detail", args=[open_of[reviewers[i % len(reviewers)].pk] or 0])
        for i in range(load.clients)
    ]
    pages = [
        Page("overview", "desk overview", "editor", reverse("reviews:overview"), TARGET_LIST_MS),
        Page("list1", "article list, page 1", "editor", reverse("reviews:article_list"), TARGET_LIST_MS),
        Page(
            "listN",
            f"article list, last page ({last_page:,})",
            "editor",
            f"{reverse('reviews:article_list')}{last_query}",
            TARGET_LIST_MS,
        ),
        Page("article", "article page", "editor", reverse("reviews:article_detail", args=[article_id])),
        Page(
            "queue",
            f"reviewer queue ({queue_size:,} assignments)",
            "reviewer",
            reverse("reviews:queue"),
            TARGET_QUEUE_MS,
        ),
        Page(
            "rating",
            "rating page",
            "reviewer",
            reverse("reviews:assignment_detail", args=[rating_assignment or 0]),
            reviewer_paths=assignment_paths,
        ),
        Page("statement", "editor's statement page", "editor", reverse("reviews:statement_review", args=[disputed])),
        Page("reports", "public report list", "anonymous", reverse("reviews:report_list")),
        Page("report", "public report", "anonymous", reverse("reviews:report_detail", args=[report.pk])),
        Page(
            "search",
            "search page, statements",
            "editor",
            f"{reverse('reviews:search')}?{urlencode({'q': SEARCH_TEXT})}",
            TARGET_SEARCH_MS,
        ),
        Page(
            "search_articles",
            "search page, articles",
            "editor",
            f"{reverse('reviews:search')}?{urlencode({'q': SEARCH_TEXT, 'kind': 'articles'})}",
            TARGET_SEARCH_MS,
        ),
        Page(
            "search_reviewer",
            "search page, a reviewer's statements",
            "reviewer",
            f"{reverse('reviews:search')}?{urlencode({'q': SEARCH_TEXT})}",
            TARGET_SEARCH_MS,
        ),
        Page("team", "Team page", "admin", reverse("reviews:members")),
        Page("member", "Team member page", "admin", reverse("reviews:member_detail", args=[reviewer.pk])),
        Page("imports", "import list", "admin", reverse("articles:import_list")),
        Page("overdue", "overdue assignments", "editor", reverse("reviews:overdue")),
        Page("auto_assign", "auto-assign form", "editor", reverse("reviews:auto_assign")),
        Page("notifications", "notifications", "reviewer", reverse("notifications:list")),
        Page(
            "csv",
            "CSV export of verdicts",
            "editor",
            reverse("reviews:verdicts_csv"),
            load_requests=load.clients,
            load_target=False,
        ),
        Page(
            "json",
            "JSON export of verdicts (API)",
            "editor",
            reverse("api:export-verdicts-json"),
            load_requests=load.clients,
            load_target=False,
        ),
    ]
    exports = {"csv": "CSV", "json": "JSON"}

    section(
        f"pages, one client in-process (Django test client; median of {load.reps} after a warm-up, 3 when "
        f"slower than {SLOW_PAGE_S:.0f} s)"
    )
    say(
        f"  the queue's and rating page's reviewer is {reviewer.username}; article {article_id}; statement {disputed}; "
        f"report {report.pk}"
    )
    clients = {"anonymous": Client()}
    for role, user in (("editor", editors[0]), ("admin", admins[0]), ("reviewer", reviewer)):
        clients[role] = Client()
        clients[role].force_login(user)
    single = {}
    for page in pages:
        single[page.key] = result = measure_page(page, clients[page.role], load.reps)
        report_page(figures, result)

    # -- one rating, incrementally
    section("one rating's incremental path (rating_submit, then each task it sends, run here as a worker would)")
    measure_incremental(figures, reviewers, sent, reps=3)

    # -- through gunicorn
    section(f"{load.clients} concurrent logged-in clients through gunicorn (2 workers, factcheck.settings.production)")
    server = start_server(database_url, tmp)
    try:
        login_path = reverse("login")
        sessions = log_in_clients(server, login_path, load.clients, editors, admins, reviewers)
        for page in pages:  # each worker's first request of a page is not measured; the exports warm nothing
            for _ in range(0 if page.key in exports else 2):
                try:
                    http_request(server.port, "GET", page.path, cookies=sessions[0].get(page.role))
                except (OSError, http.client.HTTPException) as exc:
                    say(f"  warm-up of {page.label} failed: {exc!r}")
        for page in pages:
            if page.key not in exports:
                continue
            report_export(
                figures,
                exports[page.key],
                [
                    stream_export(server, page.path, sessions[0]["editor"], exports[page.key])
                    for _ in range(EXPORT_DOWNLOADS)
                ],
            )
        say(f"  {'page':<44} {'requests':>8} {'errors':>6} {'req/s':>6} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9}")
        for page in pages:
            requests = page.load_requests or load.requests
            result = run_load(server.port, page, sessions, requests, load.seconds)
            n = len(result.latencies)
            if not n:
                figures.add(
                    f"{page.label}: p95, {load.clients} clients", "no request done", f"≤ {TARGET_P95_MS:.0f} ms", True
                )
                continue
            p50, p95, p99 = (percentile(result.latencies, p) * 1000 for p in (50, 95, 99))
            errors = sum(result.errors.values())
            say(
                f"  {page.label:<44} {n:>8} {errors:>6} {n / result.wall:>6.1f} {p50:>9,.0f} {p95:>9,.0f} {p99:>9,.0f}"
                + ("  (time budget reached)" if result.cut_short else "")
            )
            if errors:
                say(f"      errors: {dict(result.errors)}")
            if page.load_target:
                figures.add(
                    f"{page.label}: p95, {load.clients} clients",
                    f"{p95:,.0f} ms",
                    f"≤ {TARGET_P95_MS:.0f} ms",
                    p95 > TARGET_P95_MS or errors > 0,
                )
    finally:
        server.stop()


def measure_incremental(figures: Figures, reviewers: list, sent: list, reps: int) -> None:
    """Submit ratings on open assignments whose statement already has one rating, then run every task that
    sent (and every task those send) in this process, timing each step; the first round is a warm-up."""
    from reviews.models import Assignment
    from reviews.services.ratings import Evidence, rating_submit

    candidates = list(
        Assignment.objects.filter(
            status=Assignment.Status.ASSIGNED, statement__summary__rating_count=1, statement__summary__settled=False
        )
        .select_related("reviewer")
        .order_by("-pk")[: reps + 1]
    )
    if not candidates:
        figures.add(
            "one rating, incremental",
            "no open assignment on a rated statement",
            f"≤ {TARGET_INCREMENTAL_MS:.0f} ms",
            True,
        )
        return
    rounds: list[list[tuple[str, float, int]]] = []
    for assignment in candidates:
        sent.clear()
        steps = []
        with counting_queries() as count:
            started = time.perf_counter()
            rating_submit(
                assignment=assignment,
                reviewer=assignment.reviewer,
                verdict="mostly_true",
                confidence=4,
                rationale="Checked against the agency's figures.",
                evidence=[Evidence(url="https://www.bls.gov/x")],
            )
            steps.append(("rating_submit", time.perf_counter() - started, count[0]))
        done = 0
        while sent and done < 20:
            task, task_args = sent.pop(0)
            with counting_queries() as count:
                started = time.perf_counter()
                task(*task_args)
                steps.append((getattr(task, "name", str(task)), time.perf_counter() - started, count[0]))
            done += 1
        rounds.append(steps)
    measured = rounds[1:] or rounds
    names = [name for name, _, _ in measured[0]]
    for position, name in enumerate(names):
        times = [r[position][1] for r in measured if len(r) > position]
        queries = [r[position][2] for r in measured if len(r) > position]
        say(f"      {name}: {ms(statistics.median(times))}, {statistics.median(queries):.0f} queries")
    # The target is the summaries' part (statement, article and team figures: the reviews tasks); the request
    # itself and the notifications it sets off are shown, not counted against it.
    summary_times = [sum(t for name, t, _ in r if name.startswith(SUMMARY_TASKS)) for r in measured]
    total = statistics.median(summary_times)
    figures.add(
        "one rating's summaries, incl. team figures",
        ms(total),
        f"≤ {TARGET_INCREMENTAL_MS:.0f} ms",
        total * 1000 > TARGET_INCREMENTAL_MS,
    )
    figures.add("one rating, everything above", ms(statistics.median(sum(t for _, t, _ in r) for r in measured)))
    say(
        f"      median of {len(measured)} ratings after a warm-up; each task ran as soon as it was sent, countdowns "
        "(the team figures' 30 s debounce) not waited for"
    )


def report_export(figures: Figures, kind: str, downloads: list[ExportResult]) -> None:
    """The first download of an export and the median of the ones after it, each against the target: the
    first is what an editor who downloads once a day gets; the rest show what a repeat costs. Both are shown
    because a single download's rate moved from 27,000 to 70,000 rows/s between runs here, with the load."""
    for export in downloads:
        say(
            f"      HTTP {export.status}: {export.rows:,} rows, {export.megabytes:,.1f} MB in {export.seconds:,.2f} s "
            f"= {export.rate:,.0f} rows/s; first 64 KB after {ms(export.first_chunk_s)}; "
            f"load average {export.load:.1f}"
        )
    first, repeats = downloads[0], downloads[1:]
    figures.add(
        f"{kind} export through gunicorn, first download",
        f"{first.rate:,.0f} rows/s",
        f"≥ {TARGET_EXPORT_ROWS_S:,} rows/s",
        first.rate < TARGET_EXPORT_ROWS_S,
    )
    if repeats:
        rate = statistics.median(export.rate for export in repeats)
        figures.add(
            f"{kind} export through gunicorn, next {len(repeats)} (median)",
            f"{rate:,.0f} rows/s",
            f"≥ {TARGET_EXPORT_ROWS_S:,} rows/s",
            rate < TARGET_EXPORT_ROWS_S,
        )
    worst = max(downloads, key=lambda export: export.peak_mb - export.tenth_mb)
    growth = worst.peak_mb - worst.tenth_mb
    figures.add(
        f"{kind} export: worker memory while streaming",
        f"+{growth:,.1f} MB",
        f"flat (≤ +{FLAT_GROWTH_MB:.0f} MB)",
        growth > FLAT_GROWTH_MB,
    )
    say(
        f"      (the most of the {len(downloads)}) worker RSS {worst.before_mb:,.0f} MB before, "
        f"{worst.tenth_mb:,.0f} MB at a tenth of the rows, peak {worst.peak_mb:,.0f} MB "
        f"(VmHWM {worst.hwm_mb:,.0f} MB); growth counted from the tenth"
    )


def start_server(database_url: str, tmp: Path) -> Server:
    """gunicorn on factcheck.settings.production. Its static storage wants `collectstatic` first; the pages only
    build /static/ URLs, so the settings module written here uses the plain storage and WhiteNoise's finders
    instead (no manifest, no 28 MB copy), and nothing else changes."""
    settings_dir = tmp / "settings"
    settings_dir.mkdir()
    (settings_dir / "bench_scale_settings.py").write_text(
        "from factcheck.settings.production import *  # noqa: F401,F403\n"
        'STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}\n'
        "WHITENOISE_USE_FINDERS = True\n"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE", "PYTHONPATH"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "bench_scale_settings",
        "PYTHONPATH": f"{settings_dir}{os.pathsep}{ROOT}",
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.urandom(32).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }
    started = time.perf_counter()
    server = Server(env, tmp / "gunicorn.log")
    try:
        server.wait_ready("/accounts/login/")
    except BaseException:
        server.stop()
        raise
    say(
        f"  gunicorn up in {secs(time.perf_counter() - started)} (port {server.port}, workers "
        f"{', '.join(map(str, server.workers()))}; production settings, static files from the finders)"
    )
    return server


def log_in_clients(server: Server, login_path: str, clients: int, editors, admins, reviewers) -> list[dict[str, dict]]:
    """Log in, through the login page, up to `clients` people of each role (each login its own session); client
    i uses the i-th editor's, admin's and reviewer's session, round robin."""
    people = [
        (role, person)
        for role, group in (("editor", editors), ("admin", admins), ("reviewer", reviewers))
        for person in group[:clients]
    ]
    logged: dict[tuple[str, int], dict[str, str]] = {}
    errors: list[str] = []
    started = time.perf_counter()

    def log_in_one(role: str, person) -> None:
        try:
            logged[(role, person.pk)] = log_in(server.port, login_path, person.username)
        except Exception as exc:
            errors.append(str(exc))

    threads = [threading.Thread(target=log_in_one, args=pair) for pair in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"logging in failed: {errors[0]}\n{server.tail()}")
    say(f"  {len(people)} people logged in through {login_path} in {secs(time.perf_counter() - started)}")
    sessions = []
    for i in range(clients):
        session: dict[str, dict] = {"anonymous": {}}
        for role, group in (("editor", editors), ("admin", admins), ("reviewer", reviewers)):
            session[role] = logged[(role, group[i % min(clients, len(group))].pk)]
        sessions.append(session)
    return sessions


if __name__ == "__main__":
    sys.exit(main())
