"""Publishing fact-check reports: ClaimReview markup, the publish/withdraw services, the public pages, exports."""

import csv
import io
import json
import re
from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from factcheck.audit.models import AuditEvent
from reviews.models import EvidenceLink, Report, StatementSummary
from reviews.publishing import exports
from reviews.publishing import selectors as publishing_selectors
from reviews.publishing import services as publishing
from reviews.publishing.claimreview import claim_review, json_for_script, rating_value
from reviews.services import summaries
from tests.factories import ArticleFactory, RatingFactory, StatementFactory, UserFactory

SCRIPT_BREAKER = 'The mayor said "</script><script>alert(1)</script>" at the <!-- meeting.'


def make_claim_review(**overrides):
    arguments = {
        "claim_text": "The council spent $48 million on the bridge.",
        "verdict": "mostly_false",
        "verdict_label": "Mostly false",
        "review_url": "https://desk.example.org/reviews/reports/1/#claim-7",
        "article_url": "https://news.example.org/bridge",
        "article_title": "Bridge costs soar",
        "site_name": "Example News",
        "author": "Jane Doe",
        "date_published": datetime(2025, 3, 4, 22, 30, tzinfo=UTC),
        "publisher_name": "Factcheck desk",
        "publisher_url": "https://desk.example.org/",
    }
    return claim_review(**{**arguments, **overrides})


# --- ClaimReview (pure, no database) ---


@pytest.mark.parametrize(
    ("verdict", "value"),
    [("true", 6), ("mostly_true", 5), ("half_true", 4), ("mostly_false", 3), ("false", 2), ("pants_on_fire", 1)],
)
def test_ordinal_verdicts_map_to_a_one_to_six_scale_with_true_best(verdict, value):
    assert rating_value(verdict) == value


def test_claim_review_has_the_schema_org_shape():
    review = make_claim_review(article_published=date(2025, 3, 1))

    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "The council spent $48 million on the bridge."
    assert review["url"] == "https://desk.example.org/reviews/reports/1/#claim-7"
    assert review["datePublished"] == "2025-03-04"
    assert review["author"] == {"@type": "Organization", "name": "Factcheck desk", "url": "https://desk.example.org/"}
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 3,
        "bestRating": 6,
        "worstRating": 1,
        "alternateName": "Mostly false",
    }
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim"
    assert claim["author"] == {"@type": "Person", "name": "Jane Doe"}
    assert claim["datePublished"] == "2025-03-01"
    assert claim["appearance"]["@type"] == "CreativeWork"
    assert claim["appearance"]["url"] == "https://news.example.org/bridge"
    assert claim["appearance"]["headline"] == "Bridge costs soar"
    json.dumps(review)  # serialisable as is


@pytest.mark.parametrize(("verdict", "label"), [("unverifiable", "Unverifiable"), ("not_checkable", "Not checkable")])
def test_non_ordinal_verdict_has_a_label_but_no_rating_value(verdict, label):
    rating = make_claim_review(verdict=verdict, verdict_label=label)["reviewRating"]
    assert rating == {"@type": "Rating", "alternateName": label}


def test_missing_article_details_are_left_out_and_the_site_becomes_the_claim_author():
    review = make_claim_review(author="", article_url="", date_published=None)
    assert "datePublished" not in review
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "Example News"}
    assert "url" not in review["itemReviewed"]["appearance"]


def test_json_for_script_cannot_close_the_script_element_and_still_parses_back():
    data = [{"claimReviewed": SCRIPT_BREAKER, "note": "a & b > c"}]
    text = json_for_script(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == data


# --- services and selectors ---


def settled_statement(article, position, *, verdict="false", text=None, rationales=("Minutes show $12m.",), urls=()):
    statement = StatementFactory(article=article, position=position, text=text or f"Claim number {position}.")
    for index, rationale in enumerate(rationales):
        rating = RatingFactory(statement=statement, reviewer=UserFactory(), verdict=verdict, rationale=rationale)
        for url in urls if index == 0 else ():
            EvidenceLink.objects.create(rating=rating, url=url, note="council minutes")
    StatementSummary.objects.create(
        statement=statement, rating_count=len(rationales), consensus=verdict, settled=len(rationales) >= 2
    )
    return statement


@pytest.fixture
def checked_article(db):
    article = ArticleFactory(title="Bridge costs soar", url="https://news.example.org/bridge", author="Jane Doe")
    settled_statement(
        article,
        0,
        verdict="false",
        text="The council spent $48 million on the bridge.",
        rationales=("Minutes show $12m.", "Budget line says $12m."),
        urls=("https://council.example.org/minutes.pdf",),
    )
    settled_statement(article, 1, verdict="true", text=SCRIPT_BREAKER, rationales=("Video confirms.", "Yes."))
    return article


@pytest.fixture
def published(checked_article, editor):
    return publishing.report_publish(
        article=checked_article, editor=editor, headline="Bridge claims checked", summary="We checked two claims."
    )


def test_publishing_needs_at_least_one_settled_statement(editor):
    article = ArticleFactory()
    settled_statement(article, 0, rationales=("Only one rating.",))  # pending: one rating is not settled
    with pytest.raises(ValidationError, match="Settle at least one statement"):
        publishing.report_publish(article=article, editor=editor, headline="Nothing yet")
    assert not Report.objects.exists()


def test_statements_settled_as_not_checkable_do_not_count_for_publishing(editor):
    article = ArticleFactory()
    settled_statement(article, 0, verdict="not_checkable", rationales=("", ""))
    with pytest.raises(ValidationError):
        publishing.report_publish(article=article, editor=editor, headline="Opinion piece")
    assert publishing_selectors.report_statements(article_id=article.pk) == []


def test_a_reviewer_cannot_publish(checked_article, reviewer):
    with pytest.raises(PermissionDenied):
        publishing.report_publish(article=checked_article, editor=reviewer, headline="Mine")
    assert not Report.objects.exists()


def test_publishing_records_who_and_when_and_an_update_keeps_the_first_date(checked_article, editor, admin_user):
    report = publishing.report_publish(article=checked_article, editor=editor, headline="  First  ", summary="Intro")
    assert (report.status, report.headline, report.published_by) == (Report.Status.PUBLISHED, "First", editor)
    first = report.first_published_at
    assert first is not None and report.published_at == first

    again = publishing.report_publish(article=checked_article, editor=admin_user, headline="Second", summary="")
    assert again.pk == report.pk
    assert (again.headline, again.published_by, again.first_published_at) == ("Second", admin_user, first)
    assert again.published_at > first
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["report.published", "report.republished"]


def test_withdrawn_report_leaves_the_public_site_and_can_be_published_again(published, editor):
    publishing.report_withdraw(report=published, editor=editor, note="Wrong figure")
    published.refresh_from_db()
    assert published.status == Report.Status.WITHDRAWN
    assert not publishing_selectors.published_reports().exists()
    with pytest.raises(ValidationError, match="withdrawn"):
        publishing.report_withdraw(report=published, editor=editor)

    publishing.report_publish(article=published.article, editor=editor, headline="Corrected")
    assert publishing_selectors.published_reports().get().headline == "Corrected"


def test_a_draft_cannot_be_withdrawn_and_a_published_report_cannot_go_back_to_draft(checked_article, editor):
    draft = publishing.report_draft_save(article=checked_article, editor=editor, headline="Working title")
    with pytest.raises(ValidationError):
        publishing.report_withdraw(report=draft, editor=editor)
    publishing.report_publish(article=checked_article, editor=editor, headline="Done")
    with pytest.raises(ValidationError, match="published"):
        publishing.report_draft_save(article=checked_article, editor=editor, headline="Oops")


def test_public_reasons_are_the_editors_note_or_the_agreeing_rationales(editor):
    article = ArticleFactory()
    agreed = settled_statement(article, 0, verdict="false", rationales=("Wrong by $36m.", "Minutes say $12m."))
    disputed = StatementFactory(article=article, position=1)
    RatingFactory(statement=disputed, verdict="true", rationale="Reviewer thinks true.")
    RatingFactory(statement=disputed, verdict="false", rationale="Reviewer thinks false.")
    StatementSummary.objects.create(
        statement=disputed,
        rating_count=2,
        consensus="disputed",
        editor_verdict="half_true",
        settled=True,
        settled_by=editor,
        settle_note="Right total, wrong year.",
    )

    by_pk = {s.pk: s for s in publishing_selectors.report_statements(article_id=article.pk)}

    assert by_pk[agreed.pk].explanation == ["Wrong by $36m.", "Minutes say $12m."]
    assert by_pk[agreed.pk].verdict_label == "False"
    assert by_pk[disputed.pk].explanation == ["Right total, wrong year."]
    assert by_pk[disputed.pk].explained_by_editor


# --- public pages ---


def report_url(report):
    return reverse("reviews:report_detail", args=[report.pk])


def json_ld_of(html: str):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_anyone_can_read_a_published_report_without_reviewer_names(client, published):
    response = client.get(report_url(published))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bridge claims checked" in html
    assert "Minutes show $12m." in html
    assert "https://council.example.org/minutes.pdf" in html
    for rating_reviewer in published.article.statements.values_list("ratings__reviewer__username", flat=True):
        assert rating_reviewer not in html


def test_a_draft_is_a_404_for_readers_and_reviewers_but_editors_can_preview_it(
    client, reviewer_client, editor_client, checked_article, editor
):
    draft = publishing.report_draft_save(article=checked_article, editor=editor, headline="Working title")
    assert client.get(report_url(draft)).status_code == 404
    assert reviewer_client.get(report_url(draft)).status_code == 404
    assert client.get(reverse("reviews:report_json", args=[draft.pk])).status_code == 404
    preview = editor_client.get(report_url(draft))
    assert preview.status_code == 200
    assert b"Readers cannot see this report" in preview.content


def test_withdrawn_report_is_a_404_for_readers(client, published, editor):
    publishing.report_withdraw(report=published, editor=editor)
    assert client.get(report_url(published)).status_code == 404


def test_the_json_ld_parses_has_the_claims_and_survives_a_script_breaking_statement(client, published):
    html = client.get(report_url(published)).content.decode()

    reviews = json_ld_of(html)

    assert [r["claimReviewed"] for r in reviews] == ["The council spent $48 million on the bridge.", SCRIPT_BREAKER]
    assert [r["reviewRating"]["ratingValue"] for r in reviews] == [2, 6]
    assert reviews[0]["url"].startswith("http://testserver/reviews/reports/")
    assert reviews[0]["itemReviewed"]["appearance"]["url"] == "https://news.example.org/bridge"
    assert "<script>alert(1)" not in html  # neither in the JSON-LD nor in the escaped page text


def test_the_report_list_shows_only_published_reports(client, published, editor):
    other = ArticleFactory(title="Still in the works")
    settled_statement(other, 0, rationales=("a", "b"))
    publishing.report_draft_save(article=other, editor=editor, headline="Draft headline")

    html = client.get(reverse("reviews:report_list")).content.decode()

    assert "Bridge claims checked" in html
    assert "Draft headline" not in html


def test_the_json_export_has_article_metadata_and_a_claim_review_per_statement(client, published):
    response = client.get(reverse("reviews:report_json", args=[published.pk]))

    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["report"]["headline"] == "Bridge claims checked"
    assert data["article"] == {
        "title": "Bridge costs soar",
        "url": "https://news.example.org/bridge",
        "author": "Jane Doe",
        "siteName": "",
        "datePublished": None,
    }
    assert len(data["claimReviews"]) == 2
    assert data["claimReviews"][0]["@type"] == "ClaimReview"


def test_the_csv_export_streams_every_settled_statement_and_neutralises_formulas(editor_client, published):
    formula_article = ArticleFactory(title="=cmd()")
    settled_statement(formula_article, 0, text="@SUM(A1:A9) is the total", rationales=("a", "b"))
    settled_statement(formula_article, 1, text="Pending one", rationales=("only one",))  # not settled

    response = editor_client.get(reverse("reviews:verdicts_csv"))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 3
    by_text = {row["statement"]: row for row in rows}
    assert by_text["The council spent $48 million on the bridge."]["final_verdict"] == "False"
    assert by_text["The council spent $48 million on the bridge."]["published"] == "yes"
    assert by_text["'@SUM(A1:A9) is the total"]["article_title"] == "'=cmd()"
    assert by_text["'@SUM(A1:A9) is the total"]["published"] == "no"
    assert by_text["'@SUM(A1:A9) is the total"]["ratings"] == "2"


def test_a_streamed_export_goes_out_in_pieces_of_many_rows_not_one_per_row(editor_client, published):
    """gunicorn writes each piece to the socket: a piece per row held the export to a few thousand rows/s."""
    for position in range(2, 6):
        settled_statement(published.article, position, text=f"Statement number {position} here.")
    rows = list(exports.verdict_csv_lines(publishing_selectors.settled_statements_export()))
    pieces = list(exports.in_pieces(rows, size=200))
    assert "".join(pieces) == "".join(rows)
    assert 1 < len(pieces) < len(rows)
    assert all(len(piece) >= 200 for piece in pieces[:-1])
    response = editor_client.get(reverse("reviews:verdicts_csv"))
    assert len(list(response.streaming_content)) == 1  # the whole small export is one piece


@pytest.mark.parametrize("statement_count", [3, 30])
def test_report_page_queries_do_not_grow_with_statements(
    client, editor, django_assert_max_num_queries, statement_count
):
    article = ArticleFactory()
    for position in range(statement_count):
        settled_statement(article, position, rationales=("a", "b"), urls=(f"https://example.org/{position}",))
    report = publishing.report_publish(article=article, editor=editor, headline="Many claims")

    with django_assert_max_num_queries(4):
        response = client.get(report_url(report))

    assert response.content.decode().count('class="card shadow-sm mb-3" id="claim-') == statement_count


def test_an_editor_publishes_from_the_publish_page(editor_client, checked_article):
    url = reverse("reviews:report_publish", args=[checked_article.pk])
    assert editor_client.get(url).status_code == 200

    response = editor_client.post(url, {"action": "publish", "headline": "Checked", "summary": "Intro"})

    report = Report.objects.get(article=checked_article)
    assert response.status_code == 302 and response["Location"] == report_url(report)
    assert report.status == Report.Status.PUBLISHED


def test_the_publish_page_explains_why_publishing_failed(editor_client):
    article = ArticleFactory()
    response = editor_client.post(
        reverse("reviews:report_publish", args=[article.pk]), {"action": "publish", "headline": "Too soon"}
    )
    assert response.status_code == 200
    assert b"Settle at least one statement" in response.content
    assert not Report.objects.exists()


@pytest.mark.parametrize("report_count", [2, 25])
def test_report_list_queries_do_not_grow_with_reports(client, editor, django_assert_max_num_queries, report_count):
    for index in range(report_count):
        article = ArticleFactory()
        settled_statement(article, 0, rationales=("a", "b"))
        summaries.article_summary_recompute(article_id=article.pk)
        publishing.report_publish(article=article, editor=editor, headline=f"Report {index}")

    with django_assert_max_num_queries(2):  # the count and the page, with article and summary joined
        response = client.get(reverse("reviews:report_list"))

    assert response.content.decode().count("verdict-false") == min(report_count, 20)
