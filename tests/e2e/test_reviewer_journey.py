"""A reviewer's journey in a real browser (Debian's Chromium driven by Playwright)."""

import pytest

from reviews.models import Rating
from tests.factories import AssignmentFactory, StatementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_logs_in_rates_a_statement_and_sees_it_done(live_server, page, screenshot, reviewer):
    statement = StatementFactory(
        text="The council spent $48 million on the bridge.",
        article__body="The council spent $48 million on the bridge. Residents were divided.",
        article__title="Bridge repair <script>alert(1)</script>",
    )
    AssignmentFactory(statement=statement, reviewer=reviewer)

    page.goto(f"{live_server.url}/")
    page.fill("#id_username", reviewer.username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("button[type=submit]")
    page.wait_for_url("**/reviews/queue/")
    screenshot("reviewer-queue")

    page.click("#todo a")
    highlight = page.locator("#highlight")
    assert highlight.inner_text() == "The council spent $48 million on the bridge."
    # Imported markup is shown as text, never run.
    assert "<script>alert(1)</script>" in page.inner_text("h2")
    page.check("input[name=verdict][value=mostly_true]")
    page.check("input[name=confidence][value='4']")
    page.fill("#id_rationale", "Council minutes show $47.6 million.")
    page.fill("input[name='evidence-0-url']", "https://council.example.org/minutes")
    screenshot("reviewer-rating-form")
    page.click("#rating-form button[type=submit]")

    page.wait_for_url("**/reviews/queue/")
    assert "Rating saved" in page.inner_text("main")
    assert "The council spent $48 million" in page.inner_text("#done")
    assert "Nothing to rate" in page.inner_text("#todo")
    screenshot("reviewer-done")
    rating = Rating.objects.get()
    assert (rating.verdict, rating.confidence) == ("mostly_true", 4)
