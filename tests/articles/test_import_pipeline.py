"""The import pipeline end to end in Django: web page, command, URLs, feeds, retries and hostile batches."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, Feed, FeedEntry, ImportItem, ImportJob
from articles.selectors import feeds as feed_selectors
from articles.services import feeds as article_feeds
from articles.services import imports as article_imports
from tests.localserver import QuietHandler, serving

pytestmark = pytest.mark.django_db


def article_html(title: str, sentence: str) -> bytes:
    return f"""<!doctype html><html><head><title>{title}</title>
<meta property="og:site_name" content="Local Gazette"></head><body><nav>Home | News | Sport</nav>
<article><h1>{title}</h1><p>{sentence} The harbour authority said on Monday that the north pier will close
for repairs in June, and that ferries will use the south terminal for at least six weeks.</p>
<p>Fishermen said the closure comes at the worst time of the year for them, with 40 boats affected.</p>
</article><footer>Share this: Facebook Twitter</footer></body></html>""".encode()


class Site:
    """What the local test server serves; tests change it between polls."""

    feed_items: list[tuple[str, str]] = []


def rss(base: str) -> bytes:
    items = "".join(
        f"<item><guid>{guid}</guid><title>{guid}</title><link>{path if ':' in path else base + path}</link></item>"
        for guid, path in Site.feed_items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>{items}</channel></rss>'.encode()


class Handler(QuietHandler):
    def do_GET(self):
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.path.startswith("/story/"):
            slug = self.path.rsplit("/", 1)[-1]
            self.send(200, article_html(f"Pier story {slug}", f"Story {slug} begins here."))
        elif self.path == "/feed.xml":
            self.send(200, rss(base), "application/rss+xml")
        elif self.path == "/to-private":
            self.send(302, headers=[("Location", "http://10.0.0.1/admin")])
        else:
            self.send(404, b"not here")


@pytest.fixture(scope="module")
def site():
    with serving(Handler) as base_url:
        yield base_url


@pytest.fixture
def local_fetch_allowed(settings):
    # The private-address guard is opened for the local test server only, only in these tests.
    settings.IMPORT_FETCH_ALLOW_HOSTS = frozenset({"127.0.0.1"})


def test_admin_imports_urls_from_the_web_page(
    admin_client_role, site, local_fetch_allowed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_role.post(
            reverse("articles:import_list"), {"urls": f"{site}/story/one\n{site}/story/two\n"}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportJob.Status.DONE
    assert job.succeeded == 2
    article = Article.objects.get(title="Pier story one")
    assert article.url == f"{site}/story/one"
    assert "north pier will close" in article.body
    assert "Share this" not in article.body and "Home | News" not in article.body
    item = job.items.get(article=article)
    assert b"<nav>" in bytes(item.raw)  # the fetched page is kept as it came


def test_url_fetching_refuses_loopback_by_default(admin_client_role, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client_role.post(reverse("articles:import_list"), {"urls": f"{site}/story/one"})
    item = ImportItem.objects.get()
    assert item.status == ImportItem.Status.FAILED
    assert "127.0.0.1" in item.error and not Article.objects.exists()


def test_redirect_to_a_private_address_is_refused(
    admin_client_role, site, local_fetch_allowed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client_role.post(reverse("articles:import_list"), {"urls": f"{site}/to-private\n{site}/story/ok"})
    job = ImportJob.objects.get()
    assert (job.succeeded, job.failed, job.status) == (1, 1, ImportJob.Status.DONE_WITH_ERRORS)
    assert "10.0.0.1" in job.items.get(status=ImportItem.Status.FAILED).error


def test_import_page_refuses_non_http_urls(admin_client_role):
    response = admin_client_role.post(reverse("articles:import_list"), {"urls": "file:///etc/passwd"})
    assert response.status_code == 200
    assert b"Only http(s) URLs" in response.content
    assert not ImportJob.objects.exists()


def test_feed_entries_are_imported_once(
    admin_client_role, site, local_fetch_allowed, django_capture_on_commit_callbacks
):
    Site.feed_items = [("entry-1", "/story/f1"), ("entry-2", "/story/f2")]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_role.post(
            reverse("articles:feed_list"), {"url": f"{site}/feed.xml", "interval_minutes": 30}
        )
    feed = Feed.objects.get()
    assert response.status_code == 302
    assert FeedEntry.objects.filter(feed=feed).count() == 2
    assert Article.objects.count() == 2
    assert feed.next_poll_at and not feed.last_error

    with django_capture_on_commit_callbacks(execute=True):
        assert article_feeds.feed_poll(feed_id=feed.pk) is None  # nothing new
    Site.feed_items.append(("entry-3", "/story/f3"))
    with django_capture_on_commit_callbacks(execute=True):
        job = article_feeds.feed_poll(feed_id=feed.pk)
    assert job.sources_total == 1
    assert Article.objects.count() == 3
    assert FeedEntry.objects.filter(feed=feed).count() == 3
    page = admin_client_role.get(reverse("articles:feed_detail", args=[feed.pk]))
    assert b"entry-3" in page.content


@pytest.mark.parametrize(
    "link", ["javascript:alert(document.cookie)", "data:text/html,<script>x</script>", "ftp://x/y"]
)
def test_a_feed_entry_whose_link_is_not_http_is_never_stored_or_linked(
    admin_client_role, site, local_fetch_allowed, django_capture_on_commit_callbacks, link
):
    Site.feed_items = [("good", "/story/g1"), ("evil", link)]
    with django_capture_on_commit_callbacks(execute=True):
        admin_client_role.post(reverse("articles:feed_list"), {"url": f"{site}/feed.xml", "interval_minutes": 30})
    feed = Feed.objects.get()
    assert list(FeedEntry.objects.filter(feed=feed).values_list("guid", flat=True)) == ["good"]
    assert Article.objects.count() == 1
    # Rows stored before this rule (or by hand) are still shown as text, never as a link.
    FeedEntry.objects.create(feed=feed, guid="legacy", link=link, title="legacy entry")
    page = admin_client_role.get(reverse("articles:feed_detail", args=[feed.pk])).content.decode()
    assert "legacy entry" in page
    assert f'href="{link}' not in page and 'href="javascript' not in page


def test_feed_errors_are_recorded_on_the_feed(admin_client_role, site, local_fetch_allowed):
    feed = article_feeds.feed_subscribe(url=f"{site}/story/not-a-feed", created_by=None, poll_now=False)
    assert article_feeds.feed_poll(feed_id=feed.pk) is None
    feed.refresh_from_db()
    assert feed.last_error
    assert b"Last check failed" in admin_client_role.get(reverse("articles:feed_detail", args=[feed.pk])).content


def test_only_due_feeds_are_polled_and_beat_asks_every_minute(settings):
    from django.utils import timezone

    now = timezone.now()
    due = Feed.objects.create(url="https://a.example/feed", next_poll_at=now - timezone.timedelta(minutes=1))
    Feed.objects.create(url="https://b.example/feed", next_poll_at=now + timezone.timedelta(minutes=10))
    never = Feed.objects.create(url="https://c.example/feed")
    Feed.objects.create(url="https://d.example/feed", active=False)
    assert set(feed_selectors.feeds_due(now=now)) == {due.pk, never.pk}
    schedule = settings.CELERY_BEAT_SCHEDULE["poll-due-feeds"]
    assert schedule["task"] == "articles.tasks.feeds_poll_due_task" and schedule["schedule"] <= 60


def test_failed_items_can_be_retried(admin_client_role, site, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client_role.post(reverse("articles:import_list"), {"urls": f"{site}/story/retry"})
    job = ImportJob.objects.get()
    assert job.failed == 1  # loopback is refused by default
    settings.IMPORT_FETCH_ALLOW_HOSTS = frozenset({"127.0.0.1"})
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_role.post(reverse("articles:import_retry", args=[job.pk]))
    retry = ImportJob.objects.exclude(pk=job.pk).get()
    assert response.status_code == 302 and retry.retry_of == job
    assert (retry.succeeded, retry.failed) == (1, 0)
    assert job.items.get().status == ImportItem.Status.FAILED  # history is not rewritten
    assert b"Retried in" in admin_client_role.get(reverse("articles:import_detail", args=[job.pk])).content


def test_a_retried_csv_row_is_read_as_its_own_record():
    csv_data = b"title,text\nGood row,The mayor said 40 homes flooded on Sunday.\nEmpty row,\n"
    job = article_imports.import_job_create(
        created_by=None, uploads=[article_imports.Upload(name="rows.csv", data=csv_data)]
    )
    article_imports.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    failed = job.items.get(status=ImportItem.Status.FAILED)
    retry = article_imports.import_job_retry_failed(job=job, user=None)
    article_imports.import_job_run(job_id=retry.pk)
    again = retry.items.get()
    assert again.name == failed.name
    assert again.status == ImportItem.Status.FAILED and again.error == failed.error


@pytest.mark.django_db(transaction=True)  # the command's job is enqueued on commit, as in real use
def test_command_imports_files_folders_and_feeds(tmp_path, site, local_fetch_allowed, seed_bytes):
    folder = tmp_path / "batch"
    (folder / "nested").mkdir(parents=True)
    (folder / "nested" / "seed.txt").write_bytes(seed_bytes)
    (folder / "empty.txt").write_bytes(b"")
    csv_file = tmp_path / "rows.csv"
    csv_file.write_bytes(b"title,text\nRow story,The council approved 12 new homes on Tuesday.\n")
    out = io.StringIO()
    call_command("import_articles", str(folder), str(csv_file), "--wait", "--timeout", "30", stdout=out)
    text = out.getvalue()
    assert "imported  seed.txt" in text and "failed    empty.txt" in text
    assert text.strip().splitlines()[-1].endswith("2 imported, 0 duplicates, 1 failed.")

    out = io.StringIO()
    call_command("import_articles", f"{site}/story/cmd-url", "--wait", stdout=out)
    assert f"imported  {site}/story/cmd-url" in out.getvalue()
    assert Article.objects.filter(title="Pier story cmd-url", url=f"{site}/story/cmd-url").exists()

    Site.feed_items = [("cmd-1", "/story/c1")]
    out = io.StringIO()
    call_command("import_articles", "--feed", f"{site}/feed.xml", "--wait", stdout=out)
    assert "1 new entry" in out.getvalue()
    assert "1 imported" in out.getvalue().strip().splitlines()[-1]
    assert Article.objects.filter(title="Pier story c1").exists()


def test_command_reports_a_missing_path():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such file"):
        call_command("import_articles", "/nonexistent/file.txt")


def test_hostile_batch_through_the_web_page(admin_client_role, django_capture_on_commit_callbacks):
    from tests.articles.importing.test_hostile import CASES, GOOD, GOOD_NAME

    files = [SimpleUploadedFile(f"{i:02d}-{case.name}", case.build()) for i, case in enumerate(CASES)]
    files.append(SimpleUploadedFile(GOOD_NAME, GOOD))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_role.post(reverse("articles:import_list"), {"files": files})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE_WITH_ERRORS
    assert job.sources_done == len(CASES) + 1
    # The ZIP cases carry the good file too, so the standalone copy may be recorded as their duplicate.
    good = job.items.get(source__position=len(CASES))
    assert good.status in {ImportItem.Status.IMPORTED, ImportItem.Status.DUPLICATE}
    assert good.article.title == "Good title"
    assert job.failed >= 25
    assert not job.items.filter(status=ImportItem.Status.FAILED, error="").exists()
    assert job.processed == job.succeeded + job.duplicates + job.failed == job.items.count()
    page = admin_client_role.get(reverse("articles:import_detail", args=[job.pk]) + "?status=failed")
    assert page.status_code == 200


def test_imported_markup_is_shown_as_text(admin_client_role, editor_client, django_capture_on_commit_callbacks):
    hostile = (
        b"<html><head><title>Breaking &lt;b&gt;news</title></head><body><article><h1>Breaking news</h1>"
        b"<p>The mayor wrote &lt;script&gt;alert('x')&lt;/script&gt; in a post seen by 2,000 people on Monday.</p>"
        b"<p>Officials said <img src=x onerror=alert(1)> the claim was false and 14 staff were cleared.</p>"
        b"<script>alert('run')</script></article></body></html>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        admin_client_role.post(reverse("articles:import_list"), {"files": [SimpleUploadedFile("x.html", hostile)]})
    article = Article.objects.get()
    assert "alert('run')" not in article.body
    page = editor_client.get(reverse("reviews:article_detail", args=[article.pk])).content.decode()
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    main = page.split("<main", 1)[1]
    assert "<img" not in main and "<script>alert" not in main


def test_job_pending_too_long_warns_that_no_worker_runs(admin_client_role, settings):
    from django.utils import timezone

    job = ImportJob.objects.create(label="stuck")
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timezone.timedelta(minutes=5))
    page = admin_client_role.get(reverse("articles:import_progress", args=[job.pk]))
    assert b"no worker has picked it up" in page.content
    assert b'hx-trigger="every 2s"' in page.content


def test_an_items_raw_input_downloads_exactly_and_is_never_rendered(admin_client_role):
    raw = b"<html><script>alert(1)</script>\x00\xff</html>"
    job = article_imports.import_job_create(
        created_by=None, uploads=[article_imports.Upload(name="../evil page.html", data=raw)]
    )
    article_imports.import_job_run(job_id=job.pk)
    item = job.items.get()
    response = admin_client_role.get(reverse("articles:import_item_raw", args=[item.pk]))
    assert response.status_code == 200 and response.content == raw
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="item-{item.pk}-evil_page.html"'


def test_an_upload_over_the_per_request_cap_is_refused_with_a_clear_message(admin_client_role, settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 1024 * 1024
    files = [SimpleUploadedFile(f"part-{i}.txt", b"The council met on Tuesday. " * 22_000) for i in range(3)]
    response = admin_client_role.post(reverse("articles:import_list"), {"files": files})
    assert response.status_code == 413
    assert (
        "at most 1 MB can be uploaded at once. Upload them in several goes, or zip them." in response.content.decode()
    )
    assert not ImportJob.objects.exists()


def test_a_job_whose_every_item_failed_reads_as_a_failure_beside_no_success_banner(
    admin_client_role, django_capture_on_commit_callbacks
):
    picture = b"\x89PNG\r\n\x1a\n\x00\x00\x00" * 20
    files = [SimpleUploadedFile("a.png", picture), SimpleUploadedFile("b.png", picture + b"x")]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_role.post(reverse("articles:import_list"), {"files": files})
    job = ImportJob.objects.get()
    assert (job.status, job.succeeded, job.duplicates, job.failed) == (ImportJob.Status.DONE_WITH_ERRORS, 0, 0, 2)
    page = admin_client_role.get(response["Location"]).content.decode()  # with the banner the post left
    assert "Done with errors" not in page
    assert "Every item failed" in page and "None of the 2 items could be imported" in page
    assert "alert-success" not in page  # the "queued" banner is neutral: the job's own status tells the outcome
    assert f"Import #{job.pk} queued" in page and "progress-bar bg-danger" in page


def test_a_job_with_some_items_imported_still_says_done_with_errors(admin_client_role, seed_bytes):
    job = article_imports.import_job_create(
        created_by=None,
        uploads=[article_imports.Upload("seed.txt", seed_bytes), article_imports.Upload("a.png", b"\x89PNG\x00" * 9)],
    )
    article_imports.import_job_run(job_id=job.pk)
    page = admin_client_role.get(reverse("articles:import_detail", args=[job.pk])).content.decode()
    assert "Done with errors" in page and "Every item failed" not in page and "could be imported" not in page
