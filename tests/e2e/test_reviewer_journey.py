"""A reviewer's journey in a real browser (Debian's Chromium driven by Playwright): by mouse, and by keyboard
alone with every key press counted."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reviews.models import Assignment, Rating
from tests.factories import ArticleFactory, AssignmentFactory, StatementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
# Enter on the queue's first item, a verdict key, Ctrl+Enter: the budget per statement.
MAX_ACTIONS_PER_STATEMENT = 3


def log_in(page, live_server, user):
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/reviews/queue/")


def statement_far_down_a_long_article(score: float):
    """A statement in the 60th of 70 paragraphs: thousands of pixels below the top of its article."""
    claim = "The new bridge cost the county $48 million, twice the first estimate."
    paragraphs = [f"Paragraph {i}. Residents spoke at length about traffic, parking and noise." * 3 for i in range(70)]
    paragraphs[60] = claim
    body = "\n\n".join(paragraphs)
    start = body.index(claim)
    article = ArticleFactory(title="A very long council story", body=body)
    return StatementFactory(article=article, text=claim, start=start, end=start + len(claim), score=score)


def three_assigned(reviewer):
    """Three statements in the reviewer's queue, the long-article one first (most check-worthy)."""
    far = statement_far_down_a_long_article(0.9)
    second = StatementFactory(
        text="Crime fell by 12% last year.", article__body="Crime fell by 12% last year.", score=0.6
    )
    third = StatementFactory(
        text="The mayor won 61% of the vote.", article__body="The mayor won 61% of the vote.", score=0.3
    )
    return [AssignmentFactory(statement=s, reviewer=reviewer) for s in (far, second, third)]


def box_of(page, selector):
    return page.locator(selector).bounding_box()


def inside_viewport(page, selector) -> bool:
    box, view = box_of(page, selector), page.viewport_size
    return (
        box["y"] >= 0
        and box["x"] >= 0
        and box["y"] + box["height"] <= view["height"]
        and box["x"] + box["width"] <= view["width"]
    )


def inside_article_box(page) -> bool:
    mark, frame = box_of(page, "#highlight"), box_of(page, "#article-context")
    return mark["y"] >= frame["y"] and mark["y"] + mark["height"] <= frame["y"] + frame["height"]


def focused(page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement; return {tag: e.tagName, name: e.name || '', value: e.value || '',"
        " id: e.id, href: e.getAttribute('href') || ''}; }"
    )


def test_reviewer_logs_in_rates_a_statement_and_sees_it_done(live_server, page, screenshot, reviewer):
    statement = StatementFactory(
        text="The council spent $48 million on the bridge.",
        article__body="The council spent $48 million on the bridge. Residents were divided.",
        article__title="Bridge repair <script>alert(1)</script>",
    )
    AssignmentFactory(statement=statement, reviewer=reviewer)

    log_in(page, live_server, reviewer)
    screenshot("reviewer-queue")

    page.click("#todo a")
    highlight = page.locator("#highlight")
    assert highlight.inner_text() == "The council spent $48 million on the bridge."
    # Imported markup is shown as text, never run.
    assert "<script>alert(1)</script>" in page.inner_text("#article-title")
    assert page.locator("h1").count() == 1
    page.check("input[name=verdict][value=mostly_true]")
    page.check("input[name=confidence][value='4']")
    page.fill("#id_rationale", "Council minutes show $47.6 million.")
    page.fill("input[name='evidence-0-url']", "https://council.example.org/minutes")
    screenshot("reviewer-rating-form")
    page.click("#submit-save")

    page.wait_for_selector("text=Rating saved.")
    assert "Your rating" in page.inner_text("#rating-form")
    page.click("nav[aria-label=breadcrumb] a")
    assert "The council spent $48 million" in page.inner_text("#done")
    assert "Nothing to rate" in page.inner_text("#todo")
    screenshot("reviewer-done")
    rating = Rating.objects.get()
    assert (rating.verdict, rating.confidence) == ("mostly_true", 4)


def test_a_reviewer_rates_two_statements_from_the_queue_by_keyboard_alone(live_server, page, screenshot, reviewer):
    first, second, third = three_assigned(reviewer)
    log_in(page, live_server, reviewer)
    actions = []

    def press(key, statement):
        actions.append((statement, key))
        page.keyboard.press(key)

    # The queue opens with its first item focused: Enter opens it.
    assert focused(page)["href"] == f"/reviews/assignments/{first.pk}/"
    press("Enter", 1)
    page.wait_for_url(f"**/reviews/assignments/{first.pk}/")

    # The statement, in the 61st of 70 paragraphs, is highlighted on screen, inside its article's box.
    assert box_of(page, "#highlight")["y"] > 0
    assert inside_viewport(page, "#highlight") and inside_article_box(page)
    assert page.evaluate("document.getElementById('article-context').scrollTop") > 1500
    assert (focused(page)["name"], focused(page)["value"]) == ("verdict", "true")
    assert page.get_attribute("#id_verdict_2", "aria-keyshortcuts") == "3"

    press("3", 1)  # Half true, and on to the rationale
    assert page.is_checked("input[name=verdict][value=half_true]")
    assert focused(page)["id"] == "id_rationale"
    # A locator wait, not wait_for_function: a string function is eval'd in the page, which the CSP forbids.
    expect(page.locator("#shortcut-status")).to_have_text("Verdict: Half true")

    # Keys typed into the rationale are text, not shortcuts.
    page.keyboard.type("1 j k ? ")
    assert page.is_checked("input[name=verdict][value=half_true]")
    assert page.url.endswith(f"/reviews/assignments/{first.pk}/")
    assert not page.evaluate("document.getElementById('shortcuts').open")
    page.keyboard.type("Budget papers show $48.2 million; the first estimate was $31 million.")
    assert page.input_value("#id_rationale").startswith("1 j k ? Budget papers")

    # While the form is used, the statement stays on screen beside it.
    page.focus("#submit-save")
    assert inside_viewport(page, "#statement") and inside_viewport(page, "#highlight")
    page.focus("#id_rationale")
    screenshot("reviewer-rating-keyboard-desktop")

    press("Control+Enter", 1)  # Submit and next
    page.wait_for_url(f"**/reviews/assignments/{second.pk}/")
    # Focus lands on the next statement's verdict.
    assert (focused(page)["name"], focused(page)["value"]) == ("verdict", "true")
    assert inside_viewport(page, "#highlight")

    press("Shift+5", 2)  # confidence 5, before the verdict moves the focus to the rationale
    assert page.is_checked("input[name=confidence][value='5']")
    press("1", 2)  # True
    page.keyboard.type("The police's annual report gives 12.1%.")
    press("Control+Enter", 2)
    page.wait_for_url(f"**/reviews/assignments/{third.pk}/")
    assert (focused(page)["name"], focused(page)["value"]) == ("verdict", "true")

    per_statement = {n: sum(1 for s, _ in actions if s == n) for n in (1, 2)}
    print(f"keyboard actions per statement (besides typing the rationale): {per_statement}; keys: {actions}")
    assert max(per_statement.values()) <= MAX_ACTIONS_PER_STATEMENT
    ratings = {r.statement_id: r for r in Rating.objects.filter(reviewer=reviewer)}
    assert (ratings[first.statement_id].verdict, ratings[first.statement_id].confidence) == ("half_true", 3)
    assert ratings[first.statement_id].rationale.startswith("1 j k ? Budget papers")
    assert (ratings[second.statement_id].verdict, ratings[second.statement_id].confidence) == ("true", 5)
    assert set(Assignment.objects.filter(reviewer=reviewer).values_list("pk", "status")) == {
        (first.pk, "done"),
        (second.pk, "done"),
        (third.pk, "assigned"),
    }


def test_shortcuts_list_next_previous_and_switching_them_off(live_server, page, screenshot, reviewer):
    first, second, _ = three_assigned(reviewer)
    log_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/reviews/assignments/{first.pk}/")

    page.keyboard.press("J")
    page.wait_for_url(f"**/reviews/assignments/{second.pk}/")
    page.keyboard.press("K")
    page.wait_for_url(f"**/reviews/assignments/{first.pk}/")

    # With a verdict picked and not saved, J asks before leaving; saying no stays.
    page.keyboard.press("2")
    page.keyboard.press("Escape")  # out of the rationale, back to the verdict
    assert (focused(page)["name"], focused(page)["value"]) == ("verdict", "mostly_true")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.keyboard.press("J")
    page.wait_for_timeout(300)
    assert page.url.endswith(f"/reviews/assignments/{first.pk}/")

    # ? opens the list as a modal dialog; the switch turns every shortcut off, and it stays off on the next page.
    page.keyboard.press("Shift+Slash")
    dialog = page.locator("#shortcuts")
    assert dialog.is_visible() and page.evaluate("document.getElementById('shortcuts').open")
    assert "Pick a verdict" in dialog.inner_text()
    screenshot("reviewer-rating-shortcuts")
    page.click("#shortcuts-enabled")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('shortcuts').open")
    assert page.get_attribute("#id_verdict_0", "aria-keyshortcuts") is None

    page.goto(f"{live_server.url}/reviews/assignments/{second.pk}/")
    assert page.get_attribute("#id_verdict_0", "aria-keyshortcuts") is None
    page.keyboard.press("4")
    page.keyboard.press("J")
    page.keyboard.press("Shift+Slash")
    page.wait_for_timeout(300)
    assert not page.is_checked("input[name=verdict][value=mostly_false]")
    assert page.url.endswith(f"/reviews/assignments/{second.pk}/")
    assert not page.evaluate("document.getElementById('shortcuts').open")
    # The button still opens the list, to switch them back on.
    page.click("#shortcuts-open")
    page.click("#shortcuts-enabled")
    page.keyboard.press("Escape")
    page.keyboard.press("4")
    assert page.is_checked("input[name=verdict][value=mostly_false]")


def test_on_a_phone_the_statement_comes_first_then_the_form(live_server, browser, screenshot, reviewer):
    first, *_ = three_assigned(reviewer)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    try:
        log_in(phone, live_server, reviewer)
        phone.goto(f"{live_server.url}/reviews/assignments/{first.pk}/")
        statement, form, article = (box_of(phone, s) for s in ("#statement", "#rating-form", "#article-context"))
        assert statement["y"] < form["y"] < article["y"]
        assert inside_viewport(phone, "#statement")
        assert inside_article_box(phone)  # the highlight is scrolled to within its article's box
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        targets = phone.eval_on_selector_all(".choice", "els => els.map(e => e.getBoundingClientRect().height)")
        assert min(targets) >= 24
        screenshot("reviewer-rating-phone", of=phone)
    finally:
        context.close()


def test_rating_page_at_desktop_width(live_server, page, screenshot, reviewer):
    first, *_ = three_assigned(reviewer)
    log_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/reviews/assignments/{first.pk}/")
    assert inside_viewport(page, "#statement") and inside_viewport(page, "#highlight")
    targets = page.eval_on_selector_all(".choice", "els => els.map(e => e.getBoundingClientRect().height)")
    assert min(targets) >= 24
    full_page = screenshot("reviewer-rating-desktop")
    page.screenshot(path=str(full_page.with_name("reviewer-rating-desktop-viewport.png")))
