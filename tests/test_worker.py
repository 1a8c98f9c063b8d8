"""The Celery path for real: a `celery worker` process, the Redis broker and PostgreSQL."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from articles.models import Article, ImportJob, Statement
from articles.services import imports as article_imports

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker_process():
    """Start a worker on a queue of its own, pointed at the test database; stop it afterwards."""
    from factcheck.celery_app import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = os.environ | {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "factcheck.settings.local",
        # Tasks the worker itself enqueues (e.g. team summaries) stay on this test's queue too.
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DEBUG": "false",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "factcheck",
            "worker",
            "-Q",
            queue,
            "-c",
            "1",
            "-P",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "info",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    old = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    try:
        yield worker
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = old
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        print(output[-4000:])


def wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


def test_seed_article_imports_through_a_real_worker(celery_worker_process, seed_bytes):
    job = article_imports.import_job_create(
        created_by=None, uploads=[article_imports.Upload(name="seed.txt", data=seed_bytes)]
    )
    finished = wait_for(lambda: ImportJob.objects.get(pk=job.pk).is_finished)
    job.refresh_from_db()
    assert finished, f"job still {job.status}; worker alive: {celery_worker_process.poll() is None}"
    assert job.status == ImportJob.Status.DONE
    article = Article.objects.get()
    assert article.title.startswith("Beaten in Damascus")
    assert connection.vendor == "postgresql"
    assert Statement.objects.filter(article=article).count() > 30
    assert Statement.objects.filter(article=article, text__contains="Maj. Gen. Qassem Soleimani").count() == 1


def test_rating_summary_is_computed_by_the_worker(celery_worker_process, reviewer, other_reviewer):
    from reviews.models import StatementSummary
    from reviews.services.ratings import rating_submit
    from tests.factories import AssignmentFactory, StatementFactory

    statement = StatementFactory()
    for user, verdict in [(reviewer, "false"), (other_reviewer, "false")]:
        assignment = AssignmentFactory(statement=statement, reviewer=user)
        rating_submit(assignment=assignment, reviewer=user, verdict=verdict, confidence=4, rationale="Checked.")
    assert wait_for(
        lambda: StatementSummary.objects.filter(statement=statement, rating_count=2, consensus="false").exists()
    )
