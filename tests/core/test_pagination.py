"""Keyset pagination: pages walk every row once, in order, at the same cost at any depth."""

import pytest
from django.urls import reverse

from factcheck.core.pagination import keyset_page
from reviews.models import Assignment
from tests.factories import AssignmentFactory, StatementFactory

pytestmark = pytest.mark.django_db


def test_pages_walk_every_row_once_in_order_with_ties_and_mixed_directions(reviewer):
    for i in range(23):
        AssignmentFactory(statement=StatementFactory(score=[0.9, 0.5, 0.5, 0.1][i % 4]), reviewer=reviewer)
    rows = Assignment.objects.filter(reviewer=reviewer)
    order = ("-score", "created_at", "pk")
    expected = list(rows.order_by(*order).values_list("pk", flat=True))
    seen, cursor, pages = [], "", 0
    while True:
        page = keyset_page(rows, order=order, cursor=cursor, size=5)
        seen += [a.pk for a in page]
        pages += 1
        if not page.has_next:
            break
        cursor = page.next_cursor
    assert seen == expected and pages == 5


def test_a_tampered_cursor_gives_the_first_page(reviewer):
    for _ in range(3):
        AssignmentFactory(reviewer=reviewer)
    rows = Assignment.objects.filter(reviewer=reviewer)
    first = keyset_page(rows, order=("-pk",), size=2)
    forged = first.next_cursor[:-3] + "abc"
    again = keyset_page(rows, order=("-pk",), cursor=forged, size=2)
    assert [a.pk for a in again] == [a.pk for a in first] and again.is_first


@pytest.mark.parametrize("depth", [0, 3])
def test_a_deep_queue_page_costs_what_the_first_costs(reviewer, reviewer_client, depth, django_assert_max_num_queries):
    for _ in range(110):
        AssignmentFactory(reviewer=reviewer)
    url = reverse("reviews:queue")
    cursor = ""
    for _ in range(depth):
        html = reviewer_client.get(url + (f"?after={cursor}" if cursor else "")).content.decode()
        cursor = html.split("after=")[1].split('"')[0]
    from urllib.parse import unquote

    with django_assert_max_num_queries(10):
        response = reviewer_client.get(url + (f"?after={unquote(cursor)}" if cursor else ""))
    assert response.status_code == 200
    assert response.content.decode().count('href="/reviews/assignments/') == 25
    assert ">110<" in response.content.decode()  # the open count, maintained


def test_a_page_after_a_cursor_bounds_the_first_order_field_so_the_index_scan_starts_there(reviewer):
    for _ in range(4):
        AssignmentFactory(reviewer=reviewer)
    rows = Assignment.objects.filter(reviewer=reviewer)
    first = keyset_page(rows, order=("due_at", "-score", "pk"), size=2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        keyset_page(rows, order=("due_at", "-score", "pk"), cursor=first.next_cursor, size=2)
    assert '"reviews_assignment"."due_at" >= ' in queries[0]["sql"]
