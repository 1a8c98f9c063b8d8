"""The editor's triage board and filtered lists in a real browser: landing on the board, following a section to
its list, filtering by keyboard alone, and axe-core finding no violations at desktop and phone widths."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import ImportJob
from reviews.services.summaries import statement_summary_recompute
from tests.factories import ArticleFactory, AssignmentFactory, RatingFactory, StatementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
# Where the screenshots go; the lead looks at them (TRIAGE_SHOTS overrides, e.g. in CI's artefacts).
SHOTS = Path(os.environ.get("TRIAGE_SHOTS", Path(__file__).resolve().parents[2] / "var" / "screenshots" / "triage"))


def _desk(reviewer, other_reviewer):
    now = timezone.now()
    for i, score in enumerate((0.93, 0.81, 0.77)):
        article = ArticleFactory(title=f"Council budget story {i}", site_name="Harbour Gazette")
        StatementFactory(
            article=article, text=f"The council spent ${40 + i} million on the harbour bridge.", score=score
        )
    late = StatementFactory(text="School meals reached 12,000 pupils last year.", score=0.7)
    AssignmentFactory(statement=late, reviewer=reviewer, due_at=now - timedelta(hours=5))
    soon = StatementFactory(text="Flooding closed the river road for nine days.", score=0.66)
    AssignmentFactory(statement=soon, reviewer=other_reviewer, due_at=now + timedelta(hours=6))
    disputed = StatementFactory(text="Crime fell by a third since the new lights went up.", score=0.6)
    settled = StatementFactory(text="The library opened in 1904.", score=0.5)
    for statement, verdicts in ((disputed, ("true", "false")), (settled, ("true", "true"))):
        for reviewer_, verdict in zip((reviewer, other_reviewer), verdicts, strict=True):
            AssignmentFactory(statement=statement, reviewer=reviewer_, status="done")
            RatingFactory(statement=statement, reviewer=reviewer_, verdict=verdict)
        statement_summary_recompute(statement_id=statement.pk)
    ImportJob.objects.create(
        label="Evening feed", status=ImportJob.Status.DONE_WITH_ERRORS, processed=12, succeeded=10, failed=2
    )
    return disputed


def _no_axe_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    assert violations == [], violations


def _log_in(page, live_server, user) -> None:
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def test_editor_triages_from_the_board_by_keyboard(browser, live_server, editor, reviewer, other_reviewer):
    disputed = _desk(reviewer, other_reviewer)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width_name, (width, height) in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(10_000)
        _log_in(page, live_server, editor)
        page.wait_for_url("**/reviews/triage/")
        assert "Crime fell by a third" in page.inner_text("#triage-disputed")
        assert "overdue" in page.inner_text("#triage-due")
        assert "Evening feed" in page.inner_text("#triage-imports")
        _no_axe_violations(page)
        page.screenshot(path=str(SHOTS / f"board-{width_name}.png"), full_page=True)

        # A section's link opens the list behind it.
        page.click("#triage-disputed a:has-text('All disputed statements')")
        page.wait_for_url("**/reviews/statements/?state=disputed")
        assert page.locator(f"#statement-results a[href='/reviews/statements/{disputed.pk}/']").count() == 1

        # Filtering by keyboard alone: type the text, tab past state, order and the button, open "More filters"
        # with Enter, tab to the lowest score, type it, submit with Enter.
        page.goto(live_server.url + reverse("reviews:statement_list"))
        page.focus("#id_q")
        page.keyboard.type("council")
        focused = []
        for _ in range(4):
            page.keyboard.press("Tab")
            focused.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
        assert focused == ["id_state", "id_sort", "BUTTON", "SUMMARY"], focused
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "id_reviewer"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "id_score_min"
        page.keyboard.type("0.8")
        page.keyboard.press("Enter")
        page.wait_for_url("**q=council**")
        results = page.inner_text("#statement-results")
        assert "$40 million" in results and "$41 million" in results and "$42 million" not in results
        _no_axe_violations(page)
        page.screenshot(path=str(SHOTS / f"statements-filtered-{width_name}.png"), full_page=True)

        # An invalid value says what is wrong, and the page still passes axe.
        page.goto(live_server.url + reverse("reviews:article_list") + "?score_min=0.9&score_max=0.2&state=settled")
        assert "must not be below the lowest" in page.inner_text("#filter-errors")
        _no_axe_violations(page)
        page.goto(live_server.url + reverse("reviews:article_list") + "?site=Harbour+Gazette&score_min=0.8")
        assert page.locator("#article-results tbody tr").count() == 2
        page.screenshot(path=str(SHOTS / f"articles-filtered-{width_name}.png"), full_page=True)
        context.close()
