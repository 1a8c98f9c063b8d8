"""Who may see and do what: every URL × every role."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import ClaimMatch, Feed, ImportItem, ImportJob, ImportSource
from factcheck.notifications.models import Notice
from reviews.models import AssignmentBatch, Rating, Report
from tests.factories import AssignmentFactory, StatementFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reviewer", "other_reviewer", "editor", "admin"]


@pytest.fixture
def world(reviewer, other_reviewer, editor, admin_user):
    statement = StatementFactory()
    assignment = AssignmentFactory(statement=statement, reviewer=reviewer)
    job = ImportJob.objects.create(created_by=admin_user, label="x", status=ImportJob.Status.DONE_WITH_ERRORS)
    feed = Feed.objects.create(url="https://news.example.org/feed.xml", next_poll_at=timezone.now())
    source = ImportSource.objects.create(job=job, position=0, kind=ImportSource.Kind.FILE, name="a.txt", raw=b"x")
    item = ImportItem.objects.create(job=job, source=source, position=0, name="a.txt", raw=b"<script>x</script>")
    report = Report.objects.create(
        article=statement.article,
        status=Report.Status.PUBLISHED,
        headline="Checked",
        published_at=timezone.now(),
        first_published_at=timezone.now(),
    )
    from axes.models import AccessAttempt

    lockout = AccessAttempt.objects.create(
        username="guesser", ip_address="203.0.113.9", user_agent="", get_data="", post_data="", http_accept="",
        path_info="/accounts/login/", failures_since_start=5,
    )  # fmt: skip
    notice = Notice.objects.create(
        recipient=reviewer, key="k", kind="assigned", title="t", target_kind="queue", created_at=timezone.now()
    )
    batch = AssignmentBatch.objects.create(created_by=editor, assignment_count=0)
    earlier = StatementFactory(text="An earlier statement of the same claim.")
    claim_match = ClaimMatch.objects.create(statement=statement, earlier=earlier, score=0.9, method="default")
    return {
        "batch": batch,
        "claim_match": claim_match,
        "notice": notice,
        "lockout": lockout,
        "statement": statement,
        "article": statement.article,
        "assignment": assignment,
        "job": job,
        "item": item,
        "feed": feed,
        "report": report,
        "member": reviewer,
    }


@pytest.fixture
def client_for(client, reviewer, other_reviewer, editor, admin_user):
    users = {"reviewer": reviewer, "other_reviewer": other_reviewer, "editor": editor, "admin": admin_user}

    def make(role):
        if role != "anonymous":
            client.force_login(users[role])
        return client

    return make


# (name, args key, method, expected status per role in ROLES order)
MATRIX = [
    ("home", None, "get", [200, 302, 302, 302, 302]),  # readers get the published fact-checks
    ("password_change", None, "get", [302, 200, 200, 200, 200]),
    ("articles:import_list", None, "get", [302, 403, 403, 403, 200]),
    ("articles:import_detail", "job", "get", [302, 403, 403, 403, 200]),
    ("articles:import_progress", "job", "get", [302, 403, 403, 403, 200]),
    ("articles:import_retry", "job", "post", [302, 403, 403, 403, 302]),
    ("articles:import_item_raw", "item", "get", [302, 403, 403, 403, 200]),
    ("articles:feed_list", None, "get", [302, 403, 403, 403, 200]),
    ("articles:feed_list", None, "post", [302, 403, 403, 403, 200]),
    ("articles:feed_detail", "feed", "get", [302, 403, 403, 403, 200]),
    ("articles:feed_poll", "feed", "post", [302, 403, 403, 403, 302]),
    ("articles:feed_toggle", "feed", "post", [302, 403, 403, 403, 302]),
    ("reviews:article_list", None, "get", [302, 403, 403, 200, 200]),
    ("reviews:article_detail", "article", "get", [302, 403, 403, 200, 200]),
    ("reviews:article_history", "article", "get", [302, 403, 403, 200, 200]),
    ("reviews:article_assign", "article", "post", [302, 403, 403, 302, 302]),
    ("reviews:article_auto_assign", "article", "post", [302, 403, 403, 302, 302]),
    ("reviews:scoring_models", None, "get", [302, 403, 403, 200, 200]),
    ("reviews:scoring_models", None, "post", [302, 403, 403, 302, 302]),
    ("reviews:matcher_train", None, "post", [302, 403, 403, 302, 302]),
    ("reviews:claim_match_decide", "claim_match", "post", [302, 403, 403, 302, 302]),
    ("reviews:statement_settle_by_reference", "claim_match", "post", [302, 403, 403, 302, 302]),
    ("reviews:search", None, "get", [302, 200, 200, 200, 200]),
    ("reviews:queue", None, "get", [302, 200, 200, 403, 403]),
    ("reviews:assignment_detail", "assignment", "get", [302, 200, 404, 403, 403]),
    ("reviews:assignment_detail", "assignment", "post", [302, 200, 404, 403, 403]),
    ("reviews:assignment_remove", "assignment", "post", [302, 403, 403, 302, 302]),
    ("reviews:overview", None, "get", [302, 403, 403, 200, 200]),
    ("reviews:assignment_reassign", "assignment", "post", [302, 403, 403, 302, 302]),
    ("reviews:assignment_due", "assignment", "post", [302, 403, 403, 302, 302]),
    ("reviews:auto_assign", None, "get", [302, 403, 403, 200, 200]),
    ("reviews:auto_assign", None, "post", [302, 403, 403, 200, 200]),
    ("reviews:auto_assign_batch", "batch", "get", [302, 403, 403, 200, 200]),
    ("reviews:auto_assign_undo", "batch", "post", [302, 403, 403, 302, 302]),
    ("reviews:overdue", None, "get", [302, 403, 403, 200, 200]),
    ("reviews:statements_bulk", None, "post", [302, 403, 403, 302, 302]),
    ("reviews:triage", None, "get", [302, 403, 403, 200, 200]),
    ("reviews:statement_list", None, "get", [302, 403, 403, 200, 200]),
    ("reviews:statement_review", "statement", "get", [302, 403, 403, 200, 200]),
    ("reviews:statement_settle", "statement", "post", [302, 403, 403, 302, 302]),
    ("articles:statement_curate", "statement", "get", [302, 403, 403, 200, 200]),
    ("articles:statement_edit", "statement", "post", [302, 403, 403, 302, 302]),
    ("articles:statement_split", "statement", "post", [302, 403, 403, 302, 302]),
    ("articles:statement_merge", "statement", "post", [302, 403, 403, 302, 302]),
    ("articles:statement_mark", "statement", "post", [302, 403, 403, 302, 302]),
    ("reviews:report_publish", "article", "get", [302, 403, 403, 200, 200]),
    ("reviews:report_publish", "article", "post", [302, 403, 403, 302, 302]),
    ("reviews:report_list", None, "get", [200, 200, 200, 200, 200]),
    ("reviews:report_detail", "report", "get", [200, 200, 200, 200, 200]),
    ("reviews:report_json", "report", "get", [200, 200, 200, 200, 200]),
    ("reviews:verdicts_csv", None, "get", [302, 403, 403, 200, 200]),
    ("reviews:members", None, "get", [302, 403, 403, 403, 200]),
    ("reviews:members", None, "post", [302, 403, 403, 403, 200]),
    ("reviews:lockout_lift", "lockout", "post", [302, 403, 403, 403, 302]),
    ("reviews:member_detail", "member", "get", [302, 403, 403, 403, 200]),
    ("reviews:member_detail", "member", "post", [302, 403, 403, 403, 302]),
    # Every member has notices, whatever their role; the world's notice is the reviewer's.
    ("notifications:list", None, "get", [302, 200, 200, 200, 200]),
    ("notifications:read", "notice", "post", [302, 302, 404, 404, 404]),
    ("notifications:read_all", None, "post", [302, 302, 302, 302, 302]),
    ("notifications:preferences", None, "post", [302, 302, 302, 302, 302]),
]
# Public pages: readers need no login, so anonymous gets the page, not a redirect to the login form.
PUBLIC = {"home", "reviews:report_list", "reviews:report_detail", "reviews:report_json"}


@pytest.mark.parametrize(("name", "arg", "method", "expected"), MATRIX, ids=[f"{m[2]} {m[0]}" for m in MATRIX])
@pytest.mark.parametrize("role", ROLES)
def test_role_url_matrix(world, client_for, role, name, arg, method, expected):
    url = reverse(name, args=[world[arg].pk] if arg else [])
    response = getattr(client_for(role), method)(url)
    assert response.status_code == expected[ROLES.index(role)]
    if role == "anonymous" and name not in PUBLIC:
        assert response["Location"].startswith(reverse("login"))


def _url_names(patterns, prefix=""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            # Django's admin guards itself (staff only); the API has its own matrix (tests/api/test_permissions.py).
            if pattern.namespace not in ("admin", "api"):
                yield from _url_names(pattern.url_patterns, f"{pattern.namespace}:" if pattern.namespace else prefix)
        elif pattern.name:
            yield prefix + pattern.name


def test_every_url_is_in_the_matrix():
    from django.urls import get_resolver

    covered = {m[0] for m in MATRIX} | {"login", "logout", "password_change_done"}
    assert set(_url_names(get_resolver().url_patterns)) - covered == set()


def test_reviewer_cannot_rate_a_statement_not_assigned_to_them(world, client_for):
    response = client_for("other_reviewer").post(
        reverse("reviews:assignment_detail", args=[world["assignment"].pk]),
        {"verdict": "false", "confidence": 3, "rationale": "x", "evidence-TOTAL_FORMS": 0, "evidence-INITIAL_FORMS": 0},
    )
    assert response.status_code == 404
    assert not Rating.objects.exists()


def test_the_rating_service_refuses_someone_elses_assignment(world, other_reviewer):
    from django.core.exceptions import PermissionDenied

    from reviews.services.ratings import rating_submit

    with pytest.raises(PermissionDenied):
        rating_submit(
            assignment=world["assignment"], reviewer=other_reviewer, verdict="true", confidence=3, rationale="x"
        )
    assert not Rating.objects.exists()


def test_user_without_a_role_is_told_so(client, no_role_user):
    client.force_login(no_role_user)
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert b"no role yet" in response.content
