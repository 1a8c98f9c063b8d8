"""Statements lose the indexes that duplicate others, since an import inserts ~50 statements per article and
pays for every index on each: article_id (the unique (article, position) index leads with it), review_status
(statement_state_newest and statement_state_score lead with it) and the two LIKE-only copies PostgreSQL gets for
db_index on a text column (nothing filters statuses with LIKE). Checkability keeps a plain index."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0012_article_statement_count_index'),
    ]

    operations = [
        # Only the index goes: AlterField would also drop and re-add (and so re-check) the foreign key.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='statement',
                    name='article',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='statements', to='articles.article'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "articles_statement_article_id_71cb5180"',
                    'CREATE INDEX "articles_statement_article_id_71cb5180" ON "articles_statement" ("article_id")',
                ),
            ],
        ),
        migrations.AlterField(
            model_name='statement',
            name='checkability',
            field=models.CharField(choices=[('checkable', 'Checkable'), ('candidate', 'Probably not checkable'), ('not_checkable', 'Not checkable')], default='checkable', max_length=16),
        ),
        migrations.AlterField(
            model_name='statement',
            name='review_status',
            field=models.CharField(choices=[('new', 'New'), ('assigned', 'Assigned'), ('rated', 'Rated'), ('disputed', 'Disputed'), ('settled', 'Settled')], default='new', max_length=10),
        ),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(fields=['checkability'], name='statement_checkability'),
        ),
    ]
