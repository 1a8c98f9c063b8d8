"""Full-text search on PostgreSQL: statements and articles get a stored tsvector column that PostgreSQL keeps in
step with the text by itself (a generated column), with a GIN index. The models do not declare the columns (they
exist only on PostgreSQL; SQLite searches with a plain substring match), so Django never writes them:
articles.selectors.search reads them.

The text is cut before it is turned into a vector (a tsvector holds at most 1 MB): a very long article or
statement stays searchable by its beginning, and an insert can never fail because of its length.
On an existing database the migration rewrites both tables once."""

from django.db import migrations

STATEMENT_VECTOR = "to_tsvector('english'::regconfig, left(text, 20000))"
ARTICLE_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, left(title, 2000)), 'A') || "
    "setweight(to_tsvector('english'::regconfig, left(body, 200000)), 'B')"
)

FORWARD = [
    f"ALTER TABLE articles_statement ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({STATEMENT_VECTOR}) STORED",
    "CREATE INDEX statement_search ON articles_statement USING gin (search_vector)",
    f"ALTER TABLE articles_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({ARTICLE_VECTOR}) STORED",
    "CREATE INDEX article_search ON articles_article USING gin (search_vector)",
]
BACKWARD = [
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE articles_statement DROP COLUMN IF EXISTS search_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_job_heartbeat_and_resumed_sources"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
