"""Deadlines in a real browser: the editor previews an auto-assign (one reviewer full, so skipped), confirms
it, a reviewer sees the work in their queue by due date with due today / overdue marks, and the editor
reassigns overdue work in one step — at desktop and phone width."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import Assignment, ReviewerCapacity
from tests.factories import ArticleFactory, AssignmentFactory, StatementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
CLAIMS = [
    "The council spent $48 million on the Harbour Bridge repair last year.",
    "Unemployment fell to 3.1%, the lowest in forty years, the minister said.",
    "About 65,000 vehicles cross the bridge every day, according to the transport department.",
    "Crime fell by 12% in the city centre after the new lighting was installed.",
    "The hospital waiting list doubled since 2019, the opposition claimed.",
]


def log_in(page, live_server, user):
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"


def test_preview_confirm_queue_marks_and_overdue_reassign(
    live_server, browser, page, screenshot, editor, reviewer, other_reviewer, third_reviewer
):
    ReviewerCapacity.objects.create(reviewer=third_reviewer, max_open=0)
    article = ArticleFactory(title="Bridge repair approved")
    for i, text in enumerate(CLAIMS):
        StatementFactory(article=article, position=i, text=text, score=0.9 - i / 10)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, editor)
    page.goto(live_server.url + reverse("reviews:article_detail", args=[article.pk]))
    page.click("text=Preview auto-assign")
    page.wait_for_selector("#preview")
    assert Assignment.objects.count() == 0
    skipped = page.locator("[data-testid=preview-reviewer]", has_text="rev_c").inner_text()
    assert "at capacity: 0 open of 0" in skipped
    screenshot("deadlines-preview-desktop")
    page.set_viewport_size(PHONE)
    fits_the_phone(page)
    screenshot("deadlines-preview-phone")
    page.set_viewport_size(DESKTOP)
    page.click("#confirm-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert Assignment.objects.filter(reviewer=reviewer).count() == 5
    screenshot("deadlines-batch-desktop")

    # The reviewer's queue: one overdue, one due today, the batch's (due in two days) after them.
    now = timezone.now()
    late = AssignmentFactory(
        reviewer=reviewer, due_at=now - timedelta(hours=5), statement=StatementFactory(text="Rents rose 40% in a year.")
    )
    AssignmentFactory(
        reviewer=reviewer,
        due_at=min(now + timedelta(minutes=30), timezone.localtime(now).replace(hour=23, minute=59)),
        statement=StatementFactory(text="The new line carries 20,000 passengers a day."),
    )
    reviewer_page = browser.new_context(viewport=DESKTOP).new_page()
    log_in(reviewer_page, live_server, reviewer)
    reviewer_page.goto(live_server.url + reverse("reviews:queue"))
    marks = reviewer_page.get_by_test_id("due-mark").all_inner_texts()
    assert marks[0] == "Overdue" and "Due today" in marks
    assert "Rents rose 40%" in reviewer_page.locator("#todo a").first.inner_text()
    screenshot("deadlines-queue-desktop", of=reviewer_page)
    reviewer_page.set_viewport_size(PHONE)
    fits_the_phone(reviewer_page)
    screenshot("deadlines-queue-phone", of=reviewer_page)
    reviewer_page.context.close()

    # The editor gives the overdue one to a colleague in one step; the old assignment stays, closed.
    page.goto(live_server.url + reverse("reviews:overdue"))
    assert "rev_a" in page.inner_text("#overdue-per-reviewer")
    screenshot("deadlines-overdue-desktop")
    page.set_viewport_size(PHONE)
    fits_the_phone(page)
    screenshot("deadlines-overdue-phone")
    page.set_viewport_size(DESKTOP)
    item = page.get_by_test_id("overdue-assignment").first
    item.locator("select").select_option(label=f"rev_b ({5} of 20 open)")
    item.get_by_role("button", name="Reassign from rev_a").click()
    page.wait_for_selector(".alert-success")
    assert "Reassigned from rev_a to rev_b" in page.inner_text(".alert-success")
    late.refresh_from_db()
    assert late.status == Assignment.Status.CLOSED
    assert Assignment.objects.filter(statement=late.statement, reviewer=other_reviewer, status="assigned").exists()
