"""Publishing fact-check reports: ClaimReview markup, the claims editors own (prefill, wording, claimant,
include/exclude, byline), the publish/withdraw services, the public pages, exports."""

import csv
import io
import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from factcheck.accounts.models import MemberProfile
from factcheck.audit.models import AuditEvent
from reviews.models import EvidenceLink, Report, ReportClaim, StatementSummary
from reviews.publishing import exports
from reviews.publishing import selectors as publishing_selectors
from reviews.publishing import services as publishing
from reviews.publishing.claimreview import byline_authors, claim_review, json_for_script, rating_value
from reviews.publishing.services import ClaimInput, SourceInput
from tests.factories import ArticleFactory, RatingFactory, StatementFactory, UserFactory
from tests.publishing import prefilled_claims

SCRIPT_BREAKER = 'The mayor said "</script><script>alert(1)</script>" at the <!-- meeting.'


def make_claim_review(**overrides):
    arguments = {
        "claim_text": "The council spent $48 million on the bridge.",
        "verdict": "mostly_false",
        "verdict_label": "Mostly false",
        "review_url": "https://desk.example.org/reviews/reports/1/#claim-7",
        "explanation": "The minutes show $41 million.",
        "date_published": datetime(2025, 3, 4, 22, 30, tzinfo=UTC),
        "authors": byline_authors(
            publisher_name="Factcheck desk", publisher_url="https://desk.example.org/", editor="Erin Editor"
        ),
        "publisher_name": "Factcheck desk",
        "publisher_url": "https://desk.example.org/",
        "claimant": "Mayor Jane Doe",
        "claimant_type": "Person",
        "appearance_url": "https://news.example.org/bridge",
        "appearance_date": date(2025, 3, 1),
        "appearance_headline": "Bridge costs soar",
        "appearance_publisher": "Example News",
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
    review = make_claim_review()

    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "The council spent $48 million on the bridge."
    assert review["reviewBody"] == "The minutes show $41 million."
    assert review["url"] == "https://desk.example.org/reviews/reports/1/#claim-7"
    assert review["datePublished"] == "2025-03-04"
    assert review["author"] == [
        {"@type": "Organization", "name": "Factcheck desk", "url": "https://desk.example.org/"},
        {"@type": "Person", "name": "Erin Editor"},
    ]
    assert review["publisher"] == {
        "@type": "Organization",
        "name": "Factcheck desk",
        "url": "https://desk.example.org/",
    }
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 3,
        "bestRating": 6,
        "worstRating": 1,
        "alternateName": "Mostly false",
    }
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim"
    assert claim["author"] == {"@type": "Person", "name": "Mayor Jane Doe"}
    assert claim["datePublished"] == "2025-03-01"
    assert claim["appearance"] == {
        "@type": "CreativeWork",
        "url": "https://news.example.org/bridge",
        "headline": "Bridge costs soar",
        "datePublished": "2025-03-01",
        "publisher": {"@type": "Organization", "name": "Example News"},
    }
    json.dumps(review)  # serialisable as is


@pytest.mark.parametrize(("verdict", "label"), [("unverifiable", "Unverifiable"), ("not_checkable", "Not checkable")])
def test_non_ordinal_verdict_has_a_label_but_no_rating_value(verdict, label):
    rating = make_claim_review(verdict=verdict, verdict_label=label)["reviewRating"]
    assert rating == {"@type": "Rating", "alternateName": label}


def test_an_organisation_can_be_the_claimant_and_unknown_details_are_left_out():
    review = make_claim_review(claimant="City Council", claimant_type="Organization", date_published=None)
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "City Council"}
    assert "datePublished" not in review

    bare = make_claim_review(claimant="", appearance_url="", appearance_date=None, explanation="")
    assert bare["itemReviewed"] == {"@type": "Claim"}
    assert "reviewBody" not in bare


def test_an_appearance_link_that_is_not_http_is_dropped():
    review = make_claim_review(appearance_url="javascript:alert(1)", appearance_date=None)
    assert "appearance" not in review["itemReviewed"]


def test_json_for_script_cannot_close_the_script_element_and_still_parses_back():
    data = [{"claimReviewed": SCRIPT_BREAKER, "note": "a & b > c"}]
    text = json_for_script(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == data


# --- the claims an editor starts from ---


def settled_statement(
    article, position, *, verdict="false", text=None, rationales=("Minutes show $12m.",), urls=(), reviewers=None
):
    statement = StatementFactory(article=article, position=position, text=text or f"Claim number {position}.")
    for index, rationale in enumerate(rationales):
        reviewer = reviewers[index] if reviewers else UserFactory()
        rating = RatingFactory(statement=statement, reviewer=reviewer, verdict=verdict, rationale=rationale)
        for url in urls if index == 0 else ():
            EvidenceLink.objects.create(rating=rating, url=url, note="council minutes")
    StatementSummary.objects.create(
        statement=statement, rating_count=len(rationales), consensus=verdict, settled=len(rationales) >= 2
    )
    return statement


@pytest.fixture
def checked_article(db):
    article = ArticleFactory(
        title="Bridge costs soar",
        url="https://news.example.org/bridge",
        author="Jane Doe",
        site_name="Gazette",
        published=date(2025, 3, 1),
    )
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


def publish(article, editor, headline="Bridge claims checked", summary="We checked two claims.", **changes):
    return publishing.report_publish(
        article=article, editor=editor, headline=headline, summary=summary, claims=prefilled_claims(article, **changes)
    )


@pytest.fixture
def published(checked_article, editor):
    return publish(checked_article, editor)


def test_a_new_claim_starts_from_the_statement_the_article_and_the_agreeing_rationales(editor):
    article = ArticleFactory(url="https://news.example.org/x", author="Jane Doe", published=date(2025, 3, 1))
    statement = StatementFactory(article=article, position=0, text="Crime fell 20%.")
    agree = RatingFactory(statement=statement, verdict="mostly_false", rationale="Police data: 8%.")
    EvidenceLink.objects.create(rating=agree, url="https://police.example.org/data", note="annual data")
    RatingFactory(statement=statement, verdict="mostly_false", rationale="  ")
    dissent = RatingFactory(statement=statement, verdict="half_true", rationale="Depends on the year.")
    EvidenceLink.objects.create(rating=dissent, url="https://blog.example.org/", note="a blog")
    StatementSummary.objects.create(statement=statement, rating_count=3, consensus="mostly_false", settled=True)

    [row] = publishing_selectors.report_editor_claims(article=article)

    assert (row.saved, row.verdict, row.settled_how, row.agreeing_rationales) == (False, "mostly_false", "consensus", 1)
    assert row.values == {
        "included": True,
        "claim_text": "Crime fell 20%.",
        "claimant": "Jane Doe",
        "claimant_type": "Person",
        "appearance_url": "https://news.example.org/x",
        "appearance_date": date(2025, 3, 1),
        "explanation": "Police data: 8%.",  # the dissenting reviewer's words are not offered
        "sources": [{"url": "https://police.example.org/data", "note": "annual data"}],
    }


def test_an_editor_settled_claim_starts_from_the_settle_note_and_the_site_is_the_claimant(editor):
    article = ArticleFactory(author="", site_name="Gazette", url="javascript:alert(1)")
    disputed = StatementFactory(article=article, position=0)
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

    [row] = publishing_selectors.report_editor_claims(article=article)

    assert row.settled_how == "editor"
    assert row.values["explanation"] == "Right total, wrong year."
    assert (row.values["claimant"], row.values["claimant_type"]) == ("Gazette", "Organization")
    assert row.values["appearance_url"] == ""  # only http(s) links are offered


def test_statements_settled_as_not_checkable_are_not_offered_and_cannot_be_published(editor):
    article = ArticleFactory()
    settled_statement(article, 0, verdict="not_checkable", rationales=("", ""))
    assert publishing_selectors.report_editor_claims(article=article) == []
    with pytest.raises(ValidationError, match="Settle at least one statement"):
        publishing.report_publish(article=article, editor=editor, headline="Opinion piece", claims=[])
    assert not Report.objects.exists()


# --- publishing what the editor approved ---


def test_publishing_needs_at_least_one_settled_statement(editor):
    article = ArticleFactory()
    settled_statement(article, 0, rationales=("Only one rating.",))  # pending: one rating is not settled
    with pytest.raises(ValidationError, match="Settle at least one statement"):
        publishing.report_publish(article=article, editor=editor, headline="Nothing yet", claims=[])
    assert not Report.objects.exists()


def test_a_reviewer_cannot_publish(checked_article, reviewer):
    with pytest.raises(PermissionDenied):
        publish(checked_article, reviewer)
    assert not Report.objects.exists()


def test_readers_get_the_editors_words_not_the_reviewers(client, checked_article, editor):
    first, second = checked_article.statements.order_by("position")
    report = publish(
        checked_article,
        editor,
        **{
            f"s{first.pk}": {
                "claim_text": "The bridge cost $48 million, the mayor said.",
                "claimant": "Mayor Ann Lee",
                "appearance_url": "https://video.example.org/council-meeting",
                "appearance_date": date(2025, 2, 27),
                "explanation": "The council's minutes put the cost at $12 million.",
                "sources": (SourceInput(url="https://council.example.org/minutes.pdf", note="minutes, p. 4"),),
            },
            f"s{second.pk}": {"included": False},
        },
    )

    claims = publishing_selectors.published_report(pk=report.pk).claims
    assert [c.pk for c in claims] == [first.pk]
    [claim] = claims
    assert (claim.claim_text, claim.claimant, claim.verdict) == (
        "The bridge cost $48 million, the mayor said.",
        "Mayor Ann Lee",
        "false",
    )
    html = client.get(reverse("reviews:report_detail", args=[report.pk])).content.decode()
    assert "The council&#x27;s minutes put the cost at $12 million." in html
    assert (
        "Mayor Ann Lee" in html and "https://video.example.org/council-meeting" in html and "27 February 2025" in html
    )
    for unapproved in ("Minutes show $12m.", "Budget line says $12m.", "Video confirms.", "alert(1)"):
        assert unapproved not in html  # rationales the editor replaced, and the claim left out
    assert report.tally == {"false": 1}
    assert ReportClaim.objects.get(statement=second).included is False  # the choice is kept


def test_a_claimants_markup_stays_text_on_the_page_and_in_the_json_ld(client, checked_article, editor):
    first = checked_article.statements.order_by("position").first()
    claimant = '<img src=x onerror="alert(2)">Mayor'
    report = publish(checked_article, editor, **{f"s{first.pk}": {"claimant": claimant}})

    html = client.get(reverse("reviews:report_detail", args=[report.pk])).content.decode()

    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;Mayor" in html
    assert json_ld_of(html)[0]["itemReviewed"]["author"]["name"] == claimant


def test_an_article_link_that_is_not_http_is_not_offered_as_where_it_was_said(editor):
    article = ArticleFactory(url="javascript:alert(1)", author="Jane Doe")
    settled_statement(article, 0, rationales=("a", "b"))
    [row] = publishing_selectors.report_editor_claims(article=article)
    assert row.values["appearance_url"] == ""


def test_publishing_refuses_claims_without_explanation_bad_links_future_dates_or_other_articles(
    checked_article, editor
):
    first, second = checked_article.statements.order_by("position")
    elsewhere = settled_statement(ArticleFactory(), 0, rationales=("a", "b"))
    claims = prefilled_claims(
        checked_article,
        **{
            f"s{first.pk}": {"explanation": "  ", "appearance_url": "javascript:alert(1)"},
            f"s{second.pk}": {
                "appearance_date": timezone.localdate() + timedelta(days=2),
                "sources": (SourceInput(url="data:text/html,hi"),),
                "claim_text": "",
            },
        },
    )
    claims.append(ClaimInput(statement_id=elsewhere.pk, claim_text="x", explanation="y"))

    with pytest.raises(ValidationError) as refused:
        publishing.report_publish(article=checked_article, editor=editor, headline="H", claims=claims)

    assert set(refused.value.message_dict) == {
        "claims.0.explanation",
        "claims.0.appearance_url",
        "claims.1.appearance_date",
        "claims.1.sources",
        "claims.1.claim_text",
        "claims.2.statement_id",
    }
    assert not Report.objects.exists() and not ReportClaim.objects.exists()


def test_a_headline_written_on_two_lines_is_published_on_one(checked_article, editor):
    assert publish(checked_article, editor, headline="  Bridge claims\r\nchecked ").headline == "Bridge claims checked"


def test_a_draft_may_lack_explanations_but_a_report_needs_an_included_claim(checked_article, editor):
    first, second = checked_article.statements.order_by("position")
    draft = publishing.report_draft_save(
        article=checked_article,
        editor=editor,
        headline="Working",
        claims=prefilled_claims(checked_article, **{f"s{first.pk}": {"explanation": ""}}),
    )
    assert draft.status == Report.Status.DRAFT and draft.claims.count() == 2

    none_included = {f"s{s.pk}": {"included": False} for s in (first, second)}
    with pytest.raises(ValidationError, match="Include at least one claim"):
        publish(checked_article, editor, **none_included)


def test_the_verdict_an_editor_wrote_for_must_still_be_the_verdict(checked_article, editor):
    first = checked_article.statements.order_by("position").first()
    claims = prefilled_claims(checked_article)
    StatementSummary.objects.filter(statement=first).update(editor_verdict="half_true", settle_note="Re-checked.")

    with pytest.raises(ValidationError) as refused:
        publishing.report_publish(article=checked_article, editor=editor, headline="H", claims=claims)

    assert "now Half true" in refused.value.message_dict["claims.0.verdict"][0]


def test_a_published_report_keeps_the_verdict_it_was_published_with_until_an_update(
    client, published, editor, checked_article
):
    first = checked_article.statements.order_by("position").first()
    StatementSummary.objects.filter(statement=first).update(editor_verdict="half_true", settle_note="Re-checked.")

    public = publishing_selectors.published_report(pk=published.pk)
    assert public.claims[0].verdict == "false"  # what the editor published
    row = publishing_selectors.report_editor_claims(article=checked_article)[0]
    assert row.verdict_changed and (row.saved_verdict, row.verdict) == ("false", "half_true")
    with pytest.raises(ValidationError, match="now Half true"):
        publishing.report_publish(article=checked_article, editor=editor, headline="Again")  # the saved claims

    publish(checked_article, editor, **{f"s{first.pk}": {"explanation": "Re-checked: half true."}})
    assert publishing_selectors.published_report(pk=published.pk).claims[0].verdict == "half_true"


def test_a_statement_settled_after_publishing_waits_for_the_editor(published, editor, checked_article):
    later = settled_statement(checked_article, 2, text="A late claim.", rationales=("a", "b"))

    assert [c.pk for c in publishing_selectors.published_report(pk=published.pk).claims] != []
    assert later.pk not in [c.pk for c in publishing_selectors.published_report(pk=published.pk).claims]
    assert not publishing_selectors.report_editor_claims(article=checked_article)[2].saved

    publishing.report_publish(article=checked_article, editor=editor, headline="Same claims")  # saved claims only
    assert later.pk not in [c.pk for c in publishing_selectors.published_report(pk=published.pk).claims]


def test_publishing_without_claims_needs_saved_ones(checked_article, editor):
    with pytest.raises(ValidationError, match="Choose the claims to publish"):
        publishing.report_publish(article=checked_article, editor=editor, headline="H")


def test_publishing_records_who_and_when_what_changed_and_an_update_keeps_the_first_date(
    checked_article, editor, admin_user
):
    first, second = checked_article.statements.order_by("position")
    report = publish(checked_article, editor, headline="  First  ", summary="Intro")
    assert (report.status, report.headline, report.published_by) == (Report.Status.PUBLISHED, "First", editor)
    first_date = report.first_published_at
    assert first_date is not None and report.published_at == first_date

    again = publish(
        checked_article,
        admin_user,
        headline="Second",
        **{f"s{first.pk}": {"claim_text": "Reworded."}, f"s{second.pk}": {"included": False}},
    )
    assert again.pk == report.pk
    assert (again.headline, again.published_by, again.first_published_at) == ("Second", admin_user, first_date)
    assert again.published_at > first_date
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "after"))
    assert [action for action, _ in events] == ["report.published", "report.republished"]
    assert events[0][1] == {"status": "published", "claims": 2, "left_out": 0, "edited": []}
    assert events[1][1] == {"status": "published", "claims": 1, "left_out": 1, "edited": [first.pk, second.pk]}


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
    publish(checked_article, editor, headline="Done")
    with pytest.raises(ValidationError, match="published"):
        publishing.report_draft_save(
            article=checked_article, editor=editor, headline="Oops", claims=prefilled_claims(checked_article)
        )
    assert Report.objects.get().headline == "Done"


# --- the byline ---


def named(user, yes=True):
    MemberProfile.objects.update_or_create(user=user, defaults={"named_in_bylines": yes})
    return user


def test_the_byline_names_the_editor_and_only_agreeing_reviewers_who_said_yes(editor):
    editor.first_name, editor.last_name = "Erin", "Editor"
    editor.save()
    willing = named(UserFactory(username="willing", first_name="Wil", last_name="Ling"))
    shy = named(UserFactory(username="shy"), yes=False)
    unasked = UserFactory(username="unasked")
    dissenter = named(UserFactory(username="dissenter"))
    article = ArticleFactory()
    statement = settled_statement(
        article, 0, verdict="false", rationales=("a", "b", "c"), reviewers=[willing, shy, unasked]
    )
    RatingFactory(statement=statement, reviewer=dissenter, verdict="mostly_false", rationale="close")
    left_out = settled_statement(
        article, 1, verdict="true", rationales=("d", "e"), reviewers=[named(UserFactory(username="only_left_out")), shy]
    )

    report = publish(article, editor, **{f"s{left_out.pk}": {"included": False}})

    byline = publishing_selectors.published_report(pk=report.pk).byline
    assert byline.editor == "Erin Editor"
    assert byline.reviewers == ["Wil Ling"]

    report = publishing.report_publish(article=article, editor=editor, headline="No credits", credit_reviewers=False)
    assert publishing_selectors.published_report(pk=report.pk).byline.reviewers == []


def test_a_reviewer_who_takes_back_their_yes_leaves_the_byline(editor):
    reviewer = named(UserFactory(username="changes_mind"))
    article = ArticleFactory()
    settled_statement(article, 0, rationales=("a", "b"), reviewers=[reviewer, UserFactory()])
    report = publish(article, editor)
    assert publishing_selectors.published_report(pk=report.pk).byline.reviewers == ["changes_mind"]

    named(reviewer, yes=False)

    assert publishing_selectors.published_report(pk=report.pk).byline.reviewers == []


def test_a_member_says_yes_or_no_to_bylines_in_my_settings(reviewer_client, reviewer, editor):
    article = ArticleFactory()
    settled_statement(article, 0, rationales=("a", "b"), reviewers=[reviewer, UserFactory()])
    report = publish(article, editor)
    settings_url = reverse("api:settings")
    assert 'name="named_in_bylines"' in reviewer_client.get(settings_url).content.decode()

    response = reviewer_client.post(reverse("api:settings_byline"), {"named_in_bylines": "on"})

    assert response["Location"] == settings_url
    assert publishing_selectors.published_report(pk=report.pk).byline.reviewers == [reviewer.username]
    assert re.search(r'name="named_in_bylines"[^>]*checked', reviewer_client.get(settings_url).content.decode())
    event = AuditEvent.objects.get(action="member.byline_consent")
    assert (event.actor_id, event.before, event.after) == (reviewer.pk, {"named": False}, {"named": True})

    reviewer_client.post(reverse("api:settings_byline"), {})  # the box unticked

    assert publishing_selectors.published_report(pk=report.pk).byline.reviewers == []
    assert AuditEvent.objects.filter(action="member.byline_consent").count() == 2


# --- public pages ---


def report_url(report):
    return reverse("reviews:report_detail", args=[report.pk])


def json_ld_of(html: str):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_anyone_can_read_a_published_report_without_names_of_reviewers_who_did_not_agree(client, published):
    response = client.get(report_url(published))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bridge claims checked" in html
    assert "Minutes show $12m." in html  # the prefilled explanation the editor published as it was
    assert "https://council.example.org/minutes.pdf" in html
    assert "By editor" in html
    for rating_reviewer in published.article.statements.values_list("ratings__reviewer__username", flat=True):
        assert rating_reviewer not in html


def test_a_draft_is_a_404_for_readers_and_reviewers_but_editors_can_preview_it(
    client, reviewer_client, editor_client, checked_article, editor
):
    draft = publishing.report_draft_save(
        article=checked_article, editor=editor, headline="Working title", claims=prefilled_claims(checked_article)
    )
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
    assert reviews[0]["itemReviewed"]["author"] == {"@type": "Person", "name": "Jane Doe"}
    assert reviews[0]["reviewBody"] == "Minutes show $12m.\n\nBudget line says $12m."
    assert reviews[0]["author"][1] == {"@type": "Person", "name": "editor"}
    assert "<script>alert(1)" not in html  # neither in the JSON-LD nor in the escaped page text


# schema.org's properties for the types a report's JSON-LD uses (ClaimReview inherits Review and CreativeWork,
# Claim inherits CreativeWork), and what Google's fact-check markup requires or recommends: a typo or a property
# of the wrong type fails here before a search engine ignores it.
SCHEMA_PROPERTIES = {
    "ClaimReview": {"url", "claimReviewed", "datePublished", "author", "publisher", "reviewRating", "reviewBody",
                    "itemReviewed", "citation"},
    "Claim": {"author", "datePublished", "appearance", "firstAppearance"},
    "Rating": {"ratingValue", "bestRating", "worstRating", "alternateName", "name"},
    "CreativeWork": {"url", "headline", "datePublished", "publisher", "name"},
    "Person": {"name", "url"},
    "Organization": {"name", "url"},
}  # fmt: skip
SCHEMA_RANGES = {  # property -> the types its value may have
    "author": {"Person", "Organization"},
    "publisher": {"Person", "Organization"},
    "reviewRating": {"Rating"},
    "itemReviewed": {"Claim"},
    "appearance": {"CreativeWork"},
    "citation": {"CreativeWork"},
}
CLAIM_REVIEW_REQUIRED = {"claimReviewed", "reviewRating", "url", "author", "datePublished", "itemReviewed"}


def schema_problems(node, path="$"):
    """What in a JSON-LD node does not fit the schema.org definitions above."""
    if isinstance(node, list):
        return [problem for index, item in enumerate(node) for problem in schema_problems(item, f"{path}[{index}]")]
    kind = node.get("@type")
    if kind not in SCHEMA_PROPERTIES:
        return [f"{path}: unknown @type {kind!r}"]
    problems = []
    for name, value in node.items():
        if name.startswith("@"):
            continue
        if name not in SCHEMA_PROPERTIES[kind]:
            problems.append(f"{path}: {kind} has no property {name!r}")
        elif name in SCHEMA_RANGES:
            for item in value if isinstance(value, list) else [value]:
                if not isinstance(item, dict) or item.get("@type") not in SCHEMA_RANGES[name]:
                    problems.append(f"{path}.{name}: expected {SCHEMA_RANGES[name]}, got {item!r}")
                else:
                    problems += schema_problems(item, f"{path}.{name}")
    return problems


def test_the_json_ld_is_schema_org_claim_review_with_every_required_property(client, published, editor):
    editor.first_name, editor.last_name = "Erin", "Editor"
    editor.save()
    [first, second] = json_ld_of(client.get(report_url(published)).content.decode())

    for review in (first, second):
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert review.keys() >= CLAIM_REVIEW_REQUIRED, CLAIM_REVIEW_REQUIRED - review.keys()
        assert review["reviewRating"]["alternateName"]  # Google: the rating's text is required
        assert review["itemReviewed"]["author"]["name"]
        assert schema_problems(review) == []
    assert first["claimReviewed"] == "The council spent $48 million on the bridge."
    assert first["itemReviewed"]["author"] == {"@type": "Person", "name": "Jane Doe"}
    assert first["datePublished"] == timezone.localdate(published.first_published_at).isoformat()
    assert {"@type": "Person", "name": "Erin Editor"} in first["author"]
    assert first["reviewBody"] == "Minutes show $12m.\n\nBudget line says $12m."
    assert first["reviewRating"] == {
        "@type": "Rating", "ratingValue": 2, "bestRating": 6, "worstRating": 1, "alternateName": "False"
    }  # fmt: skip


def test_the_schema_check_catches_a_misplaced_property():
    review = make_claim_review()
    review["itemReviewed"]["author"] = {"@type": "Rating", "name": "Jane"}
    review["claimant"] = "Jane"
    problems = schema_problems(review)
    assert any("has no property 'claimant'" in p for p in problems)
    assert any("itemReviewed.author: expected" in p for p in problems)


# The JSON-LD read as a search engine reads it: a JSON-LD processor (pyld) expands it against schema.org's context.
# The context is served from here (no network): schema.org's own context maps every term into its vocabulary.
SCHEMA_ORG = "http://schema.org/"
SCHEMA_ORG_CONTEXT = {"@context": {"@vocab": SCHEMA_ORG}}


def schema_org_loader(url, options=None):
    from pyld.jsonld import JsonLdError

    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise JsonLdError(f"no network in tests: {url}", "jsonld.LoadDocumentError", code="loading document failed")
    return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_ORG_CONTEXT}


def expanded_problems(node, path="$"):
    """What in an expanded JSON-LD node is outside schema.org or the property lists above."""
    kinds = [kind.removeprefix(SCHEMA_ORG) for kind in node.get("@type", [])]
    if len(kinds) != 1 or kinds[0] not in SCHEMA_PROPERTIES:
        return [f"{path}: @type {node.get('@type')!r} is not one schema.org type we know"]
    problems = []
    for iri, values in node.items():
        if iri.startswith("@"):
            continue
        name = iri.removeprefix(SCHEMA_ORG)
        if not iri.startswith(SCHEMA_ORG) or name not in SCHEMA_PROPERTIES[kinds[0]]:
            problems.append(f"{path}: {kinds[0]} has no property {iri!r}")
        for value in values:
            if "@type" in value and isinstance(value["@type"], list):  # a node, not a typed literal
                problems += expanded_problems(value, f"{path}.{name}")
    return problems


def test_a_json_ld_processor_reads_every_property_as_schema_org_claim_review(client, published, editor):
    from pyld import jsonld

    reviews = json_ld_of(client.get(report_url(published)).content.decode())
    expanded = jsonld.expand(reviews, {"documentLoader": schema_org_loader})

    assert len(expanded) == len(reviews) == 2
    for node in expanded:
        assert node["@type"] == [SCHEMA_ORG + "ClaimReview"]
        assert {SCHEMA_ORG + name for name in CLAIM_REVIEW_REQUIRED} <= node.keys()
        assert expanded_problems(node) == []
    first = expanded[0]
    assert first[SCHEMA_ORG + "claimReviewed"] == [{"@value": "The council spent $48 million on the bridge."}]
    claimant = first[SCHEMA_ORG + "itemReviewed"][0][SCHEMA_ORG + "author"][0]
    assert claimant == {"@type": [SCHEMA_ORG + "Person"], SCHEMA_ORG + "name": [{"@value": "Jane Doe"}]}
    rating = first[SCHEMA_ORG + "reviewRating"][0]
    assert rating[SCHEMA_ORG + "ratingValue"] == [{"@value": 2}]
    assert rating[SCHEMA_ORG + "alternateName"] == [{"@value": "False"}]
    # As RDF the same facts come out as triples about the review, its rating and the claim.
    quads = jsonld.to_rdf(reviews, {"documentLoader": schema_org_loader, "format": "application/n-quads"})
    assert f'<{SCHEMA_ORG}claimReviewed> "The council spent $48 million on the bridge."' in quads


def test_the_json_ld_processor_check_catches_what_the_json_check_cannot():
    from pyld import jsonld

    misspelt = make_claim_review()
    misspelt["claimRevieved"] = misspelt.pop("claimReviewed")
    expanded = jsonld.expand(misspelt, {"documentLoader": schema_org_loader})
    assert any("claimRevieved" in problem for problem in expanded_problems(expanded[0]))
    broken = make_claim_review()
    broken["@type"] = 5  # not JSON-LD: a processor refuses it outright
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(broken, {"documentLoader": schema_org_loader})


def test_the_report_list_and_the_front_page_show_only_published_reports(client, published, editor):
    other = ArticleFactory(title="Still in the works")
    settled_statement(other, 0, rationales=("a", "b"))
    publishing.report_draft_save(article=other, editor=editor, headline="Draft headline")

    for url in (reverse("reviews:report_list"), reverse("home")):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Bridge claims checked" in html and reverse("reviews:report_detail", args=[published.pk]) in html
        assert "Draft headline" not in html
    assert f'href="{reverse("login")}">Log in</a>' in client.get(reverse("home")).content.decode()


def test_members_still_land_on_their_work_from_the_site_root(editor_client, reviewer_client):
    assert editor_client.get(reverse("home"))["Location"] == reverse("reviews:triage")
    assert reviewer_client.get(reverse("home"))["Location"] == reverse("reviews:queue")


def make_published_reports(editor, count):
    now = timezone.now()
    reports = []
    for index in range(count):
        article = ArticleFactory(title=f"Story {index}")
        reports.append(
            Report.objects.create(
                article=article,
                status=Report.Status.PUBLISHED,
                headline=f"Report {index}",
                published_at=now - timedelta(minutes=index),
                first_published_at=now - timedelta(minutes=index),
                published_by=editor,
                tally={"false": 1},
            )
        )
    return reports


def test_the_front_page_pages_newest_first_with_a_cursor(client, editor):
    make_published_reports(editor, 23)

    first = client.get(reverse("home")).content.decode()
    headlines = re.findall(r">(Report \d+)</a>", first)
    assert headlines == [f"Report {i}" for i in range(20)]
    cursor = re.search(r'href="\?after=([^"]+)"', first).group(1)

    second = client.get(reverse("home") + "?after=" + cursor).content.decode()
    assert re.findall(r">(Report \d+)</a>", second) == ["Report 20", "Report 21", "Report 22"]
    assert "?after=" not in second


@pytest.mark.parametrize("report_count", [2, 45])
def test_public_lists_run_one_query_at_any_depth(client, editor, django_assert_max_num_queries, report_count):
    make_published_reports(editor, report_count)
    cursor = ""
    for url in (reverse("home"), reverse("reviews:report_list")):
        with django_assert_max_num_queries(1):  # the page, with its articles joined; tallies are kept on reports
            html = client.get(url + cursor).content.decode()
        assert html.count("verdict-false") == min(report_count, 20)
        found = re.search(r'href="\?after=([^"]+)"', html)
        cursor = f"?after={found.group(1)}" if found else ""


def test_the_json_export_has_article_metadata_the_byline_and_a_claim_review_per_included_claim(
    client, checked_article, editor
):
    second = checked_article.statements.order_by("position").last()
    report = publish(checked_article, editor, **{f"s{second.pk}": {"included": False}})

    response = client.get(reverse("reviews:report_json", args=[report.pk]))

    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["report"]["headline"] == "Bridge claims checked"
    assert data["report"]["byline"] == {"editor": "editor", "reviewers": []}
    assert data["article"] == {
        "title": "Bridge costs soar",
        "url": "https://news.example.org/bridge",
        "author": "Jane Doe",
        "siteName": "Gazette",
        "datePublished": "2025-03-01",
    }
    assert [r["claimReviewed"] for r in data["claimReviews"]] == ["The council spent $48 million on the bridge."]


def test_the_csv_export_says_which_claims_readers_see_and_neutralises_formulas(editor_client, checked_article, editor):
    second = checked_article.statements.order_by("position").last()
    publish(checked_article, editor, **{f"s{second.pk}": {"included": False}})
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
    bridge = by_text["The council spent $48 million on the bridge."]
    assert (bridge["final_verdict"], bridge["published"], bridge["claimant"]) == ("False", "yes", "Jane Doe")
    assert bridge["claim_reviewed"] == "The council spent $48 million on the bridge."
    assert (by_text[SCRIPT_BREAKER]["published"], by_text[SCRIPT_BREAKER]["claim_reviewed"]) == ("no", "")
    assert by_text["'@SUM(A1:A9) is the total"]["article_title"] == "'=cmd()"
    assert by_text["'@SUM(A1:A9) is the total"]["published"] == "no"
    assert by_text["'@SUM(A1:A9) is the total"]["ratings"] == "2"


def test_a_streamed_export_goes_out_in_pieces_of_many_rows_not_one_per_row(editor_client, published):
    """gunicorn writes each piece to the socket: a piece per row held the export to a few thousand rows/s."""
    for position in range(2, 6):
        settled_statement(published.article, position, text=f"Statement number {position} here.", rationales=("a", "b"))
    batches = list(publishing_selectors.settled_statement_rows(batch=2))
    assert [len(rows) for rows in batches] == [2, 2, 2]
    assert [row for rows in batches for row in rows] == list(publishing_selectors.settled_statements_export())
    pieces = list(exports.verdict_csv_pieces(batches))
    assert len(pieces) == 1 + len(batches)  # the header, then one piece per batch, never one per row
    assert [piece.count("\n") for piece in pieces] == [1, 2, 2, 2]
    joined = list(exports.in_pieces(pieces, size=200))
    assert "".join(joined) == "".join(pieces) and all(len(piece) >= 200 for piece in joined[:-1])
    response = editor_client.get(reverse("reviews:verdicts_csv"))
    assert len(list(response.streaming_content)) == 1  # the whole small export is one piece


def test_the_export_query_is_planned_for_every_row_not_for_a_cursor_s_first_tenth(published):
    """A cursor is planned for its first rows; for the export that walked every statement in article order
    probing its summary (5 s at a year's desk) instead of joining the settled summaries and sorting (0.5 s)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    with CaptureQueriesContext(connection) as queries:
        rows = [row for batch in publishing_selectors.settled_statement_rows() for row in batch]
    assert len(rows) == 2
    sql = [query["sql"] for query in queries]
    assert sql.index("SET LOCAL cursor_tuple_fraction = 1.0") < next(
        i for i, text in enumerate(sql) if "reviews_statementsummary" in text
    )


@pytest.mark.parametrize("statement_count", [3, 200])
def test_report_page_queries_do_not_grow_with_claims(client, editor, django_assert_max_num_queries, statement_count):
    article = ArticleFactory()
    reviewer = named(UserFactory(username="credited"))
    for position in range(statement_count):
        settled_statement(
            article,
            position,
            rationales=("a", "b"),
            urls=(f"https://example.org/{position}",),
            reviewers=[reviewer, UserFactory()],
        )
    report = publish(article, editor, headline="Many claims")

    with django_assert_max_num_queries(4):  # the report, its claims, the named reviewers (+ session for none)
        response = client.get(report_url(report))

    html = response.content.decode()
    assert html.count('class="card shadow-sm mb-3" id="claim-') == statement_count
    assert "with credited" in html


# --- the report editor page ---


def formset_post(article, action="publish", headline="Checked", **changes):
    """The editor page's POST as a browser sends it, from the prefilled claims."""
    claims = prefilled_claims(article, **changes)
    data = {
        "action": action,
        "headline": headline,
        "summary": "Intro",
        "credit_reviewers": "on",
        "claims-TOTAL_FORMS": str(len(claims)),
        "claims-INITIAL_FORMS": str(len(claims)),
    }
    for index, claim in enumerate(claims):
        prefix = f"claims-{index}-"
        data |= {
            prefix + "statement": claim.statement_id,
            prefix + "verdict": claim.verdict_seen,
            prefix + "claim_text": claim.claim_text,
            prefix + "claimant": claim.claimant,
            prefix + "claimant_type": claim.claimant_type,
            prefix + "appearance_url": claim.appearance_url,
            prefix + "appearance_date": claim.appearance_date.isoformat() if claim.appearance_date else "",
            prefix + "explanation": claim.explanation,
            prefix + "sources": "\n".join(f"{s.url} {s.note}" for s in claim.sources),
        }
        if claim.included:
            data[prefix + "included"] = "on"
    return data


def test_an_editor_publishes_from_the_report_editor(editor_client, checked_article):
    first, second = checked_article.statements.order_by("position")
    url = reverse("reviews:report_publish", args=[checked_article.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="card shadow-sm mb-3 claim-row"') == 2
    assert "Minutes show $12m." in html  # the prefill, for the editor to approve or change
    assert 'name="claims-0-claimant" id="id_claims-0-claimant" value="Jane Doe"' in html

    response = editor_client.post(
        url,
        formset_post(
            checked_article,
            **{f"s{first.pk}": {"claimant": "Mayor Ann Lee"}, f"s{second.pk}": {"included": False}},
        ),
    )

    report = Report.objects.get(article=checked_article)
    assert response.status_code == 302 and response["Location"] == report_url(report)
    assert report.status == Report.Status.PUBLISHED
    rows = {row.statement_id: row for row in report.claims.all()}
    assert rows[first.pk].claimant == "Mayor Ann Lee" and rows[first.pk].included
    assert rows[first.pk].sources == [{"url": "https://council.example.org/minutes.pdf", "note": "council minutes"}]
    assert not rows[second.pk].included


def test_the_report_editor_shows_each_problem_on_its_claim(editor_client, checked_article):
    first, second = checked_article.statements.order_by("position")
    response = editor_client.post(
        reverse("reviews:report_publish", args=[checked_article.pk]),
        formset_post(checked_article, **{f"s{second.pk}": {"explanation": "", "appearance_url": "ftp://x"}}),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#claim-row-2">Claim 2</a>' in html
    assert "Write the explanation readers will see" in html and "Give an http(s) link" in html
    assert 'id="id_claims-1-explanation"' in html and "is-invalid" in html
    assert not Report.objects.exists()


def test_the_report_editor_explains_why_publishing_failed(editor_client):
    article = ArticleFactory()
    response = editor_client.post(
        reverse("reviews:report_publish", args=[article.pk]),
        {"action": "publish", "headline": "Too soon", "claims-TOTAL_FORMS": "0", "claims-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert b"Settle at least one statement" in response.content
    assert not Report.objects.exists()


@pytest.mark.parametrize("statement_count", [3, 200])
def test_report_editor_queries_do_not_grow_with_claims(
    editor_client, editor, django_assert_max_num_queries, statement_count
):
    article = ArticleFactory()
    for position in range(statement_count):
        settled_statement(article, position, rationales=("a", "b"), urls=(f"https://example.org/{position}",))
    publishing.report_draft_save(
        article=article, editor=editor, headline="Half saved", claims=prefilled_claims(article)[::2]
    )
    url = reverse("reviews:report_publish", args=[article.pk])

    # session, user, permissions (2); the article, the report, statements with saved claims, ratings, evidence,
    # the named reviewers, the history; the navbar's notices
    with django_assert_max_num_queries(12):
        response = editor_client.get(url)
    assert response.content.decode().count("claim-row-") >= statement_count

    data = formset_post(article, action="save", headline="All saved")
    # session, user, permissions, article, report; the lock, saved rows, live verdicts, the upsert, the delete,
    # the report, the event (and two savepoints)
    with django_assert_max_num_queries(15):
        response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ReportClaim.objects.filter(report__article=article).count() == statement_count


def test_statements_and_claims_are_never_duplicated(checked_article, editor):
    claims = prefilled_claims(checked_article)
    with pytest.raises(ValidationError, match="given twice"):
        publishing.report_publish(
            article=checked_article, editor=editor, headline="H", claims=[*claims, replace(claims[0])]
        )
