import pytest

from articles.models import Article, ImportItem, ImportJob, Statement
from articles.services import imports as article_imports
from articles.tasks import import_job_run_task
from tests.brokers import celery_producer_using

pytestmark = pytest.mark.django_db


def run_import(*uploads: tuple[str, bytes], user=None) -> ImportJob:
    job = article_imports.import_job_create(
        created_by=user, uploads=[article_imports.Upload(name=n, data=d) for n, d in uploads]
    )
    article_imports.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def test_seed_article_title_is_its_first_line(seed_bytes):
    job = run_import(("seed.txt", seed_bytes))
    assert job.status == ImportJob.Status.DONE
    article = Article.objects.get()
    assert article.title == "Beaten in Damascus by Israel’s Raids, Soleimani and his HQ Retreat to Aleppo"
    assert not article.body.startswith("Beaten in Damascus")


def test_seed_article_splits_at_the_right_boundaries(seed_bytes):
    run_import(("seed.txt", seed_bytes))
    article = Article.objects.get()
    texts = list(article.statements.order_by("position").values_list("text", flat=True))

    def the_one_containing(fragment: str) -> str:
        hits = [t for t in texts if fragment in t]
        assert len(hits) == 1, (fragment, hits)
        return hits[0]

    assert the_one_containing("Maj. Gen. Qassem Soleimani").startswith("Prime Minister Binyamin Netanyahu")
    assert "attack of Feb. 11 against Iranian targets" in the_one_containing("Feb. 11")
    assert the_one_containing("2.500 Iranian Revolutionary Guards").startswith("Sharing in this defeat")
    assert "1. To clinch the domination of Iranian influence over the Assad regime." in texts
    assert "2. The prevent the Russian army from moving in and asserting control of the Syrian capital." in texts
    assert any(t.startswith("3. To establish a frontline Iranian-Hizballah-Shiite") for t in texts)
    assert not {"1.", "2.", "3."} & set(texts)
    assert not any("Print Friendly" in t for t in texts)
    assert "Print Friendly" not in article.body
    assert texts[-1] == "In the next article, we list the formidable military assets relocated in the move."


def test_statement_offsets_point_into_the_cleaned_body(seed_bytes):
    run_import(("seed.txt", seed_bytes))
    article = Article.objects.get()
    statements = list(article.statements.order_by("position"))
    assert len(statements) > 30
    for statement in statements:
        assert article.body[statement.start : statement.end] == statement.text
    assert [s.position for s in statements] == list(range(len(statements)))


def test_statements_are_scored_with_reasons(seed_bytes):
    run_import(("seed.txt", seed_bytes))
    statements = Statement.objects.all()
    assert all(0 <= s.score <= 1 for s in statements)
    assert all(s.scored_by for s in statements)
    assert any(s.score_reasons for s in statements)


def test_importing_the_same_file_twice_records_a_duplicate(seed_bytes):
    first = run_import(("seed.txt", seed_bytes))
    second = run_import(("copy-of-seed.txt", seed_bytes))
    assert Article.objects.count() == 1
    assert (first.succeeded, second.succeeded, second.duplicates) == (1, 0, 1)
    item = second.items.get()
    assert item.status == ImportItem.Status.DUPLICATE
    assert item.article == Article.objects.get()


def test_bad_files_fail_with_a_reason_while_the_others_import(seed_bytes):
    job = run_import(("empty.txt", b""), ("seed.txt", seed_bytes), ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00"))
    assert job.status == ImportJob.Status.DONE_WITH_ERRORS
    assert (job.succeeded, job.failed) == (1, 2)
    failed = {i.name: i for i in job.items.filter(status=ImportItem.Status.FAILED)}
    assert set(failed) == {"empty.txt", "photo.txt"}
    assert all(len(i.error) > 10 for i in failed.values())
    assert bytes(failed["photo.txt"].raw).startswith(b"\x89PNG")


def test_every_item_keeps_its_raw_input(seed_bytes):
    job = run_import(("seed.txt", seed_bytes))
    assert bytes(job.items.get().raw) == seed_bytes


def test_running_the_import_task_twice_creates_the_articles_once(seed_bytes):
    job = article_imports.import_job_create(
        created_by=None, uploads=[article_imports.Upload(name="seed.txt", data=seed_bytes)]
    )
    import_job_run_task.apply(args=[job.pk])
    import_job_run_task.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Article.objects.count() == 1
    assert job.items.count() == 1
    assert (job.succeeded, job.processed) == (1, 1)


def test_a_redelivered_task_resumes_without_doubling(seed_bytes):
    job = run_import(("a.txt", seed_bytes), ("b.txt", b"Second story\n\nThe mayor said 40 homes flooded."))
    statements_before = Statement.objects.count()
    # Simulate a worker that died after storing items but before marking the job finished.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    job.sources.update(done=False)
    article_imports.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Article.objects.count() == 2
    assert Statement.objects.count() == statements_before
    assert job.items.count() == 2 and job.succeeded == 2


def test_a_job_with_nothing_to_import_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        article_imports.import_job_create(created_by=None, uploads=[], urls=[])


def test_a_pending_job_whose_message_was_lost_is_sent_again_and_finishes(seed_bytes):
    import datetime

    from django.utils import timezone

    lost = article_imports.import_job_create(
        created_by=None, uploads=[article_imports.Upload(name="a.txt", data=seed_bytes)]
    )
    fresh = article_imports.import_job_create(
        created_by=None,
        uploads=[article_imports.Upload(name="b.txt", data=b"Fresh\n\nThe mayor said 4 homes flooded.")],
    )
    ImportJob.objects.filter(pk=lost.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=3))
    assert article_imports.import_jobs_requeue_stale() == [lost.pk]
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == ImportJob.Status.DONE and fresh.status == ImportJob.Status.PENDING


def test_a_running_job_whose_heartbeat_stopped_is_resumed_and_a_beating_one_is_left_alone(seed_bytes):
    import datetime

    from django.utils import timezone

    job = run_import(("a.txt", seed_bytes), ("b.txt", b"Second\n\nThe council hired 12 new staff."))
    # The worker died after storing the first source: the job is running and one source is left.
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, heartbeat_at=now)
    job.sources.filter(position=1).update(done=False)
    job.items.filter(source__position=1).delete()
    ImportJob.objects.filter(pk=job.pk).update(processed=1, succeeded=1, sources_done=1)
    Article.objects.filter(title="Second").delete()

    # Slow, not dead: it beat a moment ago.
    assert article_imports.import_jobs_requeue_stale(now=now + datetime.timedelta(seconds=30)) == []
    # Silent for over a minute: sent again, and it finishes, storing only what was missing.
    assert article_imports.import_jobs_requeue_stale(now=now + datetime.timedelta(seconds=61)) == [job.pk]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert (job.succeeded, job.processed, job.sources_done) == (2, 2, 2)
    assert Article.objects.count() == 2


def test_a_job_sent_again_is_not_sent_again_until_its_resend_had_a_chance():
    import datetime

    from django.utils import timezone

    job = ImportJob.objects.create(label="x", status=ImportJob.Status.RUNNING, heartbeat_at=timezone.now())
    later = timezone.now() + datetime.timedelta(minutes=2)
    ImportJob.objects.filter(pk=job.pk).update(requeued_at=later)
    assert article_imports.import_jobs_requeue_stale(now=later + datetime.timedelta(minutes=1)) == []
    assert article_imports.import_jobs_requeue_stale(now=later + datetime.timedelta(minutes=11)) == [job.pk]


def test_the_upload_is_kept_pending_when_the_broker_is_down(
    own_redis, admin_client_role, seed_bytes, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    own_redis.stop()
    with celery_producer_using(own_redis.url), django_capture_on_commit_callbacks(execute=True):
        response = admin_client_role.post(
            reverse("articles:import_list"), {"files": [SimpleUploadedFile("seed.txt", seed_bytes)]}
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PENDING and job.sources.count() == 1


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>x</script>", " JAVASCRIPT:x", "ftp://a/b"]
)
def test_imported_urls_that_are_not_http_are_dropped(url):
    import json

    record = json.dumps({"title": "Linked", "text": "The mayor said 40 homes flooded.", "url": url}).encode()
    run_import(("one.json", record))
    assert Article.objects.get().url == ""


def test_a_job_failed_part_way_is_retried_for_every_item_not_stored_and_none_twice(
    monkeypatch, admin_user, django_capture_on_commit_callbacks
):
    """A bug stops the job at its second batch: "Retry" imports the rest of the source (skipping what was
    stored) as well as the failed items, so every row ends up stored exactly once."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "text"])
    for i in range(450):
        writer.writerow([f"Row {i}", f"The county spent {i + 10} million dollars on {i % 7 + 2} new bridges."])
    writer.writerow(["No text", ""])  # a failed item of its own
    upload = article_imports.Upload(name="rows.csv", data=out.getvalue().encode())

    real_store = article_imports._store_batch
    calls = {"n": 0}

    def store_then_break(job, source, batch):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("a bug in the middle of the job")
        return real_store(job, source, batch)

    monkeypatch.setattr(article_imports, "_store_batch", store_then_break)
    job = article_imports.import_job_create(created_by=admin_user, uploads=[upload])
    with pytest.raises(RuntimeError):
        article_imports.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "a bug in the middle" in job.error
    assert Article.objects.count() == 200

    monkeypatch.setattr(article_imports, "_store_batch", real_store)
    with django_capture_on_commit_callbacks(execute=True):
        retry = article_imports.import_job_retry_failed(job=job, user=admin_user)
    retry.refresh_from_db()
    assert retry.status == ImportJob.Status.DONE_WITH_ERRORS
    assert Article.objects.count() == 450
    assert sorted(Article.objects.values_list("title", flat=True)) == sorted(f"Row {i}" for i in range(450))
    assert (retry.succeeded, retry.duplicates, retry.failed) == (250, 0, 1)  # stored rows were not re-read as items
    assert "1 unfinished source(s)" in retry.label
