"""Real Celery processes for tests: a worker (optionally with beat) on a queue of its own, pointed at the test
database and at a broker of the test's choosing. Started and stopped (or killed) by the test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def test_database_url(**params: str) -> str:
    db = connection.settings_dict
    query = "&".join(f"{key}={value}" for key, value in params.items())
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"{url}?{query}" if query else url


class Worker:
    """`celery worker` (solo pool: one process to kill) with optional embedded beat."""

    def __init__(
        self,
        *,
        queue: str,
        broker_url: str,
        tmp_path: Path,
        beat: bool = False,
        env: dict | None = None,
        consumes: list[str] | None = None,
    ):
        """``consumes``: the queues' own names ("imports", "matching") this worker takes; all of them by default."""
        self.queue, self.broker_url, self.tmp_path, self.beat = queue, broker_url, tmp_path, beat
        self.consumes = consumes
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None
        self.log = tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log"

    def start(self) -> Worker:
        env = (
            os.environ
            | {
                "DATABASE_URL": test_database_url(application_name=f"worker-{self.queue}"),
                "CELERY_BROKER_URL": self.broker_url,
                "DJANGO_SETTINGS_MODULE": "factcheck.settings.local",
                # Tasks the worker itself sends (summaries, team figures) stay on this test's queue too.
                "CELERY_TASK_DEFAULT_QUEUE": self.queue,
                "DEBUG": "false",
                "DB_CONN_MAX_AGE": "0",
            }
            | self.extra_env
        )
        from factcheck.celery_app import all_queues, queue_for

        if self.consumes is None:
            queues = ",".join(all_queues(self.queue))
        else:
            queues = ",".join(queue_for(name, base=self.queue) for name in self.consumes)
        args = [sys.executable, "-m", "celery", "-A", "factcheck", "worker", "-Q", queues, "-c", "1", "-P", "solo"]
        args += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"]
        if self.beat:
            args += ["-B", "--schedule", str(self.tmp_path / f"beat-{uuid.uuid4().hex[:6]}")]
        self.process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL, as when the machine or the OOM killer takes it: no cleanup, no acknowledgement."""
        if self.alive:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.alive:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def output(self, tail: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-tail:] if self.log.exists() else ""


def wait_for(predicate, timeout: float = 60.0, every: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False
