"""Reports through the API: editors read the claims prefilled, edit, draft, publish and withdraw; published
reports and their ClaimReview are public and read-only; settled verdicts export as CSV and JSON, streamed."""

import csv
import io
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from reviews.models import Report
from reviews.services.settlement import statement_settle
from tests.factories import ArticleFactory, RatingFactory, StatementFactory
from tests.publishing import claims_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def settled_article(editor, django_capture_on_commit_callbacks):
    article = ArticleFactory(title="Bridge costs", url="https://news.example.org/bridge", site_name="Gazette")
    statement = StatementFactory(article=article, text="=The council spent $48 million.")
    with django_capture_on_commit_callbacks(execute=True):  # the summaries' recompute, as a worker would
        statement_settle(statement=statement, editor=editor, verdict="mostly_false", note="It was $41 million.")
    StatementFactory(article=article, text="Residents were divided.", position=99)  # not settled: not shown
    return article


def publish(client, article, headline="Fact-check: bridge costs", **changes):
    return client.post(
        reverse("api:article-report-publish", args=[article.pk]),
        {"headline": headline, "summary": "What we found.", "claims": claims_payload(article, **changes)},
        format="json",
    )


def test_an_editor_publishes_a_report_and_anyone_reads_it_with_its_claimreview(editor_api, settled_article):
    response = publish(editor_api, settled_article)
    assert response.status_code == 200
    document = response.json()
    assert document["report"]["status"] == "published" and document["article"]["siteName"] == "Gazette"
    [review] = document["claimReviews"]
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == "=The council spent $48 million."
    assert review["reviewRating"]["ratingValue"] == 3 and review["reviewRating"]["alternateName"] == "Mostly false"
    report_id = document["report"]["id"]

    public = APIClient()
    listed = public.get(reverse("api:report-list")).json()["results"]
    assert [r["id"] for r in listed] == [report_id] and listed[0]["tally"] == [["mostly_false", 1]]
    assert public.get(reverse("api:report-detail", args=[report_id])).json() == document
    assert public.get(reverse("api:report-claimreview", args=[report_id])).json() == document["claimReviews"]
    page_json = public.get(reverse("reviews:report_json", args=[report_id])).json()
    assert page_json == document  # the same document the public page's .json gives
    assert public.post(reverse("api:report-detail", args=[report_id])).status_code == 405  # read-only


def test_only_reviewers_who_agreed_are_named_and_confidences_never_reach_the_public_document(
    editor_api, settled_article, reviewer, other_reviewer
):
    from factcheck.accounts.services import member_byline_consent_set

    statement = settled_article.statements.get(text="=The council spent $48 million.")
    RatingFactory(statement=statement, reviewer=reviewer, verdict="mostly_false", rationale="Minutes.")
    RatingFactory(statement=statement, reviewer=other_reviewer, verdict="mostly_false", rationale="Budget.")
    member_byline_consent_set(member=other_reviewer, named=True)
    report_id = publish(editor_api, settled_article).json()["report"]["id"]

    document = APIClient().get(reverse("api:report-detail", args=[report_id])).json()

    assert document["report"]["byline"] == {"editor": "editor", "reviewers": [other_reviewer.username]}
    assert {"@type": "Person", "name": other_reviewer.username} in document["claimReviews"][0]["author"]
    text = json.dumps(document)
    assert reviewer.username not in text and "confidence" not in text


def test_publishing_needs_a_settled_statement_and_a_headline(editor_api):
    article = ArticleFactory()
    StatementFactory(article=article)
    refused = publish(editor_api, article)
    assert refused.status_code == 400 and "settled" in refused.json()["detail"]
    blank = editor_api.post(reverse("api:article-report-publish", args=[article.pk]), {"headline": ""})
    assert blank.status_code == 400 and blank.json()["errors"]["headline"][0]["code"] == "blank"


def test_an_editor_reads_the_claims_prefilled_edits_them_and_readers_get_only_the_edit(editor_api, settled_article):
    got = editor_api.get(reverse("api:article-report", args=[settled_article.pk])).json()
    assert got["report"] is None and got["byline"] is None
    [claim] = got["claims"]
    assert claim["saved"] is False and claim["settled_how"] == "editor" and claim["verdict"] == "mostly_false"
    assert claim["explanation"] == "It was $41 million." and claim["claimant"] == "Gazette"
    assert claim["claimant_type"] == "Organization" and claim["appearance_url"] == "https://news.example.org/bridge"

    edited = {
        **claim,
        "claim_text": "The council spent $48 million, the mayor said.",
        "claimant": "Mayor Ann Lee",
        "claimant_type": "Person",
        "appearance_date": "2025-02-27",
        "explanation": "The audited accounts say $41 million.",
        "sources": [{"url": "https://council.example.org/accounts.pdf", "note": "audited accounts"}],
    }
    body = {"headline": "Checked", "claims": [edited], "credit_reviewers": False}
    saved = editor_api.put(reverse("api:article-report", args=[settled_article.pk]), body, format="json")
    assert saved.status_code == 200, saved.json()
    assert saved.json()["claims"][0]["saved"] and saved.json()["report"]["credit_reviewers"] is False

    published = editor_api.post(
        reverse("api:article-report-publish", args=[settled_article.pk]), {"headline": "Checked"}, format="json"
    )  # the saved claims
    assert published.status_code == 200, published.json()
    [review] = published.json()["claimReviews"]
    assert review["claimReviewed"] == "The council spent $48 million, the mayor said."
    assert review["reviewBody"] == "The audited accounts say $41 million."
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Mayor Ann Lee"}
    assert review["itemReviewed"]["datePublished"] == "2025-02-27"
    assert review["citation"] == [
        {"@type": "CreativeWork", "url": "https://council.example.org/accounts.pdf", "name": "audited accounts"}
    ]
    assert published.json()["report"]["byline"] == {"editor": "editor", "reviewers": []}
    assert "It was $41 million." not in json.dumps(published.json())


def test_claim_problems_come_back_by_dotted_path(editor_api, settled_article):
    claims = claims_payload(settled_article)
    claims[0] |= {"explanation": "", "appearance_url": "javascript:alert(1)"}
    response = editor_api.post(
        reverse("api:article-report-publish", args=[settled_article.pk]),
        {"headline": "Checked", "claims": claims},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"claims.0.explanation", "claims.0.appearance_url"}
    refused = editor_api.post(
        reverse("api:article-report-publish", args=[settled_article.pk]), {"headline": "No claims yet"}, format="json"
    )
    assert refused.status_code == 400 and "Choose the claims" in refused.json()["detail"]
    assert not Report.objects.exists()


def test_drafts_are_for_editors_only_until_published(editor_api, settled_article):
    draft = editor_api.put(reverse("api:article-report", args=[settled_article.pk]), {"headline": "Draft"})
    assert draft.status_code == 200 and draft.json()["report"]["status"] == "draft"
    assert [(c["verdict"], c["saved"]) for c in draft.json()["claims"]] == [("mostly_false", False)]
    report_id = draft.json()["report"]["id"]
    assert APIClient().get(reverse("api:report-detail", args=[report_id])).status_code == 404
    assert editor_api.get(reverse("api:report-detail", args=[report_id])).status_code == 200  # preview
    assert APIClient().get(reverse("api:report-list")).json()["results"] == []


def test_withdrawing_takes_the_report_off_the_public_api(editor_api, settled_article):
    report_id = publish(editor_api, settled_article).json()["report"]["id"]
    response = editor_api.post(reverse("api:article-report-withdraw", args=[settled_article.pk]), {"note": "Error."})
    assert response.status_code == 200 and response.json()["report"]["status"] == "withdrawn"
    assert Report.objects.get().status == Report.Status.WITHDRAWN
    assert APIClient().get(reverse("api:report-detail", args=[report_id])).status_code == 404
    again = editor_api.post(reverse("api:article-report-withdraw", args=[settled_article.pk]))
    assert again.status_code == 400  # withdrawn already: the transition table says no
    assert publish(editor_api, settled_article).status_code == 200  # and it can be published again


def test_withdrawing_without_a_report_is_a_404(editor_api):
    article = ArticleFactory()
    assert editor_api.post(reverse("api:article-report-withdraw", args=[article.pk])).status_code == 404


def streamed(response) -> str:
    assert response.status_code == 200 and response.streaming
    return b"".join(response.streaming_content).decode()


def test_settled_verdicts_export_as_csv_and_json_streamed(editor_api, settled_article, editor):
    publish(editor_api, settled_article)
    csv_response = editor_api.get(reverse("api:export-verdicts-csv"), HTTP_ACCEPT="text/csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(streamed(csv_response))))
    assert len(rows) == 1
    assert rows[0]["statement"] == "'=The council spent $48 million."  # a formula is neutralised
    assert rows[0]["claim_reviewed"] == "'=The council spent $48 million."
    assert rows[0]["final_verdict"] == "Mostly false" and rows[0]["published"] == "yes"
    assert rows[0]["claimant"] == "Gazette"
    json_response = editor_api.get(reverse("api:export-verdicts-json"))
    assert json_response["Content-Type"] == "application/json"
    [row] = json.loads(streamed(json_response))
    assert row["final_verdict"] == "mostly_false" and row["settled_by"] == editor.username and row["published"]
    assert row["statement"] == "=The council spent $48 million." and row["claim_reviewed"] == row["statement"]


def test_an_empty_export_is_valid_json_and_a_csv_header(editor_api):
    assert json.loads(streamed(editor_api.get(reverse("api:export-verdicts-json")))) == []
    assert streamed(editor_api.get(reverse("api:export-verdicts-csv"))).startswith("article_id,")
