"""An editor on a phone finds that a statement was already checked and settles it by reference, by keyboard."""

import pytest

from articles.models import ClaimMatch
from reviews.models import StatementSummary
from reviews.services.settlement import statement_settle
from tests.factories import ArticleFactory, StatementFactory

from .test_desk_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_settles_an_already_checked_statement_by_reference_on_a_phone(live_server, browser, screenshot, editor):
    earlier = StatementFactory(text="The council spent $48 million on the new bridge.")
    statement_settle(statement=earlier, editor=editor, verdict="mostly_false")
    later = StatementFactory(
        article=ArticleFactory(title="Bridge costs again"), text="The council spent 48 million dollars on the bridge!"
    )
    ClaimMatch.objects.create(statement=later, earlier=earlier, score=0.81, method="default")

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.set_default_timeout(10_000)
    log_in(phone, live_server, editor)
    phone.wait_for_url("**/reviews/triage/")  # editors land on the triage board
    # The board says it: the earlier verdict and the similarity, the way to decide one tap away.
    board = phone.locator("#triage-already-checked")
    assert "Bridge costs again" in board.inner_text() and "Mostly false" in board.inner_text()
    assert "similarity 0.81" in board.inner_text()
    assert "Already checked" in phone.locator("#triage-unassigned").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.goto(f"{live_server.url}/articles/{later.article_id}/")
    assert "Already checked" in phone.inner_text("main")
    board_link = f"{live_server.url}/reviews/triage/"
    phone.goto(board_link)
    phone.locator("#triage-already-checked").get_by_role("link", name="confirm or reject").first.click()
    phone.wait_for_url(f"**/reviews/statements/{later.pk}/#earlier-checks")
    section = phone.locator("#earlier-checks")
    assert "Mostly false" in section.inner_text()
    assert "similarity 0.81" in section.inner_text()
    # Nothing on the page is wider than the phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("editor-earlier-checks-phone", of=phone)

    button = section.get_by_role("button", name=f"Settle with this verdict of statement #{earlier.pk}")
    button.focus()
    phone.keyboard.press("Enter")
    phone.wait_for_selector(".alert-success")
    assert "by reference to" in phone.inner_text("main")
    assert StatementSummary.objects.get(statement=later).settled_by_reference_id == earlier.pk
    phone.context.close()
