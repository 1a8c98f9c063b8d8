"""Indexes for the triage board's sections and the filtered statement and article lists."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_search_vectors"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["site_name", "-created_at", "-id"], name="article_site_newest"),
        ),
        migrations.AddIndex(
            model_name="importjob",
            index=models.Index(
                condition=models.Q(("status__in", ["failed", "done_with_errors"])),
                fields=["-created_at", "-id"],
                name="importjob_failed",
            ),
        ),
        migrations.AddIndex(
            model_name="statement",
            index=models.Index(
                condition=models.Q(("checkability", "checkable"), ("review_status", "new")),
                fields=["-score", "-id"],
                name="statement_new_checkable",
            ),
        ),
        migrations.AddIndex(
            model_name="statement",
            index=models.Index(fields=["review_status", "-score", "-id"], name="statement_state_score"),
        ),
        migrations.AddIndex(
            model_name="statement",
            index=models.Index(fields=["review_status", "-id"], name="statement_state_newest"),
        ),
    ]
