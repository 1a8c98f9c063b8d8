"""Imports through the API: from URLs, JSON records and uploaded files; job status with counts and each item's
outcome; retrying failed items. The same import service as the Imports page runs them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, ImportJob
from tests.localserver import QuietHandler, serving

pytestmark = pytest.mark.django_db

PAGE = b"""<!doctype html><html><head><title>Harbour news</title></head><body><article><h1>Pier closes</h1>
<p>The harbour authority said on Monday that the north pier will close for repairs in June, and that ferries
will use the south terminal for at least six weeks.</p><p>Fishermen said 40 boats are affected.</p>
</article></body></html>"""


class Handler(QuietHandler):
    def do_GET(self):
        if self.path == "/story":
            self.send(200, PAGE)
        else:
            self.send(404, b"not here")


@pytest.fixture(scope="module")
def site():
    with serving(Handler) as base_url:
        yield base_url


@pytest.fixture
def local_fetch_allowed(settings):
    settings.IMPORT_FETCH_ALLOW_HOSTS = frozenset({"127.0.0.1"})


def test_import_a_url_and_follow_the_job_to_its_counts_and_items(
    admin_api, site, local_fetch_allowed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(
            reverse("api:import-list"), {"urls": [f"{site}/story", f"{site}/missing"]}, format="json"
        )
    assert response.status_code == 201
    assert response.json()["status"] == "pending"  # the answer comes before the worker runs
    job_url = response["Location"]
    job = admin_api.get(job_url).json()
    assert job["status"] == "done_with_errors" and job["finished"] is True
    assert (job["processed"], job["succeeded"], job["failed"], job["duplicates"]) == (2, 1, 1, 0)
    items = admin_api.get(reverse("api:import-items", args=[job["id"]])).json()["results"]
    assert [i["status"] for i in items] == ["imported", "failed"]
    assert items[0]["article"] == Article.objects.get().pk
    assert "404" in items[1]["error"]
    failed_only = admin_api.get(reverse("api:import-items", args=[job["id"]]), {"status": "failed"}).json()
    assert [i["status"] for i in failed_only["results"]] == ["failed"]


def test_import_json_records_each_as_an_article_or_a_failed_item(admin_api, django_capture_on_commit_callbacks):
    records = [
        {"title": "Budget vote", "text": "The council approved a $12 million budget on Tuesday. It passed 7 to 2."},
        {"headline": "No body here"},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(reverse("api:import-list"), {"records": records, "label": "feed sync"}, format="json")
    assert response.status_code == 201
    job = ImportJob.objects.get()
    assert job.label == "feed sync" and (job.succeeded, job.failed) == (1, 1)
    assert Article.objects.get().title == "Budget vote"


def test_import_uploaded_files_as_multipart(admin_api, django_capture_on_commit_callbacks):
    story = SimpleUploadedFile("story.txt", b"Bridge costs\n\nThe council spent $48 million on the bridge.\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(reverse("api:import-list"), {"files": [story]}, format="multipart")
    assert response.status_code == 201, response.json()
    assert Article.objects.get().title == "Bridge costs"
    assert admin_api.get(response["Location"]).json()["succeeded"] == 1


def test_retry_makes_a_new_job_of_the_failed_items(
    admin_api, site, local_fetch_allowed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = admin_api.post(reverse("api:import-list"), {"urls": [f"{site}/missing"]}, format="json").json()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(reverse("api:import-retry", args=[first["id"]]))
    assert response.status_code == 201
    retry = response.json()
    assert retry["retry_of"] == first["id"] and retry["id"] != first["id"]
    assert admin_api.get(response["Location"]).json()["failed"] == 1
    again = admin_api.post(reverse("api:import-retry", args=[retry["id"]]))  # the retry failed too: retry again
    assert again.status_code == 201


def test_nothing_to_retry_is_a_400_with_the_reason(admin_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = admin_api.post(reverse("api:import-list"), {"records": [{"text": "A sentence. Another."}]}, format="json")
    response = admin_api.post(reverse("api:import-retry", args=[job.json()["id"]]))
    assert response.status_code == 400
    assert "nothing to retry" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "non_field_errors"),
        ({"urls": ["javascript:alert(1)"]}, "urls"),
        ({"records": ["not an object"]}, "records.0"),
        ({"urls": "https://example.org/one"}, "urls"),
    ],
)
def test_bad_imports_are_refused_field_by_field(admin_api, body, field):
    response = admin_api.post(reverse("api:import-list"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not ImportJob.objects.exists()


def test_a_request_over_the_upload_cap_is_a_413(admin_api, settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 10
    response = admin_api.post(
        reverse("api:import-list"), {"urls": ["https://example.org/a-long-enough-url"]}, format="json"
    )
    assert response.status_code == 413 and response.json()["code"] == "request_too_large"


def test_a_pending_job_says_when_no_worker_seems_to_run(admin_api, settings):
    settings.IMPORT_PENDING_WARNING_AFTER = settings.IMPORT_PENDING_WARNING_AFTER * 0
    job = admin_api.post(reverse("api:import-list"), {"urls": ["https://example.org/story"]}, format="json").json()
    assert admin_api.get(reverse("api:import-detail", args=[job["id"]])).json()["no_worker_suspected"] is True
