"""Notifications in a real browser: a reviewer who was assigned work sees the count in the navbar, opens the
list (desktop and phone width), follows a notice to its object and marks the rest read."""

import re

import pytest
from django.urls import reverse

from factcheck.notifications.models import Notice
from factcheck.notifications.services.notices import Draft, notices_create
from reviews.services import assignments as assignment_services
from tests.factories import StatementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
PHONE = {"width": 390, "height": 844}


def log_in(page, live_server, user):
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def a_day_of_notices(editor, reviewer):
    """A batch assignment (one notice), one single assignment, and a few settled statements."""
    statements = [StatementFactory(text=f"The bridge cost ${i + 40} million, the council said.") for i in range(12)]
    assignment_services.assignments_create(statements=statements, reviewers=[reviewer], assigned_by=editor)
    single = StatementFactory(text="Crime fell by 12% last year, the police commissioner told reporters.")
    assignment_services.assignments_create(statements=[single], reviewers=[reviewer], assigned_by=editor)
    notices_create(
        drafts=[
            Draft(
                reviewer.pk,
                f"settled:{i}",
                Notice.Kind.SETTLED,
                f"Settled as Mostly false: “Unemployment is the lowest it has been in {40 + i} years.”",
                Notice.Target.QUEUE,
            )
            for i in range(3)
        ]
    )


def test_a_reviewer_sees_reads_and_follows_notices(live_server, page, screenshot, editor, reviewer):
    a_day_of_notices(editor, reviewer)
    log_in(page, live_server, reviewer)
    link = page.get_by_test_id("notifications-link")
    assert link.inner_text().startswith("Notifications") and page.get_by_test_id("unread-badge").inner_text() == "5"
    # Screen readers hear the hidden sentence, not "Notifications 5".
    assert page.get_by_role("link", name="5 unread notifications").count() == 1
    link.click()
    page.wait_for_url("**/notifications/")
    assert page.get_by_test_id("notice").count() == 5
    assert page.get_by_test_id("notice").first.inner_text().strip().startswith("Settled as Mostly false")
    path = screenshot("notifications-desktop")
    assert path.exists()

    page.set_viewport_size(PHONE)
    page.reload()
    # The count shows beside the menu button, without opening the menu.
    assert page.get_by_test_id("unread-badge-phone").is_visible()
    assert page.get_by_role("link", name="5 unread notifications").count() == 1  # the menu's one is hidden
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the list scrolls sideways on a phone ({width}px)"
    screenshot("notifications-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # One notice read by its button; the single assignment's notice leads to the rating page.
    page.get_by_role("button", name=re.compile(r"^Mark read.*in 42 years")).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("unread-badge").inner_text() == "4"
    screenshot("notifications-desktop-one-read")
    page.get_by_role("link", name="editor assigned you a statement: “Crime fell by 12% last year").click()
    page.wait_for_url("**/reviews/assignments/*/")
    assert "Crime fell by 12% last year" in page.content()

    page.goto(live_server.url + reverse("notifications:list"))
    page.get_by_role("button", name="Mark all read").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("unread-badge").count() == 0
    assert page.get_by_role("link", name="Notifications, none unread").count() == 1
    assert "Marked 4 notifications read." in page.content()


def test_the_preference_is_chosen_on_my_settings(live_server, page, screenshot, reviewer):
    log_in(page, live_server, reviewer)
    page.goto(live_server.url + reverse("api:settings"))
    page.get_by_label("By e-mail, one daily digest").check()
    page.locator("#notifications").get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Saved: notifications by e-mail, one daily digest." in page.content()
    assert page.get_by_label("By e-mail, one daily digest").is_checked()
    page.locator("#notifications").scroll_into_view_if_needed()
    screenshot("my-settings-notifications")
