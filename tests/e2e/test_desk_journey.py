"""Admin and editor journeys in a real browser: import a file, watch the job, assign the statements."""

import pytest

from articles.models import Article
from reviews.models import Assignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = (
    "Bridge Repair Approved\n\n"
    "The council voted 7 to 2 on Tuesday to spend $48 million on the Harbour Bridge. "
    "About 65,000 vehicles cross it every day, according to the transport department.\n\n"
    "Engineers said corrosion had doubled since 2019.\n\n"
    "Print Friendly, PDF & Email"
)


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("button[type=submit]")


def test_admin_imports_and_editor_assigns(
    live_server, browser, page, screenshot, admin_user, editor, reviewer, other_reviewer, third_reviewer, tmp_path
):
    story = tmp_path / "bridge.txt"
    story.write_text(STORY, encoding="utf-8")
    log_in(page, live_server, admin_user)
    page.wait_for_url("**/imports/")
    page.set_input_files("#id_files", str(story))
    page.click("#import-form button[type=submit]")
    page.wait_for_url("**/imports/*/")
    assert "Done" in page.inner_text("#job-progress")
    assert "Bridge Repair Approved" in page.inner_text("main table")
    screenshot("admin-import-done")

    editor_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(editor_page, live_server, editor)
    editor_page.wait_for_url("**/reviews/triage/")
    screenshot("editor-triage", of=editor_page)
    article = Article.objects.get()
    editor_page.goto(f"{live_server.url}/articles/{article.pk}/")
    assert "Print Friendly" not in editor_page.inner_text("main")
    editor_page.fill("#id_per_statement", "2")
    editor_page.uncheck("#id_only_checkable")
    editor_page.click("text=Preview auto-assign")
    editor_page.wait_for_selector("#preview")
    assert Assignment.objects.count() == 0  # the preview writes nothing
    editor_page.click("#confirm-form button[type=submit]")
    editor_page.wait_for_selector(".alert-success")
    assert "as one batch" in editor_page.inner_text(".alert-success")
    statements = article.statements.count()
    assert Assignment.objects.count() == 2 * statements
    screenshot("editor-article", of=editor_page)
    editor_page.context.close()
