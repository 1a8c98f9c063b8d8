"""Pages run a fixed number of queries however much data there is."""

import pytest
from django.urls import reverse

from reviews.models import Assignment
from tests.factories import ArticleFactory, AssignmentFactory, RatingFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.django_db

# Session, user, two permission reads, the navbar's unread count, the assignment, one's own rating and its
# evidence, whether one has rated, colleagues' ratings and their evidence, the blind-review mark, and the
# previous and next items in the queue (one query).
RATING_PAGE_QUERIES = 13


def fill_queue(reviewer, n):
    for _ in range(n):
        AssignmentFactory(reviewer=reviewer)
        AssignmentFactory(reviewer=reviewer, status=Assignment.Status.DONE)


@pytest.mark.parametrize("n", [2, 20])
def test_reviewer_queue_query_count_is_fixed(reviewer_client, reviewer, n, django_assert_max_num_queries):
    fill_queue(reviewer, n)
    # Session, user, two permission reads, the to-do page, the done page (one's own verdict read in it), the
    # open and done counts, the navbar's unread count.
    with django_assert_max_num_queries(8):
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
    # Session, user, two permission reads, the headline counts (one query), the team figures, the navbar's
    # unread count, the disputes and their ratings, the reviewers' workload.
    with django_assert_max_num_queries(10):
        assert editor_client.get(reverse("reviews:overview")).status_code == 200


@pytest.mark.parametrize("n", [2, 20])
def test_rating_page_query_count_is_fixed(reviewer_client, reviewer, n, django_assert_max_num_queries):
    """The rating page, its neighbours in the queue and colleagues' ratings included, costs the same however long
    the queue is and however many colleagues rated."""
    fill_queue(reviewer, n)
    mine = AssignmentFactory(reviewer=reviewer)
    AssignmentFactory(reviewer=reviewer)  # so the page has a next item as well as a previous one
    RatingFactory(statement=mine.statement, reviewer=reviewer)
    for _ in range(n):
        colleague = UserFactory()
        RatingFactory(statement=mine.statement, reviewer=colleague)
    with django_assert_max_num_queries(RATING_PAGE_QUERIES):
        response = reviewer_client.get(reverse("reviews:assignment_detail", args=[mine.pk]))
    assert response.status_code == 200
    assert response.content.count(b"confidence 4/5") == n
    assert b'rel="next"' in response.content and b'rel="prev"' in response.content


@pytest.mark.parametrize("n", [2, 60])
def test_notifications_list_query_count_is_fixed(reviewer_client, reviewer, n, django_assert_max_num_queries):
    from factcheck.notifications.models import Notice
    from factcheck.notifications.services.notices import Draft, notices_create

    notices_create(
        drafts=[Draft(reviewer.pk, f"k{i}", Notice.Kind.SETTLED, f"claim {i}", Notice.Target.QUEUE) for i in range(n)]
    )
    # Session, user, two permission reads (the navbar's links), the unread count (navbar and page share it),
    # one page of notices.
    with django_assert_max_num_queries(6):
        response = reviewer_client.get(reverse("notifications:list"))
    assert response.status_code == 200
    assert response.content.count(b'data-testid="notice"') == min(n, 25)


def test_the_navbar_count_is_one_query_however_many_notices(reviewer_client, reviewer):
    """The queue page with 500 unread notices costs one query more than with none: the kept count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from factcheck.notifications.models import Notice
    from factcheck.notifications.services.notices import Draft, notices_create

    fill_queue(reviewer, 2)
    with CaptureQueriesContext(connection) as none:
        reviewer_client.get(reverse("reviews:queue"))
    notices_create(
        drafts=[Draft(reviewer.pk, f"k{i}", Notice.Kind.SETTLED, "c", Notice.Target.QUEUE) for i in range(500)]
    )
    with CaptureQueriesContext(connection) as many:
        response = reviewer_client.get(reverse("reviews:queue"))
    assert b"500 unread notifications" in response.content
    assert len(many) == len(none)
    assert sum("notifications_unreadcount" in q["sql"] for q in many.captured_queries) == 1


def test_the_queue_and_the_article_page_leave_the_team_figures_snapshot_unread(
    reviewer_client, editor_client, reviewer
):
    """Each statement's summary carries the team figures' snapshot of its ratings (a JSON list): the lists show
    none of it, nor the article's text, nor the score's reasons in the queue."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fill_queue(reviewer, 3)
    article = Assignment.objects.first().statement.article
    with CaptureQueriesContext(connection) as queue:
        assert reviewer_client.get(reverse("reviews:queue")).status_code == 200
    with CaptureQueriesContext(connection) as article_page:
        assert editor_client.get(reverse("reviews:article_detail", args=[article.pk])).status_code == 200
    statements_read = [q["sql"] for q in (*queue, *article_page) if '"articles_statement"."text"' in q["sql"]]
    assert len(statements_read) == 3  # the queue's two lists, the article page's statements
    assert not any("team_snapshot" in sql for sql in statements_read)
    assert not any("score_reasons" in sql for sql in statements_read[:2])
