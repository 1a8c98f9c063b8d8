"""Schemathesis against a live test server: for every read endpoint of the committed schema it generates
requests (valid and invalid query strings, ids, cursors) and checks that none gets a server error and that each
answer matches the schema's documented status codes, types and shapes. Bounded for CI: a few examples per
operation, derandomized so a run is repeatable."""

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from articles.models import ImportItem, ImportJob, ImportSource
from factcheck.api.models import WebhookDelivery, WebhookEndpoint
from factcheck.api.services.tokens import token_create
from reviews.services.settlement import statement_settle
from tests.factories import ArticleFactory, AssignmentFactory, RatingFactory, StatementFactory

SCHEMA = Path(__file__).resolve().parents[2] / "openapi.yaml"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
# What a reviewer reads; the admin reads everything else.
REVIEWER_PATHS = r"^/api/v1/(queue|ratings)/"


@pytest.fixture
def desk(transactional_db, reviewer, editor, admin_user):
    """A little of everything, with ids 1.. so generated ids sometimes hit real rows."""
    article = ArticleFactory(title="Bridge", site_name="Gazette", url="https://news.example.org/bridge")
    statement = StatementFactory(article=article)
    assignment = AssignmentFactory(statement=statement, reviewer=reviewer)
    RatingFactory(statement=statement, reviewer=reviewer)
    AssignmentFactory(statement=StatementFactory(article=article, position=5), reviewer=reviewer)
    statement_settle(statement=statement, editor=editor, verdict="false", note="Checked.")
    from reviews.publishing.services import report_publish
    from tests.publishing import prefilled_claims

    report_publish(article=article, editor=editor, headline="Fact-check: bridge", claims=prefilled_claims(article))
    job = ImportJob.objects.create(created_by=admin_user, label="x", status=ImportJob.Status.DONE_WITH_ERRORS)
    source = ImportSource.objects.create(job=job, position=0, kind=ImportSource.Kind.FILE, name="a.txt", raw=b"x")
    ImportItem.objects.create(job=job, source=source, position=0, name="a.txt", raw=b"x", status="failed")
    endpoint = WebhookEndpoint.objects.create(url="https://hooks.example.org/x", events=["report.published"])
    WebhookDelivery.objects.create(endpoint=endpoint, event="report.published", payload={"event": "x"})
    return {
        "admin": token_create(user=admin_user, name="contract").raw,
        "reviewer": token_create(user=reviewer, name="contract").raw,
        "assignment": assignment,
    }


def _read_endpoints(path_regex: str, keep: bool):
    schema = schemathesis.openapi.from_path(SCHEMA)
    if keep:
        return schema.include(method="GET", path_regex=path_regex)
    return schema.include(method="GET").exclude(path_regex=path_regex)


# The committed schema is a file: loaded at collection, each of its read operations becomes a test.
admin_schema = _read_endpoints(REVIEWER_PATHS, keep=False)
reviewer_schema = _read_endpoints(REVIEWER_PATHS, keep=True)


def _call(case, live_server, token):
    case.call_and_validate(
        base_url=live_server.url, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS, timeout=30
    )


@admin_schema.parametrize()
@EXAMPLES
def test_read_endpoints_never_fail_and_keep_to_the_schema(case, live_server, desk):
    _call(case, live_server, desk["admin"])


@reviewer_schema.parametrize()
@EXAMPLES
def test_reviewer_read_endpoints_never_fail_and_keep_to_the_schema(case, live_server, desk):
    _call(case, live_server, desk["reviewer"])
