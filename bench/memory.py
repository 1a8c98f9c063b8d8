"""Memory bench: peak resident memory of a worker importing the biggest files we accept, and of the web
process taking a 200 MB multi-file upload. Measured by /usr/bin/time -v around each process.

    python bench/memory.py            # CI: the 19.5 MB text, the longest article, a 4 MB CSV, a 195 MB upload
    python bench/memory.py --full     # also a 19.5 MB CSV of ~8,500 articles (a couple of minutes more)

Targets (the reliability issue): a worker under 400 MB on one 20 MB text; the web process under 300 MB for a
200 MB upload; an upload over the per-request cap refused with a clear message before it is read.
Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/factcheck_bench_memory: a name
without "bench" gets "_bench"; created, migrated and dropped here) and Redis (CELERY_BROKER_URL, default
redis://127.0.0.1:6379/0: the web process sends its import task to a queue nobody consumes, purged after).
"""

from __future__ import annotations

import csv
import http.client
import io
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "samples" / "000_59948f7b3f7516a9.txt"
MB = 1024 * 1024
WORKER_TARGET_MB = 400
WEB_TARGET_MB = 300
FILE_BYTES = int(19.5 * MB)
UPLOAD_FILES = 10  # 10 x 19.5 MB = 195 MB in one request
PASSWORD = "bench-" + secrets.token_hex(8)


def words() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").split()


def big_text(size: int, seed: int) -> bytes:
    """One long article-like text: paragraphs of the sample's words, each with a distinct figure."""
    rng = random.Random(seed)
    vocabulary, parts, total, n = words(), ["A very long text"], 0, 0
    while total < size:
        paragraph = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(40, 120)))
        paragraph += f" The council spent {n} million dollars in {1990 + n % 30}."
        parts.append(paragraph)
        total += len(paragraph.encode()) + 2
        n += 1
    return "\n\n".join(parts).encode()[:size]


def big_csv(size: int, seed: int) -> bytes:
    """A CSV of distinct articles of a few KB each, up to `size` bytes."""
    rng = random.Random(seed)
    vocabulary, out, n = words(), io.StringIO(), 0
    writer = csv.writer(out)
    writer.writerow(["title", "text"])
    while out.tell() < size - 8000:
        body = "\n\n".join(
            " ".join(rng.choice(vocabulary) for _ in range(rng.randint(40, 90))) + f" Row {n} cost {n * 3} dollars."
            for _ in range(rng.randint(3, 8))
        )
        writer.writerow([f"Article {n}", body])
        n += 1
    return out.getvalue().encode()


def peak_mb(time_output: str) -> float:
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_output)
    return int(match.group(1)) / 1024 if match else float("nan")


# -- environment ---------------------------------------------------------------------------------


def bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/factcheck_bench_memory")
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        parts = parts._replace(path=f"/{name}_bench_memory")
    return urlunsplit(parts)


def admin_sql(database_url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    with psycopg.connect(
        host=parts.hostname or "127.0.0.1", port=parts.port or 5432, user=parts.username or "postgres",
        password=parts.password, dbname="postgres", autocommit=True, connect_timeout=3,
    ) as conn:  # fmt: skip
        conn.execute(sql)


def unavailable(database_url: str, broker_url: str) -> str:
    if not SAMPLE.is_file():
        return f"{SAMPLE} (the shared sample) is not present"
    if not Path("/usr/bin/time").exists():
        return "/usr/bin/time is not installed (Debian package: time)"
    try:
        admin_sql(database_url, "SELECT 1")
    except Exception as exc:
        return f"PostgreSQL is not reachable ({str(exc).strip().splitlines()[0]})"
    try:
        import redis

        redis.Redis.from_url(broker_url, socket_connect_timeout=3).ping()
    except Exception as exc:
        return f"Redis is not reachable at {broker_url} ({exc})"
    return ""


def django_env(database_url: str, **extra: str) -> dict[str, str]:
    return (
        os.environ
        | {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "factcheck.settings.local",
            "DEBUG": "false",
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "WARNING",
        }
        | extra
    )


# -- the worker ------------------------------------------------------------------------------------

WORKER_SCRIPT = """
import sys, django
django.setup()
from articles.models import Article, ImportJob
from articles.services import imports
name, path = sys.argv[1], sys.argv[2]
with open(path, "rb") as f:
    job = imports.import_job_create(created_by=None, uploads=[imports.Upload(name=name, data=f.read())])
imports.import_job_run(job_id=job.pk)
job.refresh_from_db()
print(f"{job.status}: {job.succeeded} imported, {job.failed} failed; {Article.objects.count()} articles in total")
if job.failed:
    print("  first failure:", job.items.filter(status="failed").values_list("error", flat=True).first()[:110])
"""


def worker_run(database_url: str, name: str, data: bytes) -> tuple[float, str, float]:
    with tempfile.NamedTemporaryFile(suffix=Path(name).suffix, delete=False) as handle:
        handle.write(data)
    started = time.monotonic()
    run = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, "-c", WORKER_SCRIPT, name, handle.name],
        env=django_env(database_url, CELERY_BROKER_URL=""), capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    os.unlink(handle.name)
    if run.returncode != 0:
        raise SystemExit(f"worker run failed:\n{run.stdout}\n{run.stderr[-3000:]}")
    return peak_mb(run.stderr), run.stdout.strip(), time.monotonic() - started


# -- the web process -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Just enough of a browser: cookies, CSRF, and a multipart body streamed from files on disk."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def _connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)

    def _remember(self, response) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def _headers(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Referer": self.url("/")}

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str) -> tuple[int, str]:
        conn = self._connection()
        conn.request("GET", path, headers=self._headers())
        response = conn.getresponse()
        self._remember(response)
        body = response.read().decode(errors="replace")
        conn.close()
        return response.status, body

    def csrf(self, path: str) -> str:
        _, page = self.get(path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return match.group(1) if match else ""

    def post_form(self, path: str, fields: dict[str, str]) -> int:
        from urllib.parse import urlencode

        fields = fields | {"csrfmiddlewaretoken": self.csrf(path)}
        conn = self._connection()
        headers = self._headers() | {"Content-Type": "application/x-www-form-urlencoded"}
        conn.request("POST", path, body=urlencode(fields), headers=headers)
        response = conn.getresponse()
        self._remember(response)
        response.read()
        conn.close()
        return response.status

    def post_files(self, path: str, files: list[Path]) -> tuple[int, str, float]:
        """Stream a multipart body from disk, never holding a file in this process's memory."""
        token = self.csrf(path)
        boundary = uuid.uuid4().hex
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
        ).encode()
        head += f'--{boundary}\r\nContent-Disposition: form-data; name="urls"\r\n\r\n\r\n'.encode()
        parts = [
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{file.name}"\r\n'
                "Content-Type: text/plain\r\n\r\n"
            ).encode()
            for file in files
        ]
        tail = f"--{boundary}--\r\n".encode()
        length = len(head) + sum(len(p) + f.stat().st_size + 2 for p, f in zip(parts, files, strict=True)) + len(tail)
        conn = self._connection()
        started = time.monotonic()
        conn.putrequest("POST", path)
        for name, value in (self._headers() | {"Content-Type": f"multipart/form-data; boundary={boundary}"}).items():
            conn.putheader(name, value)
        conn.putheader("Content-Length", str(length))
        conn.endheaders()
        try:
            conn.send(head)
            for part, file in zip(parts, files, strict=True):
                conn.send(part)
                with file.open("rb") as handle:
                    while chunk := handle.read(1024 * 1024):
                        conn.send(chunk)
                conn.send(b"\r\n")
            conn.send(tail)
        except (BrokenPipeError, ConnectionResetError):
            pass  # a refused upload: the server answered before reading it all
        response = conn.getresponse()
        body = response.read().decode(errors="replace")
        conn.close()
        return response.status, body, time.monotonic() - started


def web_run(database_url: str, broker_url: str, files: list[Path], queue: str) -> tuple[float, list[str]]:
    port = free_port()
    env = django_env(database_url, CELERY_BROKER_URL=broker_url, CELERY_TASK_DEFAULT_QUEUE=queue)
    server = subprocess.Popen(
        ["/usr/bin/time", "-v", sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    lines = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        browser = Browser(port)
        status = browser.post_form("/accounts/login/", {"username": "bench-admin", "password": PASSWORD})
        if status != 302:
            raise SystemExit(f"could not sign in to the bench server (HTTP {status})")
        total = sum(f.stat().st_size for f in files)
        status, _, seconds = browser.post_files("/imports/", files)
        lines.append(f"  {len(files)} files, {total / MB:,.0f} MB in one request: HTTP {status} in {seconds:.1f} s")
        too_many = files + files[:3]
        total = sum(f.stat().st_size for f in too_many)
        status, body, seconds = browser.post_files("/imports/", too_many)
        said = re.search(r"These files come to [^<]*", body)
        lines.append(f"  {len(too_many)} files, {total / MB:,.0f} MB (over the cap): HTTP {status} in {seconds:.1f} s")
        lines.append(f"    the page says: {said.group(0).strip() if said else '(no message found)'}")
    finally:
        os.killpg(server.pid, signal.SIGINT)  # runserver and /usr/bin/time around it
        _, err = server.communicate(timeout=30)
    return peak_mb(err), lines


def main() -> int:
    database_url = bench_database_url()
    broker_url = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
    print("$ python bench/memory.py" + (" --full" if "--full" in sys.argv else ""))
    reason = unavailable(database_url, broker_url)
    if reason:
        print(f"skipped: {reason}")
        return 0
    name = urlsplit(database_url).path.lstrip("/")
    admin_sql(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_sql(database_url, f'CREATE DATABASE "{name}"')
    queue = f"bench-memory-{uuid.uuid4().hex[:8]}"
    over = 0
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"], env=django_env(database_url), cwd=ROOT,
            check=True, capture_output=True,
        )  # fmt: skip
        create_admin = (
            "import django; django.setup(); from django.contrib.auth.models import Group; "
            "from django.contrib.auth import get_user_model; "
            f"u = get_user_model().objects.create_user('bench-admin', password='{PASSWORD}'); "
            "u.groups.add(Group.objects.get(name='Admin'))"
        )
        subprocess.run([sys.executable, "-c", create_admin], env=django_env(database_url), cwd=ROOT, check=True)

        print(f"worker: one file imported in its own process (target: under {WORKER_TARGET_MB} MB)")
        cases = [
            ("one 19.5 MB .txt (refused: far over the 1,000,000-character article limit)", "long.txt",
             big_text(FILE_BYTES, 1)),
            ("one 1 MB .txt (the longest article we accept)", "article.txt", big_text(990_000, 2)),
        ]  # fmt: skip
        csv_bytes = FILE_BYTES if "--full" in sys.argv else 4 * MB
        cases.append((f"one {csv_bytes / MB:.1f} MB .csv of distinct articles", "rows.csv", big_csv(csv_bytes, 3)))
        for label, filename, data in cases:
            peak, said, seconds = worker_run(database_url, filename, data)
            flag = "" if peak < WORKER_TARGET_MB else "   OVER TARGET"
            over += bool(flag)
            print(f"  {label}\n    peak {peak:,.0f} MB in {seconds:.1f} s{flag}; {said.splitlines()[0]}")

        print(f"web: one upload request to a running server (runserver; target: under {WEB_TARGET_MB} MB)")
        with tempfile.TemporaryDirectory() as folder:
            files = []
            for i in range(UPLOAD_FILES):
                path = Path(folder) / f"upload-{i:02d}.txt"
                path.write_bytes(big_text(FILE_BYTES, 100 + i))
                files.append(path)
            peak, lines = web_run(database_url, broker_url, files, queue)
        for line in lines:
            print(line)
        flag = "" if peak < WEB_TARGET_MB else "   OVER TARGET"
        over += bool(flag)
        print(f"  web process peak {peak:,.0f} MB{flag}")
    finally:
        import redis

        redis.Redis.from_url(broker_url).delete(queue)
        admin_sql(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"{over} figure(s) over target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
