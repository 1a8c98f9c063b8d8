"""Pages run a fixed number of queries however much data there is."""

import pytest
from django.urls import reverse

from reviews.models import Assignment
from tests.factories import ArticleFactory, AssignmentFactory, RatingFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.django_db


def fill_queue(reviewer, n):
    for _ in range(n):
        AssignmentFactory(reviewer=reviewer)
        AssignmentFactory(reviewer=reviewer, status=Assignment.Status.DONE)


@pytest.mark.parametrize("n", [2, 20])
def test_reviewer_queue_query_count_is_fixed(reviewer_client, reviewer, n, django_assert_max_num_queries):
    fill_queue(reviewer, n)
    with django_assert_max_num_queries(10):
        response = reviewer_client.get(reverse("reviews:queue"))
    assert response.status_code == 200
    assert response.content.count(b'class="list-group-item list-group-item-action') == 2 * n


@pytest.mark.parametrize("n", [2, 30])
def test_article_page_query_count_is_fixed(editor_client, n, django_assert_max_num_queries):
    article = ArticleFactory()
    reviewers = [UserFactory() for _ in range(3)]
    for i in range(n):
        statement = StatementFactory(article=article, position=i)
        for r in reviewers[:2]:
            AssignmentFactory(statement=statement, reviewer=r)
        RatingFactory(statement=statement, reviewer=reviewers[0])
    with django_assert_max_num_queries(12):
        response = editor_client.get(reverse("reviews:article_detail", args=[article.pk]))
    assert response.status_code == 200
    assert response.content.count(b'name="statements"') == n


@pytest.mark.parametrize("n", [2, 20])
def test_editor_overview_query_count_is_fixed(editor_client, n, django_assert_max_num_queries, reviewer):
    fill_queue(reviewer, n)
    with django_assert_max_num_queries(12):
        assert editor_client.get(reverse("reviews:overview")).status_code == 200
