"""One rule for every link that reaches a page: http(s) with a host, or no link at all."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from factcheck.core.links import http_url
from reviews.models import EvidenceLink
from reviews.services import ratings
from tests.factories import AssignmentFactory, StatementFactory


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://example.org/a?b=1#c", "https://example.org/a?b=1#c"),
        ("  HTTP://Example.org/x  ", "HTTP://Example.org/x"),
        ("javascript:alert(1)", ""),
        (" JaVaScRiPt:alert(1)", ""),
        ("data:text/html,<script>x</script>", ""),
        ("vbscript:msgbox", ""),
        ("ftp://example.org/file", ""),
        ("//example.org/no-scheme", ""),
        ("https:///no-host", ""),
        ("https://exa\nmple.org/", ""),
        ("https://example.org/" + "a" * 2000, ""),
        ("", ""),
        (None, ""),
        (42, ""),
    ],
)
def test_only_http_and_https_links_with_a_host_pass(value, expected):
    assert http_url(value) == expected


def test_the_template_filter_links_only_what_passes():
    template = Template("{% load links %}{% with link=url|http_url %}[{{ link }}]{% endwith %}")
    assert template.render(Context({"url": "javascript:alert(1)"})) == "[]"
    assert template.render(Context({"url": "https://example.org/"})) == "[https://example.org/]"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/minutes.pdf"])
def test_the_rating_form_refuses_evidence_that_is_not_an_http_link(reviewer, reviewer_client, url):
    assignment = AssignmentFactory(statement=StatementFactory(), reviewer=reviewer)
    response = reviewer_client.post(
        reverse("reviews:assignment_detail", args=[assignment.pk]),
        {
            "verdict": "false",
            "confidence": 3,
            "rationale": "Minutes.",
            "evidence-TOTAL_FORMS": 1,
            "evidence-INITIAL_FORMS": 0,
            "evidence-0-url": url,
        },
    )
    assert response.status_code == 200
    assert "Give an http:// or https:// address." in response.content.decode()
    assert not EvidenceLink.objects.exists()


@pytest.mark.django_db
def test_the_rating_service_keeps_only_http_evidence(reviewer):
    assignment = AssignmentFactory(statement=StatementFactory(), reviewer=reviewer)
    ratings.rating_submit(
        assignment=assignment,
        reviewer=reviewer,
        verdict="false",
        confidence=3,
        rationale="Minutes.",
        evidence=[ratings.Evidence("javascript:alert(1)"), ratings.Evidence("https://council.example.org/m")],
    )
    assert list(EvidenceLink.objects.values_list("url", flat=True)) == ["https://council.example.org/m"]


@pytest.mark.parametrize(
    "viewname",
    ["reviews:statement_review", "reviews:article_detail", "articles:statement_curate", "reviews:report_detail"],
)
def test_pk_url_writes_what_the_url_tag_writes_for_each_row(viewname):
    rows = Template("{% load links %}{% for pk in pks %}{% pk_url name pk %}|{% url name pk %};{% endfor %}").render(
        Context({"name": viewname, "pks": [1, 42, 10**9]})
    )
    pairs = [row.split("|") for row in rows.split(";") if row]
    assert [plain for plain, _ in pairs] == [reverse(viewname, args=[pk]) for pk in (1, 42, 10**9)]
    assert all(plain == tag for plain, tag in pairs)
