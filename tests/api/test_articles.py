"""Articles and statements through the API: filters, cursor pagination, details with scores, reasons, summary
and consensus, settling, scoring sentences; each list runs a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from articles.models import Article, Statement
from reviews.models import StatementSummary
from reviews.services.summaries import statement_summary_recompute
from tests.factories import ArticleFactory, AssignmentFactory, RatingFactory, StatementFactory

pytestmark = pytest.mark.django_db


def disputed(statement, reviewers):
    for reviewer, verdict in zip(reviewers, ["true", "pants_on_fire"], strict=True):
        AssignmentFactory(statement=statement, reviewer=reviewer)
        RatingFactory(statement=statement, reviewer=reviewer, verdict=verdict)
    statement_summary_recompute(statement_id=statement.pk)


@pytest.fixture
def desk(reviewer, other_reviewer):
    gazette = ArticleFactory(title="Harbour plans", site_name="Local Gazette", published=datetime.date(2026, 3, 1))
    herald = ArticleFactory(title="Budget row", site_name="City Herald", published=datetime.date(2026, 5, 1))
    low = StatementFactory(article=gazette, text="Residents were divided.", score=0.1)
    high = StatementFactory(article=gazette, text="The pier cost $48 million.", score=0.9)
    budget = StatementFactory(article=herald, text="The budget grew by 12 percent.", score=0.7)
    disputed(budget, [reviewer, other_reviewer])
    return {"gazette": gazette, "herald": herald, "low": low, "high": high, "budget": budget}


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_statements_filter_by_text_status_consensus_score_site_and_dates(editor_api, desk):
    url = reverse("api:statement-list")
    assert ids(editor_api.get(url, {"q": "PIER"})) == [desk["high"].pk]
    assert ids(editor_api.get(url, {"consensus": "disputed"})) == [desk["budget"].pk]
    assert ids(editor_api.get(url, {"review_status": ["disputed", "new"]})) == [
        desk["budget"].pk, desk["high"].pk, desk["low"].pk,
    ]  # fmt: skip
    assert ids(editor_api.get(url, {"review_status": "new"})) == [desk["high"].pk, desk["low"].pk]
    assert ids(editor_api.get(url, {"score_min": 0.5, "score_max": 0.8})) == [desk["budget"].pk]
    assert ids(editor_api.get(url, {"site": "gazette"})) == [desk["high"].pk, desk["low"].pk]
    assert ids(editor_api.get(url, {"published_after": "2026-04-01"})) == [desk["budget"].pk]
    assert ids(editor_api.get(url, {"published_before": "2026-03-01"})) == [desk["high"].pk, desk["low"].pk]
    assert ids(editor_api.get(url, {"article": desk["herald"].pk})) == [desk["budget"].pk]
    today = datetime.date.today().isoformat()
    assert len(ids(editor_api.get(url, {"imported_after": today, "imported_before": today}))) == 3
    assert ids(editor_api.get(url, {"imported_before": "2000-01-01"})) == []


def test_statement_list_pages_with_a_cursor(editor_api, desk):
    url = reverse("api:statement-list")
    first = editor_api.get(url, {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"] and first["previous"] is None
    second = editor_api.get(first["next"]).json()
    assert [r["id"] for r in second["results"]] == [desk["low"].pk]
    assert second["next"] is None


def test_a_statement_shows_its_scores_reasons_summary_consensus_and_ratings(editor_api, desk):
    budget = desk["budget"]
    Statement.objects.filter(pk=budget.pk).update(score_reasons=["states a number"], scored_by="rules-v1")
    body = editor_api.get(reverse("api:statement-detail", args=[budget.pk])).json()
    assert body["score"] == 0.7 and body["score_reasons"] == ["states a number"] and body["scored_by"] == "rules-v1"
    assert body["summary"]["consensus"] == "disputed" and body["summary"]["settled"] is False
    assert {r["verdict"] for r in body["ratings"]} == {"true", "pants_on_fire"}
    assert {a["reviewer"]["username"] for a in body["assignments"]} == {"rev_a", "rev_b"}
    assert body["article"]["title"] == "Budget row"


def test_articles_filter_and_show_their_statements_with_summaries(editor_api, desk):
    url = reverse("api:article-list")
    assert ids(editor_api.get(url, {"q": "harbour"})) == [desk["gazette"].pk]
    assert ids(editor_api.get(url, {"site": "herald"})) == [desk["herald"].pk]
    assert ids(editor_api.get(url, {"published_after": "2026-04-01"})) == [desk["herald"].pk]
    assert ids(editor_api.get(url, {"has_report": True})) == []
    row = editor_api.get(url, {"site": "herald"}).json()["results"][0]
    assert row["statement_count"] == 1 and row["summary"]["disputed_count"] == 1 and row["report"] is None
    detail = editor_api.get(reverse("api:article-detail", args=[desk["gazette"].pk]), {"order": "score"}).json()
    assert [s["id"] for s in detail["statements"]] == [desk["high"].pk, desk["low"].pk]
    assert detail["body"].startswith("The council")


def test_an_editor_settles_a_disputed_statement(editor_api, desk, editor):
    budget = desk["budget"]
    response = editor_api.post(
        reverse("api:statement-settle", args=[budget.pk]), {"verdict": "half_true", "note": "Both half right."}
    )
    assert response.status_code == 200
    assert response.json()["final_verdict"] == "half_true" and response.json()["settled"] is True
    summary = StatementSummary.objects.get(statement=budget)
    assert summary.settled_by == editor
    assert Statement.objects.get(pk=budget.pk).review_status == Statement.ReviewStatus.SETTLED
    bad = editor_api.post(reverse("api:statement-settle", args=[budget.pk]), {"verdict": "maybe"})
    assert bad.status_code == 400 and bad.json()["errors"]["verdict"][0]["code"] == "invalid_choice"


def test_score_sentences_with_the_active_model(editor_api):
    response = editor_api.post(
        reverse("api:score"),
        {"texts": ["The council spent $48 million on the bridge in 2023.", "What a lovely day!"]},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["model"] == "rules-v2"
    first, second = body["scores"]
    assert first["text"].startswith("The council") and 0 <= second["score"] < first["score"] <= 1
    assert first["reasons"]
    assert not Article.objects.exists()  # nothing stored


@pytest.mark.parametrize("n", [2, 20])
def test_statement_list_query_count_is_fixed(editor_api, n, reviewer, django_assert_max_num_queries):
    article = ArticleFactory()
    for i in range(n):
        statement = StatementFactory(article=article, position=i)
        RatingFactory(statement=statement, reviewer=reviewer)
        statement_summary_recompute(statement_id=statement.pk)
    # the token, its last use, the member's permissions (two), the page
    with django_assert_max_num_queries(5):
        response = editor_api.get(reverse("api:statement-list"))
    assert len(response.json()["results"]) == n


@pytest.mark.parametrize("n", [2, 20])
def test_article_list_and_detail_query_counts_are_fixed(editor_api, n, reviewer, django_assert_max_num_queries):
    article = None
    for i in range(n):
        article = ArticleFactory()
        for position in range(3):
            statement = StatementFactory(article=article, position=position + 10 * i)
            AssignmentFactory(statement=statement, reviewer=reviewer)
    with django_assert_max_num_queries(5):
        assert len(editor_api.get(reverse("api:article-list")).json()["results"]) == n
    with django_assert_max_num_queries(8):
        assert len(editor_api.get(reverse("api:article-detail", args=[article.pk])).json()["statements"]) == 3
