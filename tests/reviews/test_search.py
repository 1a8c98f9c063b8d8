"""The search page: full-text matches (stemmed, ranked, highlighted and escaped), filters, what each role may
find, and a query count that does not grow with the data."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.selectors import search as text_search
from reviews.models import Report, StatementSummary
from tests.factories import ArticleFactory, AssignmentFactory, RatingFactory, StatementFactory

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming and ranking are PostgreSQL's; SQLite matches substrings"
)


def search(client, **params):
    response = client.get(reverse("reviews:search"), params)
    assert response.status_code == 200
    return response


def found(response) -> list:
    results = response.context["results"]
    return [] if results is None else [item.pk for item in results.items]


@pytest.fixture
def desk():
    health = ArticleFactory(
        title="Health ministry claims", site_name="Daily Planet", published=datetime.date(2026, 3, 1)
    )
    roads = ArticleFactory(title="Roads budget", site_name="The Clarion", published=datetime.date(2026, 9, 1))
    one = StatementFactory(article=health, text="The vaccine was tested on 40,000 volunteers.")
    two = StatementFactory(
        article=health, text="Vaccines cut hospital visits, and vaccines are free, the minister said."
    )
    bridge = StatementFactory(article=roads, text="The bridge cost $48 million, twice the estimate.")
    return {"one": one, "two": two, "bridge": bridge, "health": health, "roads": roads}


@postgres_only
def test_words_match_in_any_form_ranked_with_the_best_match_first(editor_client, desk):
    response = search(editor_client, q="vaccinated", kind="statements")
    # "vaccinated", "vaccine" and "vaccines" share the stem; the statement saying it twice ranks first.
    assert found(response) == [desk["two"].pk, desk["one"].pk]
    html = response.content.decode()
    assert "<mark>Vaccines</mark>" in html and "<mark>vaccines</mark>" in html


@postgres_only
def test_phrases_and_left_out_words_work_as_people_type_them(editor_client, desk):
    assert found(search(editor_client, q='"hospital visits"')) == [desk["two"].pk]
    assert found(search(editor_client, q="vaccine -volunteers")) == [desk["two"].pk]
    assert found(search(editor_client, q="bridge OR volunteers")) == sorted(
        [desk["bridge"].pk, desk["one"].pk], reverse=True
    )


def test_imported_text_is_escaped_in_snippets(editor_client):
    statement = StatementFactory(text='<img src=x onerror="alert(1)"> The vaccine <b>works</b>.')
    response = search(editor_client, q="vaccine")
    assert found(response) == [statement.pk]
    snippet = response.context["results"].items[0].snippet
    html = response.content.decode()
    # PostgreSQL's headline leaves tag-like text out; SQLite quotes the text whole. Either way it is escaped.
    assert "<img" not in html and "<b>works" not in html
    assert ("&lt;img src=x" in html) == ("<img" in snippet)
    assert "<mark>vaccine</mark>" in html or not text_search.full_text()


def test_only_common_words_say_so_instead_of_finding_nothing(editor_client, desk):
    response = search(editor_client, q="the of and")
    if text_search.full_text():
        assert response.context["results"].too_common
        assert "too common" in response.content.decode()
    else:  # a substring match finds "the" everywhere
        assert found(response)


def test_filters_combine_with_the_text(editor_client, desk, editor):
    StatementSummary.objects.create(statement=desk["one"], consensus="false", settled=True, rating_count=2)
    desk["one"].review_status = "settled"
    desk["one"].save(update_fields=["review_status"])
    assert found(search(editor_client, q="vaccine", state="settled")) == [desk["one"].pk]
    assert found(search(editor_client, q="vaccine", verdict="false")) == [desk["one"].pk]
    assert found(search(editor_client, q="vaccine", verdict="true")) == []
    assert found(search(editor_client, q="million", site="clarion")) == [desk["bridge"].pk]
    assert found(search(editor_client, q="million", site="planet")) == []
    assert found(search(editor_client, q="million", date_from="2026-08-01")) == [desk["bridge"].pk]
    assert found(search(editor_client, q="million", date_to="2026-08-01")) == []
    # Published: settled, in an article whose report is public.
    assert found(search(editor_client, q="vaccine", state="published")) == []
    now = timezone.now()
    Report.objects.create(
        article=desk["health"], status="published", headline="Vaccine claims checked", published_at=now,
        first_published_at=now,
    )  # fmt: skip
    assert found(search(editor_client, q="vaccine", state="published")) == [desk["one"].pk]


def test_articles_and_published_reports_are_searched_too(editor_client, desk):
    assert found(search(editor_client, q="budget", kind="articles")) == [desk["roads"].pk]
    now = timezone.now()
    public = Report.objects.create(
        article=desk["roads"], status="published", headline="The bridge overspend", published_at=now,
        first_published_at=now,
    )  # fmt: skip
    Report.objects.create(article=desk["health"], status="draft", headline="Bridge draft")
    assert found(search(editor_client, q="bridge", kind="reports")) == [public.pk]


def test_a_reviewer_finds_only_their_own_statements_and_no_verdicts(reviewer_client, reviewer, other_reviewer, desk):
    mine = AssignmentFactory(statement=desk["one"], reviewer=reviewer)
    AssignmentFactory(statement=desk["two"], reviewer=other_reviewer)
    RatingFactory(statement=desk["one"], reviewer=other_reviewer, verdict="pants_on_fire")
    response = search(reviewer_client, q="vaccine")
    assert found(response) == [desk["one"].pk]
    html = response.content.decode()
    assert reverse("reviews:assignment_detail", args=[mine.pk]) in html
    assert reverse("reviews:statement_review", args=[desk["one"].pk]) not in html
    assert "Pants on fire" not in html
    # No verdict filter to probe colleagues' verdicts with, and no article search.
    assert "verdict" not in response.context["form"].fields
    assert found(search(reviewer_client, q="vaccine", kind="articles")) == []
    assert response.context["form"].fields["kind"].choices == [("statements", "Statements"), ("reports", "Reports")]


def test_the_page_costs_the_same_however_many_statements_match(editor_client, django_assert_max_num_queries):
    article = ArticleFactory()
    StatementFactory.create_batch(120, article=article, text="The vaccine was tested on volunteers.")
    # Session, user, two for permissions, the ranking window, the page's rows, the unread count: the "too
    # common" check runs only when nothing is found.
    with django_assert_max_num_queries(7):
        response = search(editor_client, q="vaccine")
    assert len(found(response)) == 50
    assert "50+" in response.content.decode()


@postgres_only
def test_the_ranking_window_holds_the_newest_matches_not_the_newest_rows(editor_client, monkeypatch):
    """The window is the newest RANK_WINDOW *matching* rows: an older match is found however many newer
    statements and articles do not match (the window's subquery once read the outer row's vector instead)."""
    monkeypatch.setattr(text_search, "RANK_WINDOW", 2)
    monkeypatch.setattr(text_search, "ARTICLE_RANK_WINDOW", 2)
    older = ArticleFactory(title="Harbour dredging", body="The harbour was dredged in May.")
    match = StatementFactory(article=older, text="The harbour was dredged in May.")
    newer = ArticleFactory.create_batch(3, title="Roads budget", body="Nothing about water here.")
    StatementFactory.create_batch(3, article=newer[0], text="The bridge cost twice the estimate.")
    assert found(search(editor_client, q="harbour")) == [match.pk]
    assert found(search(editor_client, q="harbour", kind="articles")) == [older.pk]


def test_without_a_query_the_page_explains_what_it_searches(reviewer_client, editor_client):
    assert "Search statements and reports" in search(reviewer_client).content.decode()
    assert "Search statements, articles and reports" in search(editor_client).content.decode()
