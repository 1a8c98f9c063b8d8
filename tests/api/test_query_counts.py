"""API lists run a fixed number of queries however many rows they show (besides test_articles.py's)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import ImportJob
from reviews.models import Assignment, Report
from tests.factories import ArticleFactory, AssignmentFactory, RatingFactory

pytestmark = pytest.mark.django_db
# Every token request: the token, its last use, the member's permissions (two queries).
AUTH = 4


@pytest.mark.parametrize("n", [2, 20])
def test_queue_and_ratings_query_counts_are_fixed(reviewer_api, reviewer, n, django_assert_max_num_queries):
    for _ in range(n):
        AssignmentFactory(reviewer=reviewer)
        done = AssignmentFactory(reviewer=reviewer, status=Assignment.Status.DONE)
        RatingFactory(statement=done.statement, reviewer=reviewer)
    with django_assert_max_num_queries(AUTH + 1):
        assert len(reviewer_api.get(reverse("api:queue")).json()["results"]) == 2 * n
    with django_assert_max_num_queries(AUTH + 2):  # the ratings, their evidence
        assert len(reviewer_api.get(reverse("api:rating-list")).json()["results"]) == n


@pytest.mark.parametrize("n", [2, 20])
def test_public_report_list_query_count_is_fixed(anon_api, n, django_assert_max_num_queries):
    now = timezone.now()
    for i in range(n):
        Report.objects.create(
            article=ArticleFactory(), status=Report.Status.PUBLISHED, headline=f"Check {i}", published_at=now,
            first_published_at=now,
        )  # fmt: skip
    with django_assert_max_num_queries(1):
        assert len(anon_api.get(reverse("api:report-list")).json()["results"]) == n


@pytest.mark.parametrize("n", [2, 20])
def test_import_list_query_count_is_fixed(admin_api, admin_user, n, django_assert_max_num_queries):
    for _ in range(n):
        ImportJob.objects.create(created_by=admin_user, label="x")
    with django_assert_max_num_queries(AUTH + 1):
        assert len(admin_api.get(reverse("api:import-list")).json()["results"]) == n
