"""The Celery path for real: a `celery worker` process, the Redis broker and PostgreSQL."""

import os
import uuid

import pytest
from django.db import connection

from articles.models import Article, ImportJob, Statement
from articles.services import imports as article_imports
from tests.brokers import celery_producer_using
from tests.workers import Worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker_process(tmp_path):
    """A worker on a queue of its own, on the shared broker, pointed at the test database."""
    from factcheck.celery_app import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    broker = os.environ["CELERY_BROKER_URL"]
    worker = Worker(queue=queue, broker_url=broker, tmp_path=tmp_path).start()
    old_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        with celery_producer_using(broker):
            yield worker
    finally:
        app.conf.task_default_queue = old_queue
        worker.stop()
        print(worker.output())


def test_seed_article_imports_through_a_real_worker(celery_worker_process, seed_bytes):
    job = article_imports.import_job_create(
        created_by=None, uploads=[article_imports.Upload(name="seed.txt", data=seed_bytes)]
    )
    finished = wait_for(lambda: ImportJob.objects.get(pk=job.pk).is_finished)
    job.refresh_from_db()
    assert finished, f"job still {job.status}; worker alive: {celery_worker_process.alive}"
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
