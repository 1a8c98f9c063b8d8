"""Migration reviews 0019 gives every existing article summary the review state the summaries would give it."""

import pytest

from tests.migrating import migrate_to, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("reviews", "0018_deadlines_capacity_batches")]
AFTER = [("reviews", "0019_triage_article_state")]


@pytest.fixture
def old_schema():
    apps = migrate_to(BEFORE)
    yield apps
    migrate_to_latest()


def test_existing_summaries_get_their_state(old_schema):
    Article = old_schema.get_model("articles", "Article")
    ArticleSummary = old_schema.get_model("reviews", "ArticleSummary")
    Report = old_schema.get_model("reviews", "Report")
    counts = {  # title: (statement count, rated, settled, disputed, published)
        "new": (3, 0, 0, 0, False),
        "in review": (3, 2, 1, 0, False),
        "disputed": (3, 3, 1, 1, False),
        "settled": (2, 2, 2, 0, False),
        "published": (2, 2, 2, 0, True),
    }
    for title, (statements, rated, settled, disputed, published) in counts.items():
        article = Article.objects.create(title=title, body="b", content_hash=title, statement_count=statements)
        ArticleSummary.objects.create(
            article=article, rated_count=rated, settled_count=settled, disputed_count=disputed
        )
        if published:
            Report.objects.create(
                article=article, status="published", headline=title, published_at="2026-11-01T00:00Z",
                first_published_at="2026-11-01T00:00Z",
            )  # fmt: skip

    new = migrate_to(AFTER)
    states = dict(new.get_model("reviews", "ArticleSummary").objects.values_list("article__title", "state"))
    assert states == {
        "new": "new",
        "in review": "in_review",
        "disputed": "disputed",
        "settled": "settled",
        "published": "published",
    }
