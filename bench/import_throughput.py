"""Import throughput through a real Celery worker: articles/s, statements/s and the worker's peak memory.

    python bench/import_throughput.py [--n 1000 5000] [--files K] [--rows-per-file 500] [--profile]

For each N, builds N unique ~5 KB articles from ../shared/data/news/fakenewscorpus_sample.csv (paragraphs
of the 250 sample articles mixed, shuffled and trimmed, plus a numbered closing sentence so every content
hash differs; every URL unique), writes them as CSV files of --rows-per-file rows (or N split over
--files K files) and submits them as ONE import job (article_imports.import_job_create with one Upload per file).
A fresh `celery worker -P solo -c 1` on a queue of its own runs it against a dedicated PostgreSQL
database (created, migrated and dropped by this script) with Redis as the broker. Wall time runs from
import_job_create (storing the uploads, enqueueing) until the job row is finished; the worker's own time
(started_at → finished_at) is shown too. Peak memory is the worker's VmHWM from /proc, next to its RSS
when idle, so growth with N shows. The CPU seconds the worker and its PostgreSQL backend spent on the job
(from /proc, when the server runs on this machine) are shown per article: on a machine shared with other work
the wall time follows the load, the CPU time much less so.

--profile runs article_imports.import_job_run in this process under cProfile instead (no worker, same
database and data) and prints the hottest functions, grouped by area.

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/factcheck_bench (a name without "bench" gets
"_bench" appended, so the app's own database is never touched), CELERY_BROKER_URL to
redis://127.0.0.1:6379/0. Skips, saying why, when ../shared or either server is missing.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import csv
import io
import math
import os
import pstats
import random
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NEWS = SHARED / "data" / "news" / "fakenewscorpus_sample.csv"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/factcheck_bench"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/0"
ARTICLE_CHARS = 5000
MAX_PARAGRAPH_CHARS = 2000
TARGET_ARTICLES_PER_SECOND = 100
WORKER_READY_TIMEOUT = 60.0
POLL_SECONDS = 0.25
# A job still pending this long after it was enqueued was never picked up: a routing mistake, not a slow run.
PICKUP_TIMEOUT_SECONDS = 120

sys.path.insert(0, str(ROOT))


# -- data ----------------------------------------------------------------------------------------


def _sample_rows() -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with NEWS.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["content"].strip()]


def _trim(paragraph: str, limit: int) -> str:
    """Cut a paragraph to at most `limit` characters, at a sentence end when there is one."""
    if len(paragraph) <= limit:
        return paragraph
    cut = paragraph[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    return cut[: end + 1] if end > limit // 3 else cut.rsplit(" ", 1)[0]


def build_articles(n: int, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """N unique ~5 KB articles: paragraphs of the sample rows mixed and shuffled, one numbered sentence each."""
    paragraphs_by_row = [
        [_trim(p.strip(), MAX_PARAGRAPH_CHARS) for p in re.split(r"\n\s*\n", row["content"]) if p.strip()]
        for row in rows
    ]
    articles = []
    for i in range(n):
        rng = random.Random(i)
        base = i % len(rows)
        paragraphs = list(paragraphs_by_row[base])
        while sum(len(p) + 2 for p in paragraphs) < ARTICLE_CHARS:
            paragraphs += paragraphs_by_row[rng.randrange(len(rows))]
        rng.shuffle(paragraphs)
        kept, size = [], 0
        for paragraph in paragraphs:
            if size + len(paragraph) > ARTICLE_CHARS and kept:
                rest = ARTICLE_CHARS - size
                if rest > 200:
                    kept.append(_trim(paragraph, rest))
                break
            kept.append(paragraph)
            size += len(paragraph) + 2
        kept.append(f"This is benchmark article number {i + 1} of {n}, recorded for the import test.")
        row = rows[base]
        articles.append(
            {
                "title": f"{row['title'] or 'Untitled'} ({i + 1})",
                "content": "\n\n".join(kept),
                "url": f"https://bench.example.org/{n}/article-{i + 1}",
                "authors": row.get("authors", ""),
                "domain": row.get("domain", ""),
            }
        )
    return articles


def csv_uploads(articles: list[dict[str, str]], rows_per_file: int):
    from articles.services.imports import Upload

    uploads = []
    for number, start in enumerate(range(0, len(articles), rows_per_file), start=1):
        buffer = io.StringIO(newline="")
        writer = csv.DictWriter(buffer, fieldnames=["title", "content", "url", "authors", "domain"])
        writer.writeheader()
        writer.writerows(articles[start : start + rows_per_file])
        uploads.append(Upload(name=f"bench-{number:03d}.csv", data=buffer.getvalue().encode("utf-8")))
    return uploads


# -- environment ---------------------------------------------------------------------------------


def _admin_connect(database_url: str):
    import psycopg

    parts = urlsplit(database_url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
        connect_timeout=3,
    )


def unavailable(database_url: str, broker_url: str) -> str:
    """Why the bench can't run here, or "" when it can."""
    if not NEWS.is_file():
        return f"{NEWS} (the shared test data) is not present"
    if not urlsplit(database_url).scheme.startswith("postgres"):
        return f"DATABASE_URL must point at PostgreSQL for this bench, not {urlsplit(database_url).scheme}"
    try:
        _admin_connect(database_url).close()
    except Exception as exc:
        return f"PostgreSQL is not reachable at {_safe(database_url)} ({str(exc).strip().splitlines()[0]})"
    try:
        import redis

        redis.Redis.from_url(broker_url, socket_connect_timeout=3, socket_timeout=3).ping()
    except Exception as exc:
        return f"Redis is not reachable at {_safe(broker_url)} ({exc})"
    return ""


def bench_database_url(database_url: str) -> str:
    """The bench drops its database when done: never the app's own, so a name without "bench" gets "_bench"."""
    name = database_name(database_url)
    if "bench" in name:
        return database_url
    return urlunsplit(urlsplit(database_url)._replace(path=f"/{name}_bench"))


def database_name(database_url: str) -> str:
    return urlsplit(database_url).path.lstrip("/")


def _safe(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return urlunsplit(parts)


def recreate_database(database_url: str) -> None:
    name = database_name(database_url)
    with _admin_connect(database_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(database_url: str) -> None:
    with _admin_connect(database_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database_name(database_url)}" WITH (FORCE)')


def empty_tables() -> None:
    """Forget everything a previous run imported, so each N starts from an empty database."""
    from django.db import connection

    from articles.models import Article, ImportJob

    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {ImportJob._meta.db_table}, {Article._meta.db_table} RESTART IDENTITY CASCADE"  # noqa: S608
        )


# -- worker --------------------------------------------------------------------------------------


def proc_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a process has used (None when it is not on this machine or has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def sample_backends_cpu(seen: dict[int, float]) -> None:
    """Note the CPU seconds used so far by each other PostgreSQL backend on the bench database (the worker's).
    Sampled while the job runs: a backend may close before the end, losing at most its last poll interval."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        for (pid,) in cursor.fetchall():
            seconds = proc_cpu_seconds(pid)
            if seconds is not None:
                seen[pid] = max(seconds, seen.get(pid, 0.0))


def proc_status_kb(pid: int, field: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


class Worker:
    """A `celery worker -P solo -c 1` on a queue of its own; its output kept in a ring buffer."""

    def __init__(self, env: dict[str, str]) -> None:
        from factcheck.celery_app import all_queues, queue_for

        # The run's own default queue; tasks are routed to "<default>.<kind>" queues (see route_task), so the
        # worker consumes all of them.
        self.queue = f"bench-{uuid.uuid4().hex[:8]}"
        # Claim lookups ("<default>.matching") have workers of their own in production (docker-compose's
        # worker-matching); consuming them here would time the matcher, not the import.
        self.queues = [q for q in all_queues(base=self.queue) if q != queue_for("matching", base=self.queue)]
        self.output: collections.deque[str] = collections.deque(maxlen=300)
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "factcheck", "worker", "-P", "solo", "-c", "1"]
            + ["-Q", ",".join(self.queues), "-l", "info"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line.rstrip("\n"))
            if " ready." in line:
                self.ready.set()

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self) -> None:
        deadline = time.monotonic() + WORKER_READY_TIMEOUT
        while not self.ready.wait(0.2):
            if not self.alive or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start:\n" + self.tail())

    def kb(self, field: str) -> int:
        return proc_status_kb(self.process.pid, field) or 0

    def tail(self, lines: int = 40) -> str:
        return "\n".join(list(self.output)[-lines:])

    def stop(self) -> None:
        if self.alive:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def delete_queue(queue: str, broker_url: str) -> None:
    """Remove the run's queue and the exchange bindings kombu keeps for it in Redis."""
    from factcheck.celery_app import app

    try:
        import redis

        with app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)
        redis.Redis.from_url(broker_url).delete(f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    except Exception as exc:  # leftovers in Redis are harmless; say so and go on
        print(f"note: could not delete Redis queue {queue}: {exc}")


# -- runs ----------------------------------------------------------------------------------------


@dataclass
class Result:
    n: int
    files: int
    upload_mb: float
    wall: float
    create: float
    worker_time: float
    status: str
    imported: int
    duplicates: int
    failed: int
    statements: int
    idle_rss_mb: float
    peak_rss_mb: float
    rss_by_progress: list[tuple[int, float]]
    load_average: float
    worker_cpu: float | None  # seconds, the worker process from ready to finished
    database_cpu: float | None  # seconds, the worker's PostgreSQL backend(s)

    @property
    def articles_per_s(self) -> float:
        return self.imported / self.wall if self.wall else 0.0

    @property
    def statements_per_s(self) -> float:
        return self.statements / self.wall if self.wall else 0.0


def run_once(n: int, rows: list[dict[str, str]], rows_per_file: int, env: dict[str, str], timeout: float) -> Result:
    from articles.models import Article, ImportItem, ImportJob, Statement
    from articles.services import imports as article_imports
    from factcheck.celery_app import app, queue_for

    empty_tables()
    uploads = csv_uploads(build_articles(n, rows), rows_per_file)
    upload_mb = sum(len(u.data) for u in uploads) / 1e6
    worker = Worker(env)
    try:
        worker.wait_ready()
        idle_kb = worker.kb("VmRSS")
        worker_cpu_idle = proc_cpu_seconds(worker.process.pid)
        app.conf.task_always_eager, app.conf.task_default_queue = False, worker.queue
        started = time.perf_counter()
        job = article_imports.import_job_create(created_by=None, uploads=uploads, label=f"bench N={n}")
        created = time.perf_counter()
        del uploads
        samples: list[tuple[int, float]] = []
        backends_cpu: dict[int, float] = {}
        next_mark = 0.25
        while True:
            sample_backends_cpu(backends_cpu)
            job.refresh_from_db()
            if job.is_finished:
                break
            if job.processed >= next_mark * n:
                samples.append((job.processed, worker.kb("VmRSS") / 1024))
                next_mark += 0.25
            if not worker.alive:
                raise RuntimeError(f"the worker died while job {job.pk} was {job.status}:\n{worker.tail()}")
            if job.status == ImportJob.Status.PENDING and time.perf_counter() - started > PICKUP_TIMEOUT_SECONDS:
                raise RuntimeError(
                    f"job {job.pk} still pending after {PICKUP_TIMEOUT_SECONDS} s: no worker took it "
                    f"(queues {', '.join(worker.queues)}):\n{worker.tail()}"
                )
            if time.perf_counter() - started > timeout:
                raise RuntimeError(f"job {job.pk} still {job.status} after {timeout:.0f} s ({job.processed}/{n})")
            time.sleep(POLL_SECONDS)
        wall = time.perf_counter() - started
        peak_kb = worker.kb("VmHWM")
        worker_cpu_done = proc_cpu_seconds(worker.process.pid)
        sample_backends_cpu(backends_cpu)
        # The worker had not touched the database before the job, so its backends' CPU is the job's.
        database_cpu = sum(backends_cpu.values()) if backends_cpu else None
        samples.append((job.processed, worker.kb("VmRSS") / 1024))
    finally:
        worker.stop()
        for queue in [*worker.queues, queue_for("matching", base=worker.queue)]:
            delete_queue(queue, env["CELERY_BROKER_URL"])
    if job.status != ImportJob.Status.DONE:
        errors = job.items.filter(status=ImportItem.Status.FAILED).values_list("name", "error")[:3]
        print(f"warning: job {job.pk} ended {job.status}. {job.error}")
        for name, error in errors:
            print(f"  failed item {name}: {error}")
    return Result(
        n=n,
        files=job.sources_total,
        upload_mb=upload_mb,
        wall=wall,
        create=created - started,
        worker_time=(job.finished_at - job.started_at).total_seconds() if job.started_at else 0.0,
        status=job.status,
        imported=Article.objects.count(),
        duplicates=job.duplicates,
        failed=job.failed,
        statements=Statement.objects.count(),
        idle_rss_mb=idle_kb / 1024,
        peak_rss_mb=peak_kb / 1024,
        rss_by_progress=samples,
        load_average=os.getloadavg()[0],
        worker_cpu=None if worker_cpu_idle is None or worker_cpu_done is None else worker_cpu_done - worker_cpu_idle,
        database_cpu=database_cpu,
    )


def _cpu_line(r: Result) -> str:
    if r.worker_cpu is None:
        return "  CPU: not readable from /proc here"
    per_article = 1000 * r.worker_cpu / max(r.imported, 1)
    line = f"  CPU: worker {r.worker_cpu:.1f} s ({per_article:.1f} ms per article)"
    if r.database_cpu is not None:
        both = r.worker_cpu + r.database_cpu
        line += (
            f", its PostgreSQL backend {r.database_cpu:.1f} s ({1000 * r.database_cpu / max(r.imported, 1):.1f} ms); "
            f"{r.imported / both if both else 0:.0f} articles per CPU second of both"
        )
    return line


def print_result(r: Result) -> None:
    progress = ", ".join(f"{done}: {mb:.0f}" for done, mb in r.rss_by_progress)
    print(
        f"N={r.n:<6} {r.files} files ({r.upload_mb:.1f} MB)  job {r.status}\n"
        f"  wall {r.wall:7.1f} s (import_job_create {r.create:.1f} s, worker started→finished {r.worker_time:.1f} s)\n"
        f"  {r.imported} articles imported, {r.duplicates} duplicates, {r.failed} failed, "
        f"{r.statements} statements ({r.statements / max(r.imported, 1):.1f} per article)\n"
        f"  {r.articles_per_s:7.1f} articles/s   {r.statements_per_s:8.0f} statements/s\n"
        f"  worker RSS idle {r.idle_rss_mb:.0f} MB, peak (VmHWM) {r.peak_rss_mb:.0f} MB; "
        f"RSS MB by items processed: {progress}\n"
        f"{_cpu_line(r)}\n"
        f"  load average (1 min) at the end: {r.load_average:.1f} on {os.cpu_count()} CPUs",
        flush=True,
    )


def print_summary(results: list[Result]) -> None:
    print()
    print(
        f"{'N':>6} {'files':>5} {'wall s':>8} {'art/s':>7} {'stmt/s':>8} {'failed':>6} {'dups':>5} {'peak MB':>8} "
        f"{'CPU ms/art':>10} {'load':>5}"
    )
    for r in results:
        cpu = (r.worker_cpu or 0.0) + (r.database_cpu or 0.0)
        print(
            f"{r.n:>6} {r.files:>5} {r.wall:>8.1f} {r.articles_per_s:>7.1f} {r.statements_per_s:>8.0f} "
            f"{r.failed:>6} {r.duplicates:>5} {r.peak_rss_mb:>8.0f} "
            f"{1000 * cpu / max(r.imported, 1) if r.worker_cpu is not None else float('nan'):>10.1f} "
            f"{r.load_average:>5.1f}"
        )
    slowest = min(r.articles_per_s for r in results)
    verdict = "meets" if slowest >= TARGET_ARTICLES_PER_SECOND else "is BELOW"
    print(f"throughput: slowest run {slowest:.1f} articles/s {verdict} the target of {TARGET_ARTICLES_PER_SECOND}/s")
    if len(results) > 1:
        small, large = min(results, key=lambda r: r.n), max(results, key=lambda r: r.n)
        growth = (large.peak_rss_mb - large.idle_rss_mb) - (small.peak_rss_mb - small.idle_rss_mb)
        per_1000 = growth / (large.n - small.n) * 1000 if large.n > small.n else 0.0
        flat = abs(growth) < 0.1 * max(small.peak_rss_mb, 1)
        print(
            f"memory: peak above idle grows by {growth:+.0f} MB from N={small.n} to N={large.n} "
            f"({per_1000:+.1f} MB per 1000 articles): {'flat' if flat else 'NOT flat'}"
        )


# -- profile -------------------------------------------------------------------------------------

# Where an import spends its time: (file suffix, function) → area. These calls don't nest in each other.
_AREAS = {
    ("articles/importing/readers.py", "read_upload"): "reading + cleaning (read_upload)",
    ("articles/splitting.py", "split_statements"): "splitting",
    ("articles/checkworthiness.py", "score_statements"): "scoring",
    ("articles/importing/cleaning.py", "content_hash"): "content hash",
    ("django/db/models/query.py", "bulk_create"): "bulk_create (all models)",
}


def profile_once(n: int, rows: list[dict[str, str]], rows_per_file: int, top: int) -> None:
    """Run the job in this process under cProfile (no worker) and print where the time goes."""
    from unittest import mock

    from articles.models import Article, Statement
    from articles.services import imports as article_imports

    empty_tables()
    uploads = csv_uploads(build_articles(n, rows), rows_per_file)
    with mock.patch.object(article_imports, "enqueue_import"):
        job = article_imports.import_job_create(created_by=None, uploads=uploads, label=f"bench profile N={n}")
    del uploads
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    article_imports.import_job_run(job_id=job.pk)
    profiler.disable()
    elapsed = time.perf_counter() - started
    imported = Article.objects.count()
    print(
        f"profile N={n}: import_job_run {elapsed:.1f} s under cProfile, {imported} articles, "
        f"{Statement.objects.count()} statements, {imported / elapsed:.1f} articles/s (profiler overhead included)"
    )
    stats = pstats.Stats(profiler)
    cumulative = {(file, name): ct for (file, _, name), (_, _, _, ct, _) in stats.stats.items()}  # type: ignore[attr-defined]
    shares = []
    for (suffix, function), area in _AREAS.items():
        seconds = sum(ct for (file, name), ct in cumulative.items() if name == function and file.endswith(suffix))
        if seconds:
            shares.append(f"{area} {seconds:.1f} s ({100 * seconds / elapsed:.0f}%)")
    print("time inside: " + ", ".join(shares))
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


# -- main ----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 5000], help="articles per run (default 1000 5000)")
    parser.add_argument("--files", type=int, help="split each run into K CSV files (default: --rows-per-file rows)")
    parser.add_argument("--rows-per-file", type=int, default=500, help="rows per CSV file (default 500)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait for one job (default 1800)")
    parser.add_argument("--profile", action="store_true", help="cProfile import_job_run in-process, no worker")
    parser.add_argument("--top", type=int, default=25, help="functions to list with --profile (default 25)")
    args = parser.parse_args()

    print("$ python " + " ".join(shlex.quote(a) for a in [os.path.relpath(sys.argv[0], ROOT), *sys.argv[1:]]))
    database_url = bench_database_url(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    broker_url = os.environ.get("CELERY_BROKER_URL") or DEFAULT_BROKER_URL
    reason = unavailable(database_url, broker_url)
    if reason:
        print(f"skipped: {reason}")
        return 0

    env = os.environ | {
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings.local",
        "DEBUG": "false",  # no query log growing in the worker
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
    }
    os.environ.update(env)
    # SIGTERM (a CI timeout, say) must still stop the worker and drop the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    rows = _sample_rows()
    print(
        f"data: {len(rows)} sample articles from {NEWS.name}, varied to ~{ARTICLE_CHARS // 1000} KB unique articles; "
        f"database {database_name(database_url)} (created for the bench, dropped after); broker {_safe(broker_url)}; "
        f"{os.cpu_count()} CPUs",
        flush=True,
    )
    results: list[Result] = []
    try:
        recreate_database(database_url)
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        for n in args.n:
            rows_per_file = math.ceil(n / args.files) if args.files else args.rows_per_file
            if args.profile:
                profile_once(n, rows, rows_per_file, args.top)
                continue
            print(f"\nrunning N={n} in {math.ceil(n / rows_per_file)} CSV files as one import job…", flush=True)
            result = run_once(n, rows, rows_per_file, env, args.timeout)
            results.append(result)
            print_result(result)
        if results:
            print_summary(results)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
