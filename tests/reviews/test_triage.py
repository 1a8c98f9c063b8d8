"""The triage board (each statement in exactly the sections it belongs to) and the filtered statement and
article lists (each filter, filters combined, keyset pages that keep the filters, invalid values)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ClaimMatch, Feed, FeedEntry, ImportItem, ImportJob, ImportSource, Statement
from reviews.models import ArticleSummary, Assignment, Report, StatementSummary
from reviews.publishing.services import report_publish, report_withdraw
from reviews.selectors.triage import triage_board
from reviews.services.settlement import statement_settle
from reviews.services.summaries import statement_summary_recompute, summaries_recompute_all
from reviews.verdicts import article_state
from tests.factories import ArticleFactory, AssignmentFactory, RatingFactory, StatementFactory, UserFactory
from tests.publishing import prefilled_claims

pytestmark = pytest.mark.django_db


def _rated(statement, verdicts, reviewers):
    for verdict, reviewer in zip(verdicts, reviewers, strict=True):
        AssignmentFactory(statement=statement, reviewer=reviewer, status=Assignment.Status.DONE)
        RatingFactory(statement=statement, reviewer=reviewer, verdict=verdict)
    statement_summary_recompute(statement_id=statement.pk)


@pytest.fixture
def desk(reviewer, other_reviewer, third_reviewer):
    now = timezone.now()
    unassigned = StatementFactory(text="Unassigned claim about taxes.", score=0.9)
    not_checkable = StatementFactory(
        text="An opinion nobody can check.", score=0.95, checkability=Statement.Checkability.NOT_CHECKABLE
    )
    overdue = StatementFactory(text="Overdue claim about bridges.", score=0.7)
    AssignmentFactory(statement=overdue, reviewer=reviewer, due_at=now - timedelta(hours=3))
    due_later = StatementFactory(text="Claim due next week.", score=0.6)
    AssignmentFactory(statement=due_later, reviewer=other_reviewer, due_at=now + timedelta(days=7))
    disputed = StatementFactory(text="Disputed claim about schools.", score=0.5)
    _rated(disputed, ["true", "false"], [reviewer, other_reviewer])
    settled = StatementFactory(text="Settled claim about parks.", score=0.4)
    _rated(settled, ["true", "true"], [reviewer, third_reviewer])
    failed = ImportJob.objects.create(label="broken feed", status=ImportJob.Status.FAILED, failed=3, processed=3)
    ImportJob.objects.create(label="fine", status=ImportJob.Status.DONE)
    return {
        "unassigned": unassigned,
        "not_checkable": not_checkable,
        "overdue": overdue,
        "due_later": due_later,
        "disputed": disputed,
        "settled": settled,
        "failed_job": failed,
    }


def _sections(board) -> dict[str, set]:
    return {
        "unassigned": {s.pk for s in board.unassigned.rows},
        "due": {a.statement_id for a in board.due.rows},
        "disputed": {s.pk for s in board.disputed.rows},
        "ready": {summary.article_id for summary in board.ready.rows},
        "failed_imports": {job.pk for job in board.failed_imports.rows},
    }


def test_each_statement_is_in_exactly_the_sections_it_belongs_to(desk):
    sections = _sections(triage_board())
    assert sections == {
        "unassigned": {desk["unassigned"].pk},
        "due": {desk["overdue"].pk},
        "disputed": {desk["disputed"].pk},
        "ready": {desk["settled"].article_id},
        "failed_imports": {desk["failed_job"].pk},
    }


def test_an_article_leaves_ready_to_publish_when_its_report_is_published_and_returns_when_withdrawn(desk, editor):
    article = desk["settled"].article
    report = report_publish(article=article, editor=editor, headline="Parks: true", claims=prefilled_claims(article))
    assert article.pk not in _sections(triage_board())["ready"]
    assert ArticleSummary.objects.get(article=article).state == "published"
    report_withdraw(report=report, editor=editor)
    assert article.pk in _sections(triage_board())["ready"]


def test_an_article_with_one_unsettled_statement_is_not_ready(desk):
    StatementFactory(article=desk["settled"].article, text="Another claim in the same article.")
    statement_summary_recompute(statement_id=desk["settled"].pk)
    assert desk["settled"].article_id not in _sections(triage_board())["ready"]


def test_full_recompute_gives_each_article_the_same_state(desk, editor):
    article = desk["settled"].article
    report_publish(article=article, editor=editor, headline="Parks", claims=prefilled_claims(article))
    before = dict(ArticleSummary.objects.values_list("article_id", "state"))
    ArticleSummary.objects.update(state="new")
    summaries_recompute_all()
    after = dict(ArticleSummary.objects.values_list("article_id", "state"))
    assert {pk: after[pk] for pk in before} == before
    assert {state for pk, state in after.items() if pk not in before} == {"new"}  # never rated: new
    assert set(before.values()) >= {"published", "disputed"}


@pytest.mark.parametrize(
    ("counts", "published", "state"),
    [
        ((3, 0, 0, 0), False, "new"),
        ((3, 1, 0, 0), False, "in_review"),
        ((3, 2, 1, 0), False, "in_review"),
        ((3, 3, 2, 1), False, "disputed"),
        ((3, 3, 3, 0), False, "settled"),
        ((0, 0, 0, 0), False, "new"),
        ((3, 3, 3, 0), True, "published"),
    ],
)
def test_article_state_rule(counts, published, state):
    statements, rated, settled, disputed = counts
    assert (
        article_state(statement_count=statements, rated=rated, settled=settled, disputed=disputed, published=published)
        == state
    )


def test_the_board_page_shows_each_section_with_a_link_to_its_list(desk, editor_client):
    response = editor_client.get(reverse("reviews:triage"))
    assert response.status_code == 200
    html = response.content.decode()

    def section(name):
        return re.search(rf'<section[^>]*id="triage-{name}".*?</section>', html, re.S).group(0)

    assert "Unassigned claim about taxes." in section("unassigned")
    assert "An opinion nobody can check." not in html
    assert "Overdue claim about bridges." in section("due") and "overdue" in section("due")
    assert "Claim due next week." not in html
    assert "Disputed claim about schools." in section("disputed")
    assert desk["settled"].article.title in section("ready")
    assert "broken feed" in section("imports")
    assert "?state=new&amp;checkable=on&amp;sort=score" in section("unassigned")
    assert "?state=disputed" in section("disputed")
    assert "?state=settled" in section("ready")


def test_editors_land_on_the_board(editor_client):
    assert editor_client.get("/").url == reverse("reviews:triage")


def test_every_section_link_opens_a_list_holding_that_sections_rows(desk, editor_client):
    html = editor_client.get(reverse("reviews:triage")).content.decode()
    expected = {
        "?state=new&checkable=on&sort=score": "Unassigned claim about taxes.",
        "?due=soon&sort=score": "Overdue claim about bridges.",
        "?state=disputed": "Disputed claim about schools.",
    }
    for query, text in expected.items():
        assert query.replace("&", "&amp;") in html
        listed = editor_client.get(reverse("reviews:statement_list") + query).content.decode()
        assert text in listed, query
    ready = editor_client.get(reverse("reviews:article_list") + "?state=settled").content.decode()
    assert desk["settled"].article.title in ready


# The lists' filters.


def _listed(client, query: str) -> set[str]:
    response = client.get(reverse("reviews:statement_list") + "?" + query)
    assert response.status_code == 200, response.content.decode()[:500]
    return set(re.findall(r'href="/reviews/statements/(\d+)/"', response.content.decode()))


def _ids(*statements) -> set[str]:
    return {str(s.pk) for s in statements}


def test_statement_list_state_filter(desk, editor_client, editor):
    assert _listed(editor_client, "state=new") == _ids(desk["unassigned"], desk["not_checkable"])
    assert _listed(editor_client, "state=in_review") == _ids(desk["overdue"], desk["due_later"])
    assert _listed(editor_client, "state=disputed") == _ids(desk["disputed"])
    assert _listed(editor_client, "state=settled") == _ids(desk["settled"])
    assert _listed(editor_client, "state=published") == set()
    article = desk["settled"].article
    report_publish(article=article, editor=editor, headline="Parks", claims=prefilled_claims(article))
    assert _listed(editor_client, "state=published") == _ids(desk["settled"])
    assert _listed(editor_client, "state=settled") == set()


def test_statement_list_score_checkable_and_text_filters(desk, editor_client):
    assert _listed(editor_client, "score_min=0.65&score_max=0.92") == _ids(desk["unassigned"], desk["overdue"])
    assert _listed(editor_client, "state=new&checkable=on") == _ids(desk["unassigned"])
    assert _listed(editor_client, "q=bridges") == _ids(desk["overdue"])


def test_statement_list_source_feed_and_date_filters(desk, editor_client):
    Article.objects.filter(pk=desk["disputed"].article_id).update(site_name="Daily Planet")
    assert _listed(editor_client, "site=Daily+Planet") == _ids(desk["disputed"])
    feed = Feed.objects.create(url="https://planet.example.org/feed.xml", title="Planet")
    job = ImportJob.objects.create(label="feed", status=ImportJob.Status.DONE)
    source = ImportSource.objects.create(job=job, position=0, kind="url", name="feed")
    ImportItem.objects.create(job=job, source=source, position=0, name="x", raw=b"x", article=desk["overdue"].article)
    FeedEntry.objects.create(feed=feed, guid="g", link="https://planet.example.org/1", job=job)
    assert _listed(editor_client, f"feed={feed.pk}") == _ids(desk["overdue"])
    old = timezone.now() - timedelta(days=40)
    Article.objects.filter(pk=desk["unassigned"].article_id).update(created_at=old)
    day = old.date().isoformat()
    assert _listed(editor_client, f"date_from={day}&date_to={day}") == _ids(desk["unassigned"])
    assert desk["unassigned"].pk not in {int(i) for i in _listed(editor_client, f"date_from={timezone.now().date()}")}


def test_statement_list_reviewer_and_deadline_filters(desk, editor_client, reviewer, other_reviewer):
    assert _listed(editor_client, f"reviewer={other_reviewer.pk}") == _ids(desk["due_later"], desk["disputed"])
    assert _listed(editor_client, "due=overdue") == _ids(desk["overdue"])
    assert _listed(editor_client, f"due=soon&reviewer={other_reviewer.pk}") == set()


def test_filters_combine(desk, editor_client, reviewer):
    assert _listed(editor_client, f"reviewer={reviewer.pk}&state=disputed") == _ids(desk["disputed"])
    assert _listed(editor_client, f"reviewer={reviewer.pk}&state=disputed&score_min=0.6") == set()
    assert _listed(editor_client, f"reviewer={reviewer.pk}&q=schools") == _ids(desk["disputed"])


def test_article_list_filters(desk, editor_client, reviewer, other_reviewer):
    def listed(query):
        response = editor_client.get(reverse("reviews:article_list") + "?" + query)
        assert response.status_code == 200
        return set(re.findall(r'href="/articles/(\d+)/"', response.content.decode()))

    def ids(*keys):
        return {str(desk[key].article_id) for key in keys}

    everything = ids("unassigned", "not_checkable", "overdue", "due_later", "disputed", "settled")
    assert listed("") == everything
    assert listed("state=new") == ids("unassigned", "not_checkable", "overdue", "due_later")
    assert listed("state=disputed") == ids("disputed")
    assert listed("state=settled") == ids("settled")
    assert listed("score_min=0.85") == ids("unassigned", "not_checkable")
    assert listed("score_min=0.85&checkable=on") == ids("unassigned")
    assert listed(f"reviewer={other_reviewer.pk}") == ids("due_later", "disputed")
    assert listed(f"reviewer={reviewer.pk}&state=disputed") == ids("disputed")
    Article.objects.filter(pk=desk["settled"].article_id).update(site_name="Courier", title="Parks spending review")
    assert listed("site=Courier") == ids("settled")
    assert listed("q=parks") == ids("settled")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("score_min=lots", "Enter a number"),
        ("score_min=0.9&score_max=0.1", "must not be below the lowest"),
        ("score_max=7", "less than or equal to 1"),
        ("date_from=2026-05-02&date_to=2026-05-01", "end date is before the start date"),
        ("date_from=yesterday", "Enter a valid date"),
        ("state=lost", "Select a valid choice"),
        ("reviewer=99999999", "Select a valid choice"),
        ("feed=abc", "Select a valid choice"),
        ("q=the+of", "too common"),
    ],
)
@pytest.mark.parametrize("url", ["reviews:statement_list", "reviews:article_list"])
def test_an_invalid_filter_says_what_is_wrong_and_lists_nothing(editor_client, url, query, message):
    response = editor_client.get(reverse(url) + "?" + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="filter-errors"' in html and message in html


# Pages and query counts on ten times a page.

PAGE = 25


@pytest.fixture
def many(reviewer, other_reviewer):
    """Ten pages of new statements (one per article) on the same source, each assigned to the reviewer and
    due tomorrow, plus ten pages that match nothing of the combined filter."""
    tomorrow = timezone.now() + timedelta(hours=12)
    articles = Article.objects.bulk_create(
        [
            Article(title=f"Story {i}", body="b", content_hash=f"m{i}", statement_count=1, site_name="Wire")
            for i in range(PAGE * 20)
        ]
    )
    statements = Statement.objects.bulk_create(
        [
            Statement(article=a, position=0, start=0, end=1, text=f"Claim {i} on budgets.", score=(i % 97) / 100)
            for i, a in enumerate(articles)
        ]
    )
    Assignment.objects.bulk_create(
        [Assignment(statement=s, reviewer=reviewer, due_at=tomorrow) for s in statements[: PAGE * 10]]
        + [Assignment(statement=s, reviewer=other_reviewer) for s in statements[PAGE * 10 :]]
    )
    Statement.objects.update(review_status="assigned")
    for i in range(8):
        UserFactory(username=f"extra{i}")
    return statements[: PAGE * 10]


@pytest.mark.parametrize("sort", ["score", "newest"])
def test_filtered_statement_pages_keep_their_filters_and_cost_the_same(many, editor_client, reviewer, sort):
    query = f"state=in_review&reviewer={reviewer.pk}&site=Wire&due=soon&score_min=0&q=budgets&sort={sort}"
    url = reverse("reviews:statement_list") + "?" + query
    seen, costs = [], []
    while url:
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(url)
        assert response.status_code == 200
        costs.append(len(queries))
        html = response.content.decode()
        seen += re.findall(r'href="/reviews/statements/(\d+)/"', html)
        following = re.search(r'href="\?([^"]*after=[^"]+)">Next', html)
        url = reverse("reviews:statement_list") + "?" + following.group(1).replace("&amp;", "&") if following else ""
        if url:
            assert f"reviewer={reviewer.pk}" in url and "q=budgets" in url
    assert sorted(map(int, seen)) == sorted(s.pk for s in many)  # every match once, nothing else
    assert len(costs) == 10 and len(set(costs)) == 1 and costs[0] <= 12, costs


def test_filtered_article_pages_cost_the_same(many, editor_client, reviewer):
    url = reverse("reviews:article_list") + f"?site=Wire&reviewer={reviewer.pk}&score_min=0"
    seen, costs = [], []
    while url:
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(url)
        costs.append(len(queries))
        html = response.content.decode()
        seen += re.findall(r'href="/articles/(\d+)/"', html)
        following = re.search(r'href="\?([^"]*after=[^"]+)">Next', html)
        url = reverse("reviews:article_list") + "?" + following.group(1).replace("&amp;", "&") if following else ""
    assert sorted(map(int, seen)) == sorted(s.article_id for s in many)
    assert len(set(costs)) == 1 and costs[0] <= 12, costs


def test_the_board_costs_the_same_on_a_bigger_desk(desk, editor_client, many):
    with CaptureQueriesContext(connection) as queries:
        editor_client.get(reverse("reviews:triage"))
    bigger = len(queries)
    ArticleFactory.create_batch(3)
    Report.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        editor_client.get(reverse("reviews:triage"))
    assert len(queries) == bigger <= 12


@pytest.fixture
def checked_before(desk, editor):
    """An earlier statement settled "mostly false" with a published report, and open suggestions of it on the
    board's unassigned, disputed and overdue statements and on a settled one; a rejected pair besides."""
    earlier = StatementFactory(text="Taxes rose by a third last year, the mayor said.")
    statement_settle(statement=earlier, editor=editor, verdict="mostly_false")
    claims = prefilled_claims(earlier.article, **{f"s{earlier.pk}": {"explanation": "They rose by a tenth."}})
    report = report_publish(article=earlier.article, editor=editor, headline="Taxes: mostly false", claims=claims)
    other = StatementFactory(text="Bridges cost twice as much as planned.")
    statement_settle(statement=other, editor=editor, verdict="true")
    matches = {
        name: ClaimMatch.objects.create(statement=desk[name], earlier=earlier, score=score, method="default")
        for name, score in [("unassigned", 0.86), ("disputed", 0.7), ("overdue", 0.6), ("settled", 0.9)]
    }
    ClaimMatch.objects.create(
        statement=desk["unassigned"], earlier=other, score=0.95, method="default", status="rejected"
    )
    ClaimMatch.objects.create(statement=desk["disputed"], earlier=other, score=0.65, method="default")
    return {"earlier": earlier, "report": report, "matches": matches}


def test_the_board_says_which_statements_were_already_checked(desk, checked_before):
    board = triage_board()
    # The section: open statements with an open suggestion, closest first; a settled statement's is left out.
    assert [s.pk for s in board.already_checked.rows] == [
        desk["unassigned"].pk,
        desk["disputed"].pk,
        desk["overdue"].pk,
    ]
    assert [(s.open_match.score, s.open_match_count) for s in board.already_checked.rows] == [
        (0.86, 1),
        (0.7, 2),
        (0.6, 1),
    ]
    # The other sections' statements carry their best open suggestion (a rejected pair is none).
    (unassigned,) = board.unassigned.rows
    (disputed,) = board.disputed.rows
    (due,) = board.due.rows
    assert unassigned.open_match == checked_before["matches"]["unassigned"]
    assert disputed.open_match == checked_before["matches"]["disputed"] and disputed.open_match_count == 2
    assert due.statement.open_match.earlier.summary.final_verdict == "mostly_false"


def test_the_board_page_shows_already_checked_with_verdict_report_and_earlier_statement(
    desk, checked_before, editor_client
):
    html = editor_client.get(reverse("reviews:triage")).content.decode()

    def section(name):
        return re.search(rf'<section[^>]*id="triage-{name}".*?</section>', html, re.S).group(0)

    earlier, report = checked_before["earlier"], checked_before["report"]
    unassigned = section("unassigned")
    assert "Already checked:" in unassigned and "Mostly false" in unassigned and "similarity 0.86" in unassigned
    assert reverse("reviews:report_detail", args=[report.pk]) in unassigned and "Taxes: mostly false" in unassigned
    assert reverse("reviews:statement_review", args=[earlier.pk]) in unassigned
    assert reverse("reviews:statement_review", args=[desk["unassigned"].pk]) + "#earlier-checks" in unassigned
    assert "similarity 0.70" in section("disputed") and "(1 more)" in section("disputed")
    assert "similarity 0.60" in section("due")
    listed = section("already-checked")
    assert listed.count("Same claim<") == 3 and listed.count("Not the same<") == 3
    assert "Settled claim about parks." not in listed


def test_an_editor_decides_a_match_from_the_board_and_returns_to_it(desk, checked_before, editor_client, editor):
    match = checked_before["matches"]["unassigned"]
    back = reverse("reviews:triage") + "#triage-already-checked"
    response = editor_client.post(
        reverse("reviews:claim_match_decide", args=[match.pk]), {"decision": "reject", "next": back}
    )
    assert response.status_code == 302 and response.url == back
    match.refresh_from_db()
    assert (match.status, match.decided_by) == ("rejected", editor)
    assert desk["unassigned"].pk not in {s.pk for s in triage_board().already_checked.rows}
    # Somewhere else than this site is no place to return to.
    other = checked_before["matches"]["disputed"]
    response = editor_client.post(
        reverse("reviews:claim_match_decide", args=[other.pk]), {"decision": "confirm", "next": "https://evil.example/"}
    )
    assert response.url == reverse("reviews:statement_review", args=[desk["disputed"].pk])


def test_the_already_checked_section_holds_eight_statements_and_says_there_are_more(desk, checked_before):
    earlier = checked_before["earlier"]
    for i in range(10):
        ClaimMatch.objects.create(
            statement=StatementFactory(text=f"Taxes claim {i}."), earlier=earlier, score=0.5 - i / 100, method="x"
        )
    section = triage_board().already_checked
    assert len(section.rows) == 8 and section.more
    assert [s.open_match.score for s in section.rows] == sorted(
        (s.open_match.score for s in section.rows), reverse=True
    )


def test_the_boards_already_checked_lines_cost_no_query_per_suggestion(
    desk, editor_client, many, checked_before, editor
):
    with CaptureQueriesContext(connection) as queries:
        editor_client.get(reverse("reviews:triage"))
    few = len(queries)
    # Every statement the board shows (the due ones are the bigger desk's) gets three suggestions.
    extra = [StatementFactory(text=f"Earlier {i}.") for i in range(3)]
    for e in extra:
        statement_settle(statement=e, editor=editor, verdict="false")
    rows = [ClaimMatch(statement=s, earlier=e, score=0.5, method="x") for s in many[:40] for e in extra]
    ClaimMatch.objects.bulk_create(rows)
    with CaptureQueriesContext(connection) as queries:
        html = editor_client.get(reverse("reviews:triage")).content.decode()
    assert html.count("Already checked:") > 8
    assert len(queries) == few <= 12, [q["sql"][:80] for q in queries.captured_queries]
    # Past the first rows of the index (many tied scores), the section is still the best eight statements.
    ranked = sorted(
        ClaimMatch.objects.filter(status="suggested").exclude(statement__review_status="settled"),
        key=lambda m: (-m.score, -m.pk),
    )
    section = triage_board().already_checked
    assert [s.pk for s in section.rows] == list(dict.fromkeys(m.statement_id for m in ranked))[:8]
    assert section.more


def test_the_overview_shows_the_ten_latest_disputes_and_links_to_all_of_them(editor_client):
    statements = [StatementFactory(text=f"Disputed claim number {i}.") for i in range(12)]
    for statement in statements:
        StatementSummary.objects.create(statement=statement, consensus="disputed", rating_count=2)
        ArticleSummary.objects.update_or_create(article=statement.article, defaults={"disputed_count": 1})
    html = editor_client.get(reverse("reviews:overview")).content.decode()
    assert html.count("Disputed claim number") == 10
    assert "All 12 disputed statements" in html and "?state=disputed" in html


def test_the_overview_counts_add_up_the_maintained_counters_in_one_query(reviewer, other_reviewer):
    from reviews.models import ReviewerLoad
    from reviews.selectors.desk import desk_counts

    assert desk_counts() == dict.fromkeys(
        ("open_assignments", "done_assignments", "statements", "settled", "disputed"), 0
    )
    first, second = ArticleFactory(statement_count=7), ArticleFactory(statement_count=5)
    ArticleSummary.objects.create(article=first, settled_count=3, disputed_count=1)
    ArticleSummary.objects.create(article=second, settled_count=2, disputed_count=0)
    ReviewerLoad.objects.update_or_create(reviewer=reviewer, defaults={"open_count": 4, "done_count": 6})
    ReviewerLoad.objects.update_or_create(reviewer=other_reviewer, defaults={"open_count": 1, "done_count": 2})
    with CaptureQueriesContext(connection) as queries:
        counts = desk_counts()
    assert len(queries) == 1
    assert counts == {"open_assignments": 5, "done_assignments": 8, "statements": 12, "settled": 5, "disputed": 1}
