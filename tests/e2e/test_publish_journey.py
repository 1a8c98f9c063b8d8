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
    page.fill("#id_headline", "Bridge traffic claim, checked")
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


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until `selector` has the focus: proves it is reachable by keyboard, in page order."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} not reached with {limit} Tabs")


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_an_editor_owns_the_report_by_keyboard_and_a_reader_finds_it_from_the_site_root(
    live_server, browser, page, screenshot, editor
):
    from articles.models import Article
    from reviews.services.settlement import statement_settle

    article = Article.objects.create(
        title="Council bridge budget: what the mayor said at the town hall",
        url="https://news.example.org/bridge-budget",
        author="",
        site_name="Gazette",
        body="x",
        content_hash="journey-reports",
    )
    kept = StatementFactory(article=article, position=0, text="The council spent $48 million on the bridge.")
    left_out = StatementFactory(article=article, position=1, text="Residents were divided <b>bold</b>.")
    statement_settle(statement=kept, editor=editor, verdict="mostly_false", note="The minutes show $41 million.")
    statement_settle(statement=left_out, editor=editor, verdict="true", note="A poll shows a 52/48 split.")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("main button[type=submit]")
    page.wait_for_url("**/reviews/triage/")
    page.goto(f"{live_server.url}/reviews/articles/{article.pk}/report/")
    assert page.input_value("#id_claims-0-claim_text") == kept.text  # prefilled from the statement
    assert page.input_value("#id_claims-0-explanation") == "The minutes show $41 million."
    screenshot("report-editor-1366")

    # Everything from the keyboard: reword the claim, name the claimant, edit the explanation, leave one out.
    page.focus("#id_headline")
    page.keyboard.press("Control+A")
    page.keyboard.type("Bridge budget claims, checked")
    tab_to(page, "#id_claims-0-claim_text")
    page.keyboard.press("Control+A")
    page.keyboard.type("The council spent $48 million on the new bridge.")
    tab_to(page, "#id_claims-0-claimant")
    assert page.input_value("#id_claims-0-claimant") == "Gazette"  # the article's site: no author known
    page.keyboard.press("Control+A")
    page.keyboard.type("Mayor Ann Lee")
    tab_to(page, "#id_claims-0-claimant_type")
    page.keyboard.press("ArrowUp")
    assert page.input_value("#id_claims-0-claimant_type") == "Person"
    tab_to(page, "#id_claims-0-explanation")
    page.keyboard.press("End")
    page.keyboard.type(" The rest went to the approach roads.")
    tab_to(page, "#id_claims-1-included")
    page.keyboard.press("Space")
    assert not page.is_checked("#id_claims-1-included")
    tab_to(page, "form#report-form .col-lg-8 button[value=publish]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".alert-success")
    screenshot("report-published-editor-1366")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, storage_state=page.context.storage_state())
    editor_phone = phone.new_page()
    editor_phone.goto(f"{live_server.url}/reviews/articles/{article.pk}/report/")
    assert page_width(editor_phone) <= 390
    screenshot("report-editor-390", of=editor_phone)
    phone.close()

    for width, height in ((390, 844), (1366, 900)):
        context = browser.new_context(viewport={"width": width, "height": height})
        reader = context.new_page()
        reader.goto(f"{live_server.url}/")  # the site root, without an account
        assert reader.locator("main a[href='/accounts/login/']", has_text="Log in").count() == 1
        reader.click("text=Bridge budget claims, checked")
        main = reader.inner_text("main")
        assert "The council spent $48 million on the new bridge." in main
        assert "Mayor Ann Lee" in main
        assert "The minutes show $41 million. The rest went to the approach roads." in main
        assert "Residents were divided" not in main  # left out by the editor
        assert page_width(reader) <= width
        [review] = json.loads(reader.locator("script[type='application/ld+json']").inner_text())
        assert review["claimReviewed"] == "The council spent $48 million on the new bridge."
        assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Mayor Ann Lee"}
        assert review["reviewRating"]["alternateName"] == "Mostly false"
        screenshot(f"report-published-{width}", of=reader)
        context.close()
