"""An editor's day in a real browser: the triage board leads to the new checkable statements, two are ticked
and auto-assigned through the preview, the reviewer is told (navbar count, notifications list), one assignment
runs late and the editor reassigns it from the overdue list in one step, and the statement's history shows the
old assignment closed. Axe checks the statement list with its bulk bar, at desktop and phone width."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import Assignment
from tests.factories import StatementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SHOTS = Path("/work/shots/bulk") if Path("/work/shots").is_dir() else None
CLAIMS = [
    "The council spent $48 million on the Harbour Bridge repair last year.",
    "Unemployment fell to 3.1%, the lowest in forty years, the minister said.",
    "About 65,000 vehicles cross the bridge every day, according to the transport department.",
]


def log_in(page, live_server, user):
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def no_axe_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    assert violations == [], violations


def shot(page, screenshot, name: str) -> None:
    screenshot(name)
    if SHOTS:  # the lead's review folder, when the machine has one
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_triage_bulk_auto_assign_notice_and_overdue_reassign(
    live_server, browser, page, screenshot, editor, reviewer, other_reviewer, third_reviewer
):
    statements = [StatementFactory(text=text, score=0.9 - i / 10) for i, text in enumerate(CLAIMS)]
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, editor)

    # The board's "new checkable statements" section leads to the filtered list.
    page.goto(live_server.url + reverse("reviews:triage"))
    page.get_by_role("link", name="All new unassigned statements").click()
    page.wait_for_url("**/reviews/statements/?state=new*")
    filtered = page.url
    assert page.locator("#statement-results li").count() == 3
    no_axe_violations(page)

    # Select all, then untick one: the count follows; two stay ticked.
    page.get_by_label("Select all on this page").check()
    assert page.locator("#bulk-count").inner_text() == "3 selected"
    page.get_by_label(f"Select “{CLAIMS[2][:59]}…”").uncheck()
    assert page.locator("#bulk-count").inner_text() == "2 selected"
    assert page.evaluate("document.getElementById('bulk-all').indeterminate")
    page.get_by_label("With the selected statements").select_option("auto_assign")
    shot(page, screenshot, "statement-list-bulk-desktop")
    no_axe_violations(page)
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the list scrolls sideways on a phone ({width}px)"
    shot(page, screenshot, "statement-list-bulk-phone")
    no_axe_violations(page)
    page.set_viewport_size(DESKTOP)

    # Auto-assign goes to its preview with exactly the selection; nothing is written until confirmed.
    page.get_by_role("button", name="Apply to selected").click()
    page.wait_for_selector("#preview")
    previewed = page.locator("#preview-statements").inner_text()
    assert CLAIMS[0][:40] in previewed and CLAIMS[1][:40] in previewed and CLAIMS[2][:40] not in previewed
    assert not Assignment.objects.exists()
    page.click("#confirm-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    chosen = {statements[0].pk, statements[1].pk}
    assert set(Assignment.objects.values_list("statement_id", flat=True)) == chosen
    assert Assignment.objects.filter(reviewer=reviewer).count() == 2

    # The reviewer is told: the navbar count and the notifications list name the assignment.
    reviewer_page = browser.new_context(viewport=DESKTOP).new_page()
    log_in(reviewer_page, live_server, reviewer)
    assert reviewer_page.get_by_test_id("unread-badge").inner_text() == "1"
    reviewer_page.get_by_test_id("notifications-link").click()
    reviewer_page.wait_for_url("**/notifications/")
    assert f"{editor.username} assigned you 2 statements" in reviewer_page.get_by_test_id("notice").first.inner_text()
    reviewer_page.context.close()

    # One of the reviewer's runs late; the editor gives it to a colleague from the overdue list in one step.
    late = Assignment.objects.get(reviewer=reviewer, statement=statements[0])
    Assignment.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=4))
    page.goto(live_server.url + reverse("reviews:overdue"))
    item = page.get_by_test_id("overdue-assignment").first
    assert CLAIMS[0][:30] in item.inner_text()
    item.locator("select").select_option(value=str(third_reviewer.pk))
    item.get_by_role("button", name=f"Reassign from {reviewer.username}").click()
    page.wait_for_selector(".alert-success")
    assert f"Reassigned from {reviewer.username} to {third_reviewer.username}" in page.inner_text(".alert-success")
    late.refresh_from_db()
    assert late.status == Assignment.Status.CLOSED

    # The statement page keeps the old assignment, closed, and its history says who took it over.
    page.goto(live_server.url + reverse("reviews:statement_review", args=[statements[0].pk]))
    rows = [row.split("\n")[0] for row in page.locator("#assignments > li").all_inner_texts()]
    closed_label = Assignment.Status.CLOSED.label  # a closed assignment reads "Reassigned"
    assert f"{reviewer.username} · {closed_label}" in rows, rows
    assert any(row.startswith(f"{third_reviewer.username} · To do") for row in rows), rows
    history = page.locator("h2:text('History') + ol").inner_text()
    assert f"Reassigned: {reviewer.username} → {third_reviewer.username}" in history
    shot(page, screenshot, "statement-history-after-reassign")

    # Back on the filtered list the two assigned statements have left "new"; the third is still there.
    page.goto(filtered)
    assert page.locator("#statement-results li").count() == 1
