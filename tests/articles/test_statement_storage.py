"""Statements an import stores: inserted in one go (COPY on PostgreSQL) with exactly the values bulk_create
would write, and each article written once, with its statement count."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.importing import ParsedArticle
from articles.models import Article, Statement
from articles.services.storage import statements_insert, store_articles
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TRICKY = [
    'Tabs\tand back\\slashes and a "quote" stay as they are.',
    "Unicode: café, “curly” — and a line\nbreak.",
    "Plain statement with 42 percent.",
]


def _unsaved(article) -> list[Statement]:
    rows = [
        Statement(article=article, position=i, start=10 * i, end=10 * i + len(text), text=text)
        for i, text in enumerate(TRICKY)
    ]
    rows[0].score, rows[0].score_reasons, rows[0].scored_by = 0.25, ['says "so"', "naïve \\ reason"], "rules-v1"
    rows[1].checkability = Statement.Checkability.CANDIDATE_NOT_CHECKABLE
    return rows


def _stored(article) -> list[tuple]:
    names = [f.attname for f in Statement._meta.concrete_fields if f.attname not in {"id", "article_id"}]
    return list(Statement.objects.filter(article=article).order_by("position").values_list(*names))


def test_statements_inserted_hold_what_bulk_create_writes_and_get_their_ids_in_order():
    copied_into, created_into = ArticleFactory(), ArticleFactory()
    copied = _unsaved(copied_into)
    statements_insert(copied)
    Statement.objects.bulk_create(_unsaved(created_into))

    assert _stored(copied_into) == _stored(created_into)
    assert [s.pk for s in copied] == sorted(s.pk for s in copied)
    stored = dict(Statement.objects.filter(article=copied_into).values_list("position", "pk"))
    assert [s.pk for s in copied] == [stored[s.position] for s in copied]
    # Saved objects: a later save updates the row instead of inserting another.
    copied[2].text = "Edited."
    copied[2].save()
    assert Statement.objects.get(pk=copied[2].pk).text == "Edited."


def test_statements_inserted_after_others_take_the_next_ids():
    article = ArticleFactory()
    earlier = Statement.objects.create(article=article, position=0, start=0, end=1, text="First.")
    rows = [Statement(article=article, position=i, start=i, end=i + 1, text="Next.") for i in (1, 2)]
    statements_insert(rows)
    later = Statement.objects.create(article=article, position=3, start=3, end=4, text="Last.")
    assert earlier.pk < rows[0].pk < rows[1].pk < later.pk


def test_a_failed_insert_raises_djangos_errors_as_the_import_expects():
    # The import retries Django's OperationalError (a dropped connection, a cancelled query) and resumes; a
    # driver error passed through unwrapped would fail the job instead. A duplicate shows the mapping.
    article = ArticleFactory()
    statements_insert(_unsaved(article))
    with pytest.raises(IntegrityError), transaction.atomic():
        statements_insert(_unsaved(article))  # the same positions again


def test_an_imported_article_is_written_once_with_its_statement_count():
    body = "The council spent 4 million dollars in 2019.\n\nIt said so. Then it voted again on Tuesday."
    with CaptureQueriesContext(connection) as queries:
        (outcome,) = store_articles([ParsedArticle(title="Council", body=body)])
    article = Article.objects.get(pk=outcome.article_id)
    assert outcome.created
    assert article.statement_count == article.statements.count() == 3
    assert not [q for q in queries if q["sql"].startswith("UPDATE") and Article._meta.db_table in q["sql"]]


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's plans")
def test_statements_by_article_by_review_status_and_by_checkability_still_read_an_index():
    article = ArticleFactory()
    statements_insert(_unsaved(article))
    assert "statement_unique_position" in _plan(Statement.objects.filter(article=article))
    new = Statement.objects.filter(review_status=Statement.ReviewStatus.NEW)
    assert "statement_state_" in _plan(new)
    checkable = Statement.objects.filter(checkability=Statement.Checkability.CHECKABLE).order_by()
    assert "statement_checkability" in _plan(checkable)
