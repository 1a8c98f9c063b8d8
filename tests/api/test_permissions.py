"""Who may call what in the API: every endpoint × every method × every role, as tests/test_permissions.py does
for the pages. Callers use their API tokens (anonymous sends none and gets the 401 token challenge)."""

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from articles.models import ImportItem, ImportJob, ImportSource
from factcheck.api.models import WebhookEndpoint
from factcheck.api.services.tokens import token_create
from reviews.models import Report
from tests.factories import AssignmentFactory, RatingFactory, StatementFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reviewer", "other_reviewer", "editor", "admin"]
METHODS = ["get", "post", "put", "patch", "delete"]


@pytest.fixture
def world(reviewer, other_reviewer, editor, admin_user):
    rated = StatementFactory()
    open_statement = StatementFactory(article=rated.article)
    rated_assignment = AssignmentFactory(statement=rated, reviewer=reviewer)
    assignment = AssignmentFactory(statement=open_statement, reviewer=reviewer)
    rating = RatingFactory(statement=rated, reviewer=reviewer)
    job = ImportJob.objects.create(created_by=admin_user, label="x", status=ImportJob.Status.DONE_WITH_ERRORS)
    source = ImportSource.objects.create(job=job, position=0, kind=ImportSource.Kind.FILE, name="a.txt", raw=b"x")
    ImportItem.objects.create(
        job=job, source=source, position=0, name="a.txt", raw=b"x", status=ImportItem.Status.FAILED, error="empty"
    )
    now = timezone.now()
    report = Report.objects.create(
        article=rated.article, status=Report.Status.PUBLISHED, headline="Checked", published_at=now,
        first_published_at=now,
    )  # fmt: skip
    webhook = WebhookEndpoint.objects.create(
        url="https://hooks.example.org/desk", events=["report.published"], secret="whsec_x", created_by=admin_user
    )
    tokens = {
        "reviewer": token_create(user=reviewer, name="matrix"),
        "other_reviewer": token_create(user=other_reviewer, name="matrix"),
        "editor": token_create(user=editor, name="matrix"),
        "admin": token_create(user=admin_user, name="matrix"),
    }
    return {
        "statement": rated,
        "article": rated.article,
        "assignment": assignment,
        "rated_assignment": rated_assignment,
        "rating": rating,
        "job": job,
        "report": report,
        "webhook": webhook,
        "token": tokens["reviewer"].token,
        "tokens": tokens,
    }


@pytest.fixture
def client_for(world):
    def make(role):
        client = APIClient()
        if role != "anonymous":
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {world['tokens'][role].raw}")
        return client

    return make


# (url name, args key, method, expected status per role in ROLES order). Writes send an empty body: a 400
# means the caller got past the permission check to validation.
MATRIX = [
    ("api:schema", None, "get", [200, 200, 200, 200, 200]),
    ("api:docs", None, "get", [200, 200, 200, 200, 200]),
    ("api:redoc", None, "get", [200, 200, 200, 200, 200]),
    ("api:me", None, "get", [401, 200, 200, 200, 200]),
    ("api:token-list", None, "get", [401, 200, 200, 200, 200]),
    ("api:token-list", None, "post", [401, 403, 403, 403, 403]),  # tokens are made with the session only
    ("api:token-detail", "token", "get", [401, 200, 404, 404, 200]),
    ("api:token-detail", "token", "delete", [401, 204, 404, 404, 204]),
    ("api:import-list", None, "get", [401, 403, 403, 403, 200]),
    ("api:import-list", None, "post", [401, 403, 403, 403, 400]),
    ("api:import-detail", "job", "get", [401, 403, 403, 403, 200]),
    ("api:import-items", "job", "get", [401, 403, 403, 403, 200]),
    ("api:import-retry", "job", "post", [401, 403, 403, 403, 201]),
    ("api:article-list", None, "get", [401, 403, 403, 200, 200]),
    ("api:article-detail", "article", "get", [401, 403, 403, 200, 200]),
    ("api:article-report", "article", "get", [401, 403, 403, 200, 200]),
    ("api:article-report", "article", "put", [401, 403, 403, 400, 400]),
    ("api:article-report-publish", "article", "post", [401, 403, 403, 400, 400]),
    ("api:article-report-withdraw", "article", "post", [401, 403, 403, 200, 200]),
    ("api:statement-list", None, "get", [401, 403, 403, 200, 200]),
    ("api:statement-detail", "statement", "get", [401, 403, 403, 200, 200]),
    ("api:statement-settle", "statement", "post", [401, 403, 403, 400, 400]),
    ("api:score", None, "post", [401, 403, 403, 400, 400]),
    ("api:assignment-list", None, "get", [401, 403, 403, 200, 200]),
    ("api:assignment-list", None, "post", [401, 403, 403, 400, 400]),
    ("api:assignment-auto", None, "post", [401, 403, 403, 400, 400]),
    ("api:assignment-detail", "assignment", "get", [401, 403, 403, 200, 200]),
    ("api:assignment-detail", "assignment", "delete", [401, 403, 403, 204, 204]),
    ("api:queue", None, "get", [401, 200, 200, 403, 403]),
    ("api:queue-item", "assignment", "get", [401, 200, 404, 403, 403]),
    ("api:rating-list", None, "get", [401, 200, 200, 403, 403]),
    ("api:rating-list", None, "post", [401, 400, 400, 403, 403]),
    ("api:rating-detail", "rating", "get", [401, 200, 404, 403, 403]),
    ("api:rating-detail", "rating", "put", [401, 400, 404, 403, 403]),
    ("api:rating-detail", "rating", "patch", [401, 200, 404, 403, 403]),
    ("api:report-list", None, "get", [200, 200, 200, 200, 200]),
    ("api:report-detail", "report", "get", [200, 200, 200, 200, 200]),
    ("api:report-claimreview", "report", "get", [200, 200, 200, 200, 200]),
    ("api:export-verdicts-csv", None, "get", [401, 403, 403, 200, 200]),
    ("api:export-verdicts-json", None, "get", [401, 403, 403, 200, 200]),
    ("api:webhook-list", None, "get", [401, 403, 403, 403, 200]),
    ("api:webhook-list", None, "post", [401, 403, 403, 403, 400]),
    ("api:webhook-detail", "webhook", "get", [401, 403, 403, 403, 200]),
    ("api:webhook-detail", "webhook", "patch", [401, 403, 403, 403, 200]),
    ("api:webhook-detail", "webhook", "delete", [401, 403, 403, 403, 204]),
    ("api:webhook-deliveries", "webhook", "get", [401, 403, 403, 403, 200]),
    # The My settings page (HTML): anonymous goes to the login page like every page.
    ("api:settings", None, "get", [302, 200, 200, 200, 200]),
    ("api:settings", None, "post", [302, 200, 200, 200, 200]),
    ("api:settings_token_revoke", "token", "post", [302, 302, 404, 404, 302]),
    ("api:settings_byline", None, "post", [302, 302, 302, 302, 302]),  # every member decides for themselves
]
PAGES = {"api:settings", "api:settings_token_revoke", "api:settings_byline"}


def url_of(world, name, arg):
    return reverse(name, args=[world[arg].pk] if arg else [])


@pytest.mark.parametrize(("name", "arg", "method", "expected"), MATRIX, ids=[f"{m[2]} {m[0]}" for m in MATRIX])
@pytest.mark.parametrize("role", ROLES)
def test_role_endpoint_matrix(world, client_for, role, name, arg, method, expected):
    client = client_for(role)
    if name in PAGES and role != "anonymous":
        client = APIClient()  # pages go by the session, as in a browser
        client.force_login(world["tokens"][role].token.user)
    response = getattr(client, method)(url_of(world, name, arg), format="json")
    assert response.status_code == expected[ROLES.index(role)], getattr(response, "data", response)
    if name in PAGES:
        if role == "anonymous":
            assert response["Location"].startswith(reverse("login"))
        return
    if response.status_code in (401, 403, 404) and name.startswith("api:") and "json" in response["Content-Type"]:
        body = response.json()
        assert set(body) == {"detail", "code"} and body["detail"], body
    if response.status_code == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")


LISTED = {(name, method) for name, _, method, _ in MATRIX}
UNLISTED = sorted(
    {(name, arg) for name, arg, _, _ in MATRIX if name not in PAGES and name not in ("api:docs", "api:redoc")}
)


@pytest.mark.parametrize(("name", "arg"), UNLISTED, ids=[u[0] for u in UNLISTED])
def test_every_other_method_is_not_allowed_for_anyone(world, client_for, name, arg):
    url = url_of(world, name, arg)
    for method in METHODS:
        if (name, method) in LISTED:
            continue
        for role in ROLES:
            response = getattr(client_for(role), method)(url, format="json")
            assert response.status_code == 405, (method, role, response.status_code)
            if name != "api:schema":  # the schema view answers in its own (OpenAPI) type
                assert response.json()["code"] == "method_not_allowed"


def _api_url_names(patterns, prefix=""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            namespace = f"{pattern.namespace}:" if pattern.namespace else prefix
            yield from _api_url_names(pattern.url_patterns, namespace)
        elif pattern.name and prefix == "api:":
            yield prefix + pattern.name


def test_every_api_url_is_in_the_matrix():
    names = set(_api_url_names(get_resolver().url_patterns))
    assert names, "the api namespace moved; update this test"
    assert names - {m[0] for m in MATRIX} == set()


def test_a_session_counts_like_a_token(world, editor):
    # The browser (Swagger UI's "Try it out") uses the session; the policy is the same.
    client = APIClient()
    client.force_login(editor)
    assert client.get(reverse("api:statement-list")).status_code == 200
    assert client.get(reverse("api:import-list")).status_code == 403


def test_session_writes_need_the_csrf_token(world, editor):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(reverse("api:score"), {"texts": ["The council spent $48 million."]}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
