"""Move the curation history (StatementRevision) into the desk's one audit trail, then drop the table.

Every row becomes an AuditEvent with the same actor, time, before and after; nothing is lost. The reverse
copies the events back."""

from django.db import migrations

ACTIONS = {"edited": "statement.edited", "split": "statement.split", "merged": "statement.merged", "marked": "statement.marked"}


def forward(apps, schema_editor):
    StatementRevision = apps.get_model("articles", "StatementRevision")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    batch = []
    for rev in StatementRevision.objects.order_by("pk").iterator(chunk_size=2000):
        # A merged-away statement's row is gone (statement_id NULL); its id survives in the snapshot.
        statement_id = rev.statement_id or (rev.before or {}).get("id") or (rev.before or {}).get("first", {}).get("id")
        batch.append(
            AuditEvent(
                actor_id=rev.actor_id,
                action=ACTIONS.get(rev.action, f"statement.{rev.action}"),
                target_type="articles.statement",
                target_id=statement_id or 0,
                parent_type="articles.article",
                parent_id=rev.article_id,
                before=rev.before or {},
                after=rev.after or {},
                created_at=rev.created_at,
            )
        )
        if len(batch) >= 2000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)


def backward(apps, schema_editor):
    StatementRevision = apps.get_model("articles", "StatementRevision")
    Statement = apps.get_model("articles", "Statement")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    reverse = {value: key for key, value in ACTIONS.items()}
    events = AuditEvent.objects.filter(action__in=list(reverse), target_type="articles.statement").order_by("pk")
    existing = set(Statement.objects.values_list("pk", flat=True))
    StatementRevision.objects.bulk_create(
        [
            StatementRevision(
                article_id=event.parent_id,
                statement_id=event.target_id if event.target_id in existing else None,
                actor_id=event.actor_id,
                action=reverse[event.action],
                before=event.before,
                after=event.after,
                created_at=event.created_at,
            )
            for event in events
        ]
    )
    events.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_job_retry_and_record_sources"),
        ("audit", "0001_initial"),
    ]
    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="StatementRevision"),
    ]
