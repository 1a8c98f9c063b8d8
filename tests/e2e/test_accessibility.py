"""Every page state, for every role, at desktop and phone width, passes axe-core with no serious or critical
violation; keyboard focus is always visible; tables fit or scroll.

axe-core comes inside the axe-playwright-python wheel (`axe.min.js`) and is injected into the page by
Playwright, so nothing loads from a CDN. The list of page states is checked against the URL conf: a new named
route fails `test_every_named_route_is_checked_or_excluded_with_a_reason` until it gets a state here or a reason
to be left out.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.e2e.conftest import SCREENSHOTS

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
FAILING_IMPACTS = {"serious", "critical"}
REPORT = SCREENSHOTS.parent / "axe-report.json"


@dataclass(frozen=True)
class State:
    """One page in one state, as one role sees it."""

    label: str
    role: str  # anonymous, reviewer, editor, admin, no_role
    url_name: str | None  # None: a page with no route of its own (404)
    arg: str | None = None  # key into the world for the URL's pk
    query: str = ""
    path: str = ""  # a literal path instead of url_name
    action: Callable | None = field(default=None, compare=False)  # brings the page into the state after loading
    screenshot: bool = False


def _fill_wrong_password(page, world):
    page.fill("#id_username", "nobody-here")
    page.fill("#id_password", "wrong password")
    page.click("main button[type=submit]")
    page.wait_for_selector(".alert-danger, .invalid-feedback, .errorlist")


def _locked_out(page, world):
    page.fill("#id_username", world["locked_username"])
    page.fill("#id_password", "wrong password")
    page.click("main button[type=submit]")
    page.wait_for_selector("h1")


def _create_token(page, world):
    page.fill("#id_name", "CMS plugin")
    page.click("main form button[type=submit]")
    page.wait_for_selector("main code, main .alert")


def _form_errors(page, world):
    page.click("main form button[type=submit] >> nth=0")
    page.wait_for_load_state()


AUTO_ASSIGN_PREVIEW = "preview=1&top=5&min_score=0&per_statement=1&only_checkable=on"

STATES = [
    # Anyone.
    State("login", "anonymous", "login"),
    State("login, wrong password", "anonymous", "login", action=_fill_wrong_password),
    State("login, locked out", "anonymous", "login", action=_locked_out),
    State("site root", "anonymous", "home"),
    State("reports", "anonymous", "reviews:report_list"),
    State("report", "anonymous", "reviews:report_detail", "report"),
    State("not found", "anonymous", None, path="/no-such-page/"),
    # A member without a role yet.
    State("no role", "no_role", "home", screenshot=True),
    # Reviewer.
    State("queue", "reviewer", "reviews:queue", screenshot=True),
    State("queue, empty", "other_reviewer", "reviews:queue"),
    State("rating, before rating", "reviewer", "reviews:assignment_detail", "assignment_open"),
    State("rating, after rating", "reviewer", "reviews:assignment_detail", "assignment_rated"),
    State("rating, others' ratings shown", "reviewer", "reviews:assignment_detail", "assignment_disputed"),
    State("rating, settled", "reviewer", "reviews:assignment_detail", "assignment_settled", screenshot=True),
    State("my settings", "reviewer", "api:settings"),
    State("my settings, new token", "reviewer", "api:settings", action=_create_token),
    State("password change", "reviewer", "password_change"),
    State("password changed", "reviewer", "password_change_done", screenshot=True),
    State("forbidden", "reviewer", "reviews:overview"),
    State("notifications", "reviewer", "notifications:list", screenshot=True),
    State("search", "reviewer", "reviews:search"),
    State("search results", "reviewer", "reviews:search", query="q=council"),
    # Editor.
    State("home, editor (the triage board)", "editor", "home"),
    State("triage board", "editor", "reviews:triage", screenshot=True),
    State("statements", "editor", "reviews:statement_list"),
    State(
        "statements, filtered", "editor", "reviews:statement_list", query="state=in_review&score_min=0.1&sort=newest"
    ),
    State("statements, invalid filter", "editor", "reviews:statement_list", query="score_min=0.9&score_max=0.1"),
    State("articles, filtered", "editor", "reviews:article_list", query="state=settled&checkable=on"),
    State("overview", "editor", "reviews:overview", screenshot=True),
    State("articles", "editor", "reviews:article_list"),
    State("articles, searched", "editor", "reviews:article_list", query="q=bridge"),
    State("article", "editor", "reviews:article_detail", "article", screenshot=True),
    State("article by score", "editor", "reviews:article_detail", "article", query="order=score"),
    State("article history", "editor", "reviews:article_history", "article"),
    State("statement, disputed (settle)", "editor", "reviews:statement_review", "statement_disputed", screenshot=True),
    State("statement, settled", "editor", "reviews:statement_review", "statement_settled"),
    State("curate statement", "editor", "articles:statement_curate", "statement_open"),
    State("scoring", "editor", "reviews:scoring_models"),
    State("auto-assign", "editor", "reviews:auto_assign"),
    State("auto-assign preview", "editor", "reviews:auto_assign", query=AUTO_ASSIGN_PREVIEW, screenshot=True),
    State("auto-assign batch", "editor", "reviews:auto_assign_batch", "batch"),
    State("overdue work", "editor", "reviews:overdue", screenshot=True),
    State("search results, editor", "editor", "reviews:search", query="q=bridge+budget"),
    State("search, nothing found", "editor", "reviews:search", query="q=zebra"),
    State("report editor, new", "editor", "reviews:report_publish", "article_unreported"),
    State("report editor, published", "editor", "reviews:report_publish", "article"),
    # Admin.
    State("imports", "admin", "articles:import_list", screenshot=True),
    State("imports, form errors", "admin", "articles:import_list", action=_form_errors),
    State("import, done", "admin", "articles:import_detail", "job_done"),
    State("import, done with errors", "admin", "articles:import_detail", "job_some_failed"),
    State("import, every item failed", "admin", "articles:import_detail", "job_all_failed", screenshot=True),
    State("import, failed", "admin", "articles:import_detail", "job_failed"),
    State("import, failed items only", "admin", "articles:import_detail", "job_some_failed", query="status=failed"),
    State("feeds", "admin", "articles:feed_list"),
    State("feed, failing", "admin", "articles:feed_detail", "feed_failing", screenshot=True),
    State("feed, paused", "admin", "articles:feed_detail", "feed_paused"),
    State("team", "admin", "reviews:members"),
    State("team member", "admin", "reviews:member_detail", "member"),
    State("my settings, admin", "admin", "api:settings"),
    State("home, admin", "admin", "home"),
]

# Named routes that are not pages a person reads, each with the reason.
NOT_PAGES = {
    "logout": "POST only; answers with a redirect",
    "articles:import_progress": "the htmx fragment inside the import page, checked there",
    "articles:import_retry": "POST only; answers with a redirect",
    "articles:import_item_raw": "a download (application/octet-stream)",
    "articles:feed_poll": "POST only; answers with a redirect",
    "articles:feed_toggle": "POST only; answers with a redirect",
    "articles:statement_edit": "POST only; answers with a redirect",
    "articles:statement_split": "POST only; answers with a redirect",
    "articles:statement_merge": "POST only; answers with a redirect",
    "articles:statement_mark": "POST only; answers with a redirect",
    "reviews:assignment_remove": "POST only; answers with a redirect",
    "reviews:assignment_reassign": "POST only; the form is on the statement and overdue pages, checked there",
    "reviews:assignment_due": "POST only; the form is on the statement page, checked there",
    "reviews:auto_assign_undo": "POST only; the button is on the batch page, checked there",
    "reviews:statements_bulk": "POST only; the form is on the statement list, checked there",
    "reviews:statement_settle": "POST only; the settle form is on the statement page, checked there",
    "reviews:article_assign": "POST only; answers with a redirect",
    "reviews:article_auto_assign": "POST only; answers with a redirect",
    "reviews:report_json": "JSON",
    "reviews:verdicts_csv": "a CSV download",
    "reviews:lockout_lift": "POST only; answers with a redirect",
    "reviews:claim_match_decide": (
        "POST only; the buttons are in Earlier checks on the statement page and the triage board, checked there"
    ),
    "reviews:statement_settle_by_reference": "POST only; the button is in Earlier checks on the statement page",
    "reviews:matcher_train": "POST only; the button is on the Scoring page, checked there",
    "api:settings_token_revoke": "POST only; answers with a redirect",
    "api:settings_byline": "POST only; the form is on My settings, checked there",
    "notifications:read": "POST only; answers with a redirect",
    "notifications:read_all": "POST only; answers with a redirect",
    "notifications:preferences": "POST only; the form is on My settings, checked there",
    "api:schema": "the OpenAPI document (YAML)",
    "api:docs": "Swagger UI, a third-party page served as shipped by drf-spectacular-sidecar",
    "api:redoc": "Redoc, a third-party page served as shipped by drf-spectacular-sidecar",
}
# Whole route families that are not pages: the JSON API and Django's own admin.
NOT_PAGE_PREFIXES = {
    "api/v1/": "the JSON API (tests/api covers it)",
    "admin/": "Django's admin, for superusers, as Django ships it",
}


def _named_routes(patterns=None, prefix="", namespace=""):
    """(qualified name, route) for every named route in the URL conf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_routes(pattern.url_patterns, route, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, route


def test_every_named_route_is_checked_or_excluded_with_a_reason():
    checked = {state.url_name for state in STATES if state.url_name}
    unaccounted = sorted(
        name
        for name, route in _named_routes()
        if name not in checked
        and name not in NOT_PAGES
        and not any(route.lstrip("^").startswith(p) for p in NOT_PAGE_PREFIXES)
    )
    assert unaccounted == [], "add a State (or a reason in NOT_PAGES) for: " + ", ".join(unaccounted)
    known = {name for name, _ in _named_routes()}
    assert checked <= known, f"states for routes that are gone: {sorted(checked - known)}"
    assert not checked & set(NOT_PAGES)


# --- the desk the pages are looked at on -------------------------------------------------------------------

LONG_STORY_TITLE = "Harbour Bridge repairs approved after a long debate"


def _long_story() -> str:
    """An article long enough to make the article page long on a phone: 36 statements in 12 paragraphs."""
    facts = [
        "The council voted 7 to 2 on Tuesday to spend $48 million on the Harbour Bridge.",
        "About 65,000 vehicles cross the bridge every day, according to the transport department.",
        "Engineers said corrosion on the main span had doubled since 2019.",
        "The mayor said the repairs would be finished by March 2027.",
        "Opposition councillors claimed the budget was 30% higher than the first estimate.",
        "Tolls will rise by 50 cents for cars and $2 for lorries during the works.",
    ]
    paragraphs = [" ".join(facts[(i + j) % len(facts)] for j in range(3)) for i in range(12)]
    return LONG_STORY_TITLE + "\n\n" + "\n\n".join(paragraphs)


@pytest.fixture
def world(reviewer, other_reviewer, editor, admin_user, no_role_user):
    from axes.models import AccessAttempt

    from articles.models import Article, ClaimMatch, Feed, FeedEntry, ImportJob
    from articles.services.imports import Upload, import_job_create
    from factcheck.api.services.tokens import token_create
    from reviews.models import Assignment
    from reviews.services import auto_assign
    from reviews.services.assignments import assignments_create
    from reviews.services.ratings import rating_submit
    from reviews.services.settlement import statement_settle

    # Imports run in-process in tests (eager Celery), so each job below has finished when its call returns.
    job_done = import_job_create(created_by=admin_user, uploads=[Upload("bridge.txt", _long_story().encode())])
    binary = b"\x00\x01\x02PNG\x00" * 50
    job_some_failed = import_job_create(
        created_by=admin_user,
        uploads=[Upload("floods.txt", b"River floods\n\nThe river rose 2 metres overnight."), Upload("a.png", binary)],
        label="Morning batch with a picture in it by mistake",
    )
    job_all_failed = import_job_create(
        created_by=admin_user, uploads=[Upload("a.png", binary), Upload("b.png", binary + b"x")]
    )
    job_failed = ImportJob.objects.create(
        created_by=admin_user,
        label="A very long label for a job that stopped: " + "nightly CSV export of the regional desk " * 3,
        status=ImportJob.Status.FAILED,
        finished_at=timezone.now(),
        error="The import stopped: the database refused the batch.",
    )
    article = Article.objects.get(title=LONG_STORY_TITLE)
    unreported = Article.objects.exclude(pk=article.pk).first()
    statements = list(article.statements.order_by("position"))
    rated, disputed, settled, open_ = statements[0], statements[1], statements[2], statements[3]
    assignments_create(statements=[rated, disputed, settled, open_], reviewers=[reviewer], assigned_by=editor)
    assignments_create(statements=[rated, disputed, settled], reviewers=[other_reviewer], assigned_by=editor)

    def rate(statement, user, verdict):
        assignment = Assignment.objects.get(statement=statement, reviewer=user)
        rating_submit(assignment=assignment, reviewer=user, verdict=verdict, confidence=4, rationale="Checked.")
        return assignment

    assignment_rated = rate(rated, reviewer, "mostly_true")
    assignment_disputed = rate(disputed, reviewer, "true")
    rate(disputed, other_reviewer, "pants_on_fire")
    assignment_settled = rate(settled, reviewer, "false")
    rate(settled, other_reviewer, "true")
    statement_settle(statement=settled, editor=editor, verdict="half_true", note="Figures differ by season.")
    # Overdue work for the overdue page (and the queue's "Overdue" mark), and one confirmed auto-assign batch.
    Assignment.objects.filter(statement=open_, reviewer=reviewer).update(due_at=timezone.now() - timedelta(days=2))
    choices = auto_assign.AutoAssignChoices(article_id=unreported.pk, top=3, per_statement=1, only_checkable=False)
    plan = auto_assign.auto_assign_preview(choices=choices, previewed_by=editor)
    batch = auto_assign.auto_assign_confirm(choices=choices, confirmed_by=editor, expected=plan.digest)
    # The disputed statement "was already checked": Earlier checks on its page, Already checked on the article's
    # and on the triage board (its line in Disputed, and the Already checked? section with its buttons).
    ClaimMatch.objects.create(statement=disputed, earlier=settled, score=0.71, method="default")

    failing = Feed.objects.create(
        url="https://news.example.org/feeds/politics.xml",
        title="Example News: politics",
        last_polled_at=timezone.now(),
        next_poll_at=timezone.now(),
        last_error="The feed answered 503 Service Unavailable.",
    )
    FeedEntry.objects.create(
        feed=failing, guid="e1", link="https://news.example.org/2026/bridge", title="Bridge repairs", job=job_done
    )
    FeedEntry.objects.create(feed=failing, guid="e2", link="https://news.example.org/2026/x", job=job_all_failed)
    paused = Feed.objects.create(url="https://news.example.org/feeds/sport.xml", active=False)
    token_create(user=reviewer, name="Newsroom chat bot")
    token_create(user=admin_user, name="CMS plugin")
    AccessAttempt.objects.create(
        username="guesser", ip_address="203.0.113.9", user_agent="", get_data="", post_data="", http_accept="",
        path_info="/accounts/login/", failures_since_start=5,
    )  # fmt: skip
    return {
        "users": {
            "reviewer": reviewer,
            "other_reviewer": other_reviewer,
            "editor": editor,
            "admin": admin_user,
            "no_role": no_role_user,
        },
        "locked_username": "guesser",
        "article": article,
        "article_unreported": unreported,
        "assignment_open": Assignment.objects.get(statement=open_, reviewer=reviewer),
        "assignment_rated": assignment_rated,
        "assignment_disputed": assignment_disputed,
        "assignment_settled": assignment_settled,
        "statement_disputed": disputed,
        "statement_settled": settled,
        "statement_open": open_,
        "job_done": job_done,
        "job_some_failed": job_some_failed,
        "job_all_failed": job_all_failed,
        "job_failed": job_failed,
        "feed_failing": failing,
        "feed_paused": paused,
        "member": reviewer,
        "batch": batch,
    }


def _session_cookies(live_server, user) -> list[dict]:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    host = re.sub(r"^https?://", "", live_server.url).split(":")[0]
    return [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
             "domain": host, "path": "/"}]  # fmt: skip


def _publish_report(live_server, browser, cookies, world) -> None:
    """Publish the article's report the way an editor does, through its form (prefilled with the claims)."""
    from reviews.models import Report

    context = browser.new_context(viewport=DESKTOP)
    context.add_cookies(cookies)
    page = context.new_page()
    page.goto(live_server.url + reverse("reviews:report_publish", args=[world["article"].pk]))
    page.fill("input[name=headline]", "The bridge budget, checked")
    page.click("button[value=publish]")
    page.wait_for_selector(".alert-success")
    context.close()
    world["report"] = Report.objects.get(article=world["article"])


def _url(live_server, world, state: State) -> str:
    path = state.path or reverse(state.url_name, args=[world[state.arg].pk] if state.arg else [])
    return live_server.url + path + (f"?{state.query}" if state.query else "")


# --- axe and layout ----------------------------------------------------------------------------------------

# axe-core's rules as shipped, plus target-size (WCAG 2.2 AA, 24 px), which axe leaves off by default.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}

# What axe does not check: one h1, and tables that fit (desktop) or scroll inside their box (phone) without
# widening the page.
LAYOUT_SCRIPT = """(desktop) => {
  const problems = [];
  const h1s = [...document.querySelectorAll("h1")].filter((h) => h.getClientRects().length).length;
  if (h1s !== 1) problems.push(`${h1s} visible h1 elements`);
  const viewport = document.documentElement.clientWidth;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "") +
    [...el.classList].slice(0, 3).map((c) => `.${c}`).join("");
  if (document.documentElement.scrollWidth > viewport + 1) {
    // Name the innermost element that sticks out, so the message says what to fix.
    const out = [...document.body.querySelectorAll("*")]
      .filter((el) => el.getBoundingClientRect().right > viewport + 1);
    const culprit = out.find((el) => ![...el.children].some((c) => out.includes(c)));
    problems.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${viewport} px window` +
      (culprit ? ` (${describe(culprit)} sticks out)` : ""));
  }
  // Buttons are targets of at least 24 x 24 px (WCAG 2.5.8), however small their text.
  for (const el of document.querySelectorAll("button, .btn, input[type=submit], input[type=button]")) {
    const r = el.getBoundingClientRect();
    if (!el.getClientRects().length || getComputedStyle(el).visibility === "hidden") continue;
    if (r.width < 23.5 || r.height < 23.5) {
      const name = (el.innerText || el.value || el.getAttribute("aria-label") || describe(el)).trim().slice(0, 30);
      problems.push(`"${name}" is a ${Math.round(r.width)} x ${Math.round(r.height)} px target`);
    }
  }
  for (const table of document.querySelectorAll("main table")) {
    if (!table.getClientRects().length) continue;
    let box = table.parentElement;
    while (box && !["auto", "scroll"].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
    const name = (table.querySelector("th")?.innerText || "a table").trim().slice(0, 30);
    if (!box) {
      if (table.getBoundingClientRect().right > viewport + 1) problems.push(`table "${name}" runs off the page`);
    } else if (desktop && box.scrollWidth > box.clientWidth + 1) {
      problems.push(`table "${name}" needs ${box.scrollWidth} px in ${box.clientWidth} px: columns are cut off`);
    }
  }
  return problems;
}"""


def _axe(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page, options=AXE_OPTIONS).response["violations"]


def _counts(violations: list[dict]) -> tuple[int, int, int, int]:
    """(serious or critical rules, their nodes, all rules, all nodes)."""
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    return (
        len(failing),
        sum(len(v["nodes"]) for v in failing),
        len(violations),
        sum(len(v["nodes"]) for v in violations),
    )


def _describe(violation: dict) -> str:
    targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:4])
    more = f" (+{len(violation['nodes']) - 4} more)" if len(violation["nodes"]) > 4 else ""
    return f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}): {targets}{more}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_state_for_every_role_passes_axe_at_desktop_and_phone_width(live_server, browser, world):
    cookies = {role: _session_cookies(live_server, user) for role, user in world["users"].items()}
    _publish_report(live_server, browser, cookies["editor"], world)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    rows, failures, report = [], [], []
    started = time.monotonic()
    only = os.environ.get("A11Y_ONLY")  # a regular expression over the labels, to look at a few states
    for width_name, viewport in WIDTHS.items():
        pages = {}
        try:
            for state in STATES:
                if only and not re.search(only, state.label):
                    continue
                if state.role not in pages:
                    context = browser.new_context(viewport=viewport)
                    if state.role != "anonymous":
                        context.add_cookies(cookies[state.role])
                    pages[state.role] = context.new_page()
                    pages[state.role].set_default_timeout(10_000)
                page = pages[state.role]
                tick = time.monotonic()
                page.goto(_url(live_server, world, state))
                if state.action:
                    state.action(page, world)
                violations = _axe(page)
                layout = page.evaluate(LAYOUT_SCRIPT, width_name == "desktop")
                if state.screenshot:
                    slug = re.sub(r"\W+", "-", state.label).strip("-")
                    page.screenshot(path=str(SCREENSHOTS / f"a11y-{slug}-{width_name}.png"), full_page=True)
                rows.append((state, width_name, *_counts(violations), len(layout), time.monotonic() - tick))
                report.append(
                    {"state": state.label, "role": state.role, "width": width_name, "violations": violations,
                     "layout": layout}
                )  # fmt: skip
                where = f"{state.label} [{state.role}, {width_name}]"
                failures += [f"{where} {_describe(v)}" for v in violations if v["impact"] in FAILING_IMPACTS]
                failures += [f"{where} layout: {problem}" for problem in layout]
        finally:
            for page in pages.values():
                page.context.close()
    REPORT.write_text(json.dumps(report, indent=1))
    print("\naxe-core per page state: serious+critical rules/nodes · all rules/nodes · layout problems · seconds")
    for state, width_name, bad_rules, bad_nodes, all_rules, all_nodes, layout, seconds in rows:
        print(
            f"  {state.label:<32} {state.role:<14} {width_name:<7} {bad_rules}/{bad_nodes} · {all_rules}/{all_nodes}"
            f" · {layout} · {seconds:.1f}"
        )
    failing = {(row[0].label, row[1]) for row in rows if row[2] or row[6]}
    print(
        f"{len(failing)} of {len(rows)} page states fail; {time.monotonic() - started:.0f} s; "
        f"every violation in {REPORT.relative_to(REPORT.parents[1])}"
    )
    assert failures == [], "\n".join(failures)


# --- keyboard ----------------------------------------------------------------------------------------------

# What the focused element looks like: its focus indicator, and the contrast of that indicator with what is
# behind it (WCAG 2.4.7 visible, 1.4.11 at least 3:1).
FOCUS_SCRIPT = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rgba = (c) => { const m = c.match(/[\\d.]+/g).map(Number); return m.length === 3 ? [...m, 1] : m; };
  const luminance = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let behind = [255, 255, 255, 1];
  for (let box = el.parentElement; box; box = box.parentElement) {
    const c = rgba(getComputedStyle(box).backgroundColor);
    if (c[3] > 0.5) { behind = c; break; }
  }
  const style = getComputedStyle(el);
  const width = parseFloat(style.outlineWidth);
  const ring = rgba(style.outlineColor);
  const [hi, lo] = [luminance(ring), luminance(behind)].sort((a, b) => b - a);
  const r = el.getBoundingClientRect();
  return {
    label: ((el.labels && el.labels[0] ? el.labels[0].innerText : el.innerText) || el.getAttribute("aria-label") ||
      el.value || el.name || el.tagName).trim().slice(0, 40),
    href: el.getAttribute("href") || "",
    inNavbar: !!el.closest("nav.navbar"),
    visible: style.outlineStyle !== "none" && width >= 2,
    contrast: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100,
    onScreen: r.bottom > 0 && r.top < innerHeight && r.width > 0,
  };
}"""

# Each role's busiest page, and what Tab must reach on it besides the navbar: the page's main actions.
KEYBOARD_PAGES = [
    ("anonymous", "login", None, ["Log in", "Fact-checks"]),
    ("reviewer", "reviews:assignment_detail", "assignment_open", ["True", "Submit and next", "Save"]),
    ("editor", "reviews:article_detail", "article", ["History", "Publish report", "Assign", "Preview auto-assign"]),
    ("editor", "reviews:statement_list", None, ["Text", "Filter", "More filters", "Apply to selected"]),
    ("admin", "articles:import_list", None, ["Import", "subscribe to a feed"]),
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_navbar_and_main_actions_are_reached_by_tab_with_a_visible_focus_ring(live_server, browser, world):
    problems = []
    for role, url_name, arg, actions in KEYBOARD_PAGES:
        # Reduced motion: Bootstrap's smooth scrolling would leave the focus off screen while it scrolls.
        context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
        if role != "anonymous":
            context.add_cookies(_session_cookies(live_server, world["users"][role]))
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(_url(live_server, world, State(url_name, role, url_name, arg)))
        navbar_links = set(
            page.eval_on_selector_all("nav.navbar a[href]", "els => els.map(e => e.getAttribute('href'))")
        )
        reached, seen_labels = set(), set()
        for _ in range(200):  # the article's 36 statements take four stops each
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUS_SCRIPT)
            if focus is None:
                continue
            if focus["inNavbar"]:
                reached.add(focus["href"])
            seen_labels.add(focus["label"])
            if not focus["visible"] or focus["contrast"] < 3:
                problems.append(f"{role} {url_name}: focus on {focus['label']!r} is not visible enough: {focus}")
            if not focus["onScreen"]:
                problems.append(f"{role} {url_name}: focus on {focus['label']!r} is off screen")
            unreached = [a for a in actions if not any(label.startswith(a) for label in seen_labels)]
            if not unreached and navbar_links <= reached:
                break
        missing = sorted(navbar_links - reached) + unreached
        if missing:
            problems.append(f"{role} {url_name}: Tab never reached {missing}")
        context.close()
    # On a phone the menu is behind its button, which Tab reaches and Enter opens.
    context = browser.new_context(viewport=PHONE, reduced_motion="reduce")
    context.add_cookies(_session_cookies(live_server, world["users"]["editor"]))
    page = context.new_page()
    page.goto(live_server.url + reverse("reviews:overview"))
    for _ in range(5):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_SCRIPT)
        if focus and focus["label"] == "Menu":
            break
    assert focus and focus["label"] == "Menu" and focus["visible"] and focus["contrast"] >= 3, focus
    page.keyboard.press("Enter")
    page.wait_for_selector("#nav.show")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS_SCRIPT)["inNavbar"]
    context.close()
    assert problems == [], "\n".join(problems)


# --- the article page on a phone ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_assign_controls_sit_beside_the_statements_on_a_desktop_and_right_above_them_on_a_phone(
    live_server, browser, world
):
    context = browser.new_context(viewport=DESKTOP)
    context.add_cookies(_session_cookies(live_server, world["users"]["editor"]))
    page = context.new_page()
    page.goto(live_server.url + reverse("reviews:article_detail", args=[world["article"].pk]))
    table = page.locator("#assign-form table").bounding_box()
    panel = page.locator("#assign-panel").bounding_box()
    context.close()
    assert panel["x"] >= table["x"] + table["width"] and panel["y"] < table["y"] + 200, (panel, table)

    context = browser.new_context(viewport=PHONE)
    context.add_cookies(_session_cookies(live_server, world["users"]["editor"]))
    page = context.new_page()
    page.goto(live_server.url + reverse("reviews:article_detail", args=[world["article"].pk]))
    picker = page.locator("#assign-panel input[name=reviewers]").first.bounding_box()
    assign = page.get_by_role("button", name="Assign", exact=True).bounding_box()
    first_statement = page.locator("#assign-form tbody tr").first.bounding_box()
    last_statement = page.locator("#assign-form tbody tr").last.bounding_box()
    height = page.evaluate("document.documentElement.scrollHeight")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "a11y-article-phone-top.png"))
    # Far down the list, Assign is still on screen: the bar under the statements sticks to the bottom.
    page.locator("#assign-form tbody tr").nth(20).scroll_into_view_if_needed()
    bar = page.get_by_role("button", name="Assign selected").bounding_box()
    page.screenshot(path=str(SCREENSHOTS / "a11y-article-phone-statement-21.png"))
    context.close()
    assert bar["y"] >= 0 and bar["y"] + bar["height"] <= PHONE["height"], bar
    print(
        f"\narticle page on a phone: {height} px tall; reviewer picker at {picker['y']:.0f} px, Assign at"
        f" {assign['y']:.0f} px, statements from {first_statement['y']:.0f} to {last_statement['y']:.0f} px"
    )
    assert picker["y"] < first_statement["y"] and assign["y"] < first_statement["y"]
    assert first_statement["y"] - assign["y"] < 900, "the Assign button is more than a screen above the statements"
    assert assign["y"] < 2000, "the reviewer picker must be reached without scrolling past the statements"
