"""A Redis server of the test's own (never the shared one), to stop and restart, and pointing the app's
Celery producer at it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    """redis-server on a free loopback port, in its own temporary directory; stop() and start() at will."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed; .ci/run installs it")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()  # SIGKILL: the broker vanishes, as in a crash
            self.process.wait(timeout=10)
        self.process = None


@contextmanager
def celery_producer_using(broker_url: str):
    """Make this process send tasks to `broker_url` for real (not eagerly), as the web process does."""
    from factcheck.celery_app import app

    # Producers use broker_write_url (falling back to CELERY_BROKER_URL from the environment, which wins
    # over broker_url): set the write URL so this process really talks to the given broker.
    old = (app.conf.get("broker_write_url"), app.conf.task_always_eager)

    def reset_pools():
        # The producer and connection pools are built lazily from the broker URL; drop them to rebuild.
        # (Not closed: kombu keeps pools per connection URL, and a closed one would be handed out again.)
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.broker_write_url, app.conf.task_always_eager = broker_url, False
    reset_pools()
    try:
        yield app
    finally:
        reset_pools()
        app.conf.broker_write_url, app.conf.task_always_eager = old
