"""The triage board: each article summary's review state (filled here from the counts and the report, set-based).
(The index over open assignments' due dates the board also reads comes with 0018.)"""

from django.db import migrations, models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When


def fill_states(apps, schema_editor):
    """The same rule as reviews.verdicts.article_state, as one UPDATE."""
    ArticleSummary = apps.get_model("reviews", "ArticleSummary")
    Article = apps.get_model("articles", "Article")
    Report = apps.get_model("reviews", "Report")
    statement_count = Subquery(Article.objects.filter(pk=OuterRef("article_id")).values("statement_count")[:1])
    published = Report.objects.filter(article_id=OuterRef("article_id"), status="published")
    ArticleSummary.objects.annotate(statements=statement_count).update(
        state=Case(
            When(models.Exists(published), then=Value("published")),
            When(disputed_count__gt=0, then=Value("disputed")),
            When(Q(statements__gt=0, settled_count__gte=F("statements")), then=Value("settled")),
            When(Q(rated_count__gt=0) | Q(settled_count__gt=0), then=Value("in_review")),
            default=Value("new"),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_search_vectors"),
        ("reviews", "0018_deadlines_capacity_batches"),
    ]

    operations = [
        migrations.AddField(
            model_name="articlesummary",
            name="state",
            field=models.CharField(
                choices=[
                    ("new", "New"),
                    ("in_review", "In review"),
                    ("disputed", "Disputed"),
                    ("settled", "Settled, ready to publish"),
                    ("published", "Published"),
                ],
                default="new",
                help_text="Derived with the counts (and from the report's status), so the triage board finds the "
                "articles ready to publish through an index instead of comparing counts across every article.",
                max_length=10,
            ),
        ),
        migrations.RunPython(fill_states, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="articlesummary",
            index=models.Index(fields=["state", "-updated_at"], name="articlesummary_state"),
        ),
    ]
