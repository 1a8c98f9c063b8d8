"""An editor settles a dispute and publishes; a reader with no account reads the fact-check."""

import json

import pytest

from reviews.services.ratings import rating_submit
from tests.factories import AssignmentFactory, StatementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_settles_and_publishes_and_a_reader_sees_claimreview(
    live_server, browser, page, screenshot, editor, reviewer, other_reviewer
):
    statement = StatementFactory(
        text="The bridge carries 65,000 vehicles a day </script><b>bold</b>.",
        article__title="Bridge story",
        article__url="https://news.example.org/bridge",
    )
    for user, verdict in [(reviewer, "true"), (other_reviewer, "false")]:
        assignment = AssignmentFactory(statement=statement, reviewer=user)
        rating_submit(assignment=assignment, reviewer=user, verdict=verdict, confidence=3, rationale="Checked.")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("main button[type=submit]")
    page.wait_for_url("**/reviews/triage/")
    page.click(f"a[href='/reviews/statements/{statement.pk}/']")
    page.select_option("#id_verdict", "half_true")
    page.fill("#id_note", "Traffic counts differ by season.")
    page.click("form[action$='/settle/'] button[type=submit]")
    page.wait_for_selector(".alert-success")

    page.goto(f"{live_server.url}/articles/{statement.article_id}/")
    page.click("text=Publish report")
    page.fill("input[name=headline]", "Bridge traffic claim, checked")
    page.click("button[value=publish]")
    page.wait_for_selector(".alert-success")
    screenshot("editor-published")

    reader = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    reader.goto(f"{live_server.url}/reviews/reports/")
    reader.click("text=Bridge traffic claim, checked")
    assert "Half true" in reader.inner_text("main")
    assert "Traffic counts differ by season." in reader.inner_text("main")
    assert reader.locator("main b").count() == 0  # imported markup stays text
    data = json.loads(reader.locator("script[type='application/ld+json']").first.inner_text())
    reviews = data if isinstance(data, list) else data.get("@graph", [data])
    claim = next(r for r in reviews if r.get("@type") == "ClaimReview")
    assert claim["claimReviewed"] == statement.text
    assert claim["reviewRating"]["alternateName"] == "Half true"
    assert reviewer.username not in reader.content()
    screenshot("reader-report-phone", of=reader)
    reader.context.close()
