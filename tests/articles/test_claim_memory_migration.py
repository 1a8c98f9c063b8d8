"""Migration articles 0010: the statements already there count as looked up, and the settled ones start the memory."""

import pytest

from tests.migrating import migrate_to, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("articles", "0009_article_newest_first_index")]
AFTER = [("articles", "0010_claim_memory")]


@pytest.fixture
def old_schema():
    apps = migrate_to(BEFORE)
    yield apps
    migrate_to_latest()


def test_existing_statements_are_marked_looked_up_and_the_settled_ones_remembered(old_schema):
    Article = old_schema.get_model("articles", "Article")
    Statement = old_schema.get_model("articles", "Statement")
    article = Article.objects.create(title="A", body="One. Two. Three.", content_hash="h-memory")
    statuses = ["settled", "new", "disputed", "settled"]
    rows = [
        Statement.objects.create(article=article, position=i, start=0, end=4, text=f"Claim {i}.", review_status=status)
        for i, status in enumerate(statuses)
    ]

    apps = migrate_to(AFTER)

    migrated = apps.get_model("articles", "Statement").objects.filter(article_id=article.pk)
    assert migrated.filter(matched_at__isnull=True).count() == 0
    remembered = apps.get_model("articles", "RememberedClaim").objects.order_by("pk")
    assert list(remembered.values_list("statement_id", flat=True)) == [rows[0].pk, rows[3].pk]
