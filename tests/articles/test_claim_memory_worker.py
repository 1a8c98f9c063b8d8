"""The claim memory's Celery path for real: an import's statements are looked up by a worker of the "matching"
queue (and only by one), through the Redis broker and PostgreSQL."""

import os
import uuid

import pytest

from articles.models import ClaimMatch, ImportJob, Statement
from articles.services import imports as article_imports
from reviews.services.settlement import statement_settle
from tests.brokers import celery_producer_using
from tests.factories import StatementFactory
from tests.workers import Worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SETTLED = "The council spent $48 million on the new bridge over the river in 2023."
ARTICLE = (
    b"Bridge costs again\n\n"
    b"The council spent 48 million dollars on the new bridge over the river in 2023! "
    b"Giraffes sleep less than two hours a day in the wild."
)


def test_an_import_gets_suggestions_through_the_matching_queue(tmp_path, editor):
    from factcheck.celery_app import app

    earlier = StatementFactory(text=SETTLED)
    statement_settle(statement=earlier, editor=editor, verdict="false")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    broker = os.environ["CELERY_BROKER_URL"]
    everything_but_matching = ["imports", "summaries", "maintenance", "notifications"]
    importer = Worker(queue=queue, broker_url=broker, tmp_path=tmp_path, consumes=everything_but_matching).start()
    matcher = None
    old_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        with celery_producer_using(broker):
            job = article_imports.import_job_create(
                created_by=None, uploads=[article_imports.Upload(name="bridge.txt", data=ARTICLE)]
            )
            assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).is_finished), importer.output()
            imported = Statement.objects.exclude(pk=earlier.pk)
            assert imported.count() == 2
            # Nobody consumes the matching queue yet: the lookups wait there, nothing is suggested.
            assert not ClaimMatch.objects.exists()
            assert imported.filter(matched_at__isnull=True).count() == 2

            matcher = Worker(queue=queue, broker_url=broker, tmp_path=tmp_path, consumes=["matching"]).start()
            assert wait_for(lambda: not imported.filter(matched_at__isnull=True).exists(), timeout=120), (
                matcher.output()
            )
    finally:
        app.conf.task_default_queue = old_queue
        importer.stop()
        if matcher:
            matcher.stop()
    match = ClaimMatch.objects.get()
    assert match.earlier_id == earlier.pk
    assert "48 million dollars" in match.statement.text
    assert match.status == ClaimMatch.Status.SUGGESTED


def test_an_edit_drops_the_old_suggestion_and_a_matching_worker_looks_the_new_text_up(tmp_path, editor):
    from articles.services.claim_memory import statements_match
    from articles.services.curation import statement_edit_text
    from factcheck.celery_app import app

    bridge = StatementFactory(text=SETTLED)
    giraffes = StatementFactory(text="Giraffes sleep less than two hours a day in the wild.")
    for earlier in (bridge, giraffes):
        statement_settle(statement=earlier, editor=editor, verdict="false")
    later = StatementFactory(text="The council spent 48 million dollars on the new bridge over the river in 2023!")
    statements_match([later.pk])
    assert list(ClaimMatch.objects.filter(statement=later).values_list("earlier_id", flat=True)) == [bridge.pk]

    queue = f"test-{uuid.uuid4().hex[:8]}"
    broker = os.environ["CELERY_BROKER_URL"]
    matcher = Worker(queue=queue, broker_url=broker, tmp_path=tmp_path, consumes=["matching"]).start()
    old_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        with celery_producer_using(broker):
            statement_edit_text(statement=later, user=editor, text="Giraffes sleep under 2 hours a day in the wild!")
            assert not ClaimMatch.objects.filter(statement=later).exists()  # committed: the old suggestion is gone
            assert wait_for(
                lambda: Statement.objects.filter(pk=later.pk, matched_at__isnull=False).exists(), timeout=120
            ), matcher.output()
    finally:
        app.conf.task_default_queue = old_queue
        matcher.stop()
    assert list(ClaimMatch.objects.filter(statement=later).values_list("earlier_id", "status")) == [
        (giraffes.pk, "suggested")
    ]
