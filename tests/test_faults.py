"""Faults with real processes: a worker killed mid-import, the import's database connection terminated or
its query cancelled, the broker stopped while people rate and settle. Each time every distinct input is
stored exactly once and every summary comes right by itself."""

from __future__ import annotations

import csv
import io
import os
import time
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from articles.models import Article, ImportItem, ImportJob
from articles.services import imports as article_imports
from reviews.models import StaleSummary, StatementSummary
from tests.brokers import celery_producer_using
from tests.factories import AssignmentFactory, StatementFactory
from tests.workers import Worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.fault, pytest.mark.django_db(transaction=True)]

ROWS = 600
# Short intervals so recovery happens within the test: a job silent 8 s is stale, beat sweeps every 2 s.
FAST_RECOVERY = {
    "IMPORT_HEARTBEAT_TIMEOUT_SECONDS": "8",
    "IMPORT_PENDING_REQUEUE_SECONDS": "8",
    "SWEEP_SECONDS": "2",
    "SUMMARY_DRAIN_SECONDS": "2",
}


def csv_uploads(rows: int = ROWS, files: int = 3) -> list[article_imports.Upload]:
    """Distinct articles as CSV files: every row is its own article, so "stored once" is countable."""
    uploads = []
    per_file = rows // files
    for f in range(files):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["title", "text"])
        for i in range(f * per_file, (f + 1) * per_file):
            body = (
                f"The council of district {i} approved a budget of {i * 7 + 13} million dollars on Tuesday. "
                f"Officials said {i % 97 + 3} schools would be repaired before the winter of {2000 + i % 25}.\n\n"
                f"Residents of district {i} told reporters that the plan had been discussed for {i % 11 + 2} years."
            )
            writer.writerow([f"District {i} budget", body])
        uploads.append(article_imports.Upload(name=f"batch-{f}.csv", data=out.getvalue().encode()))
    return uploads


def assert_every_row_stored_once(job: ImportJob) -> None:
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, (job.status, job.error)
    assert Article.objects.count() == ROWS
    assert set(Article.objects.values_list("title", flat=True)) == {f"District {i} budget" for i in range(ROWS)}
    items = ImportItem.objects.filter(job=job)
    assert items.count() == ROWS and not items.exclude(status=ImportItem.Status.IMPORTED).exists()
    assert (job.processed, job.succeeded, job.failed, job.duplicates) == (ROWS, ROWS, 0, 0)


@pytest.fixture
def queue():
    from factcheck.celery_app import app

    name = f"fault-{uuid.uuid4().hex[:8]}"
    old = app.conf.task_default_queue
    app.conf.task_default_queue = name
    yield name
    app.conf.task_default_queue = old


def stored(job: ImportJob) -> int:
    return ImportItem.objects.filter(job=job).count()


def test_a_worker_killed_mid_import_is_replaced_and_the_job_finishes_with_every_row_once(queue, tmp_path):
    broker = os.environ["CELERY_BROKER_URL"]
    first = Worker(queue=queue, broker_url=broker, tmp_path=tmp_path, env=FAST_RECOVERY).start()
    second = Worker(queue=queue, broker_url=broker, tmp_path=tmp_path, beat=True, env=FAST_RECOVERY)
    try:
        with celery_producer_using(broker):
            job = article_imports.import_job_create(created_by=None, uploads=csv_uploads())
            assert wait_for(lambda: stored(job) >= 150, timeout=90), first.output()
            first.kill()
            killed_at = time.monotonic()
            at_kill = stored(job)
            assert 0 < at_kill < ROWS and ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.RUNNING
            second.start()  # a new worker (with beat) comes up; the sweep finds the silent job
            assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).is_finished, timeout=120), second.output()
            print(f"killed at {at_kill}/{ROWS} rows; finished {time.monotonic() - killed_at:.1f} s after the kill")
        assert_every_row_stored_once(job)
    finally:
        first.stop()
        second.stop()


TERMINATE = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s"
CANCEL = "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = %s"


def test_the_imports_database_connection_killed_and_its_query_cancelled_cost_nothing(queue, tmp_path):
    broker = os.environ["CELERY_BROKER_URL"]
    worker = Worker(queue=queue, broker_url=broker, tmp_path=tmp_path, env=FAST_RECOVERY).start()
    try:
        with celery_producer_using(broker):
            job = article_imports.import_job_create(created_by=None, uploads=csv_uploads())
            assert wait_for(lambda: stored(job) >= 150, timeout=90), worker.output()
            with connection.cursor() as cursor:
                cursor.execute(TERMINATE, [f"worker-{queue}"])
                assert cursor.fetchall(), "the worker's connection was not found"
            assert wait_for(lambda: stored(job) >= 350, timeout=90), worker.output()
            with connection.cursor() as cursor:
                cursor.execute(CANCEL, [f"worker-{queue}"])
            assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).is_finished, timeout=120), worker.output()
        assert_every_row_stored_once(job)
        assert "transient database error" in worker.output(tail=10**7)  # it did hit the fault, and resumed
    finally:
        worker.stop()


def rate(client, assignment, verdict):
    return client.post(
        reverse("reviews:assignment_detail", args=[assignment.pk]),
        {"verdict": verdict, "confidence": 4, "rationale": "Minutes.", "evidence-TOTAL_FORMS": 0,
         "evidence-INITIAL_FORMS": 0},
    )  # fmt: skip


def test_ratings_and_settlements_made_while_the_broker_is_down_converge_after_it_returns(
    queue, tmp_path, own_redis, reviewer, other_reviewer, editor, reviewer_client, other_reviewer_client,
    editor_client,
):  # fmt: skip
    agreed, disputed = StatementFactory(), StatementFactory()
    mine = AssignmentFactory(statement=agreed, reviewer=reviewer)
    theirs = AssignmentFactory(statement=agreed, reviewer=other_reviewer)
    worker = Worker(queue=queue, broker_url=own_redis.url, tmp_path=tmp_path, beat=True, env=FAST_RECOVERY)
    try:
        with celery_producer_using(own_redis.url):
            worker.start()
            own_redis.stop()
            assert rate(reviewer_client, mine, "false").status_code == 302
            assert rate(other_reviewer_client, theirs, "false").status_code == 302
            settle = reverse("reviews:statement_settle", args=[disputed.pk])
            assert editor_client.post(settle, {"verdict": "half_true", "note": "Both half right"}).status_code == 302
            # Saved, marked stale, and not summarised: no worker got a message.
            assert set(StaleSummary.objects.values_list("pk", flat=True)) == {agreed.pk, disputed.pk}
            assert not StatementSummary.objects.filter(statement=agreed, rating_count=2).exists()

            own_redis.start()  # an empty broker: every message sent while it was down is gone
            back_at = time.monotonic()

            def converged():
                summary = StatementSummary.objects.filter(statement=agreed).first()
                return (
                    not StaleSummary.objects.exists()
                    and summary is not None
                    and (summary.rating_count, summary.consensus, summary.settled) == (2, "false", True)
                )

            assert wait_for(converged, timeout=90), worker.output()
            print(f"summaries right {time.monotonic() - back_at:.1f} s after the broker came back")
        settled = StatementSummary.objects.get(statement=disputed)
        assert (settled.editor_verdict, settled.settled) == ("half_true", True)
        agreed.refresh_from_db()
        disputed.refresh_from_db()
        assert (agreed.review_status, disputed.review_status) == ("settled", "settled")
        from reviews.models import ArticleSummary, TeamSummary

        assert ArticleSummary.objects.get(article=agreed.article).distribution == {"false": 1}
        assert wait_for(lambda: TeamSummary.objects.filter(scope="desk", rating_count=2).exists(), timeout=60)
    finally:
        worker.stop()


def test_two_workers_running_one_big_import_at_once_store_every_row_once(queue, tmp_path):
    """The same job handed to two workers (a redelivery, or the sweep re-sending a slow job): they take turns
    on each batch, skip what the other stored, and the job finishes with every row once."""
    from factcheck.core.enqueue import enqueue_now

    broker = os.environ["CELERY_BROKER_URL"]
    workers = [Worker(queue=queue, broker_url=broker, tmp_path=tmp_path, env=FAST_RECOVERY).start() for _ in range(2)]
    try:
        with celery_producer_using(broker):
            job = article_imports.import_job_create(created_by=None, uploads=csv_uploads())
            assert enqueue_now(article_imports.IMPORT_TASK, job.pk)  # a second message for the same job
            assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).is_finished, timeout=120), workers[0].output()
        assert_every_row_stored_once(job)
        logs = [worker.output(tail=10**7) for worker in workers]
        assert all("import_job_run_task" in log for log in logs), "each worker should have taken one message"
    finally:
        for worker in workers:
            worker.stop()
