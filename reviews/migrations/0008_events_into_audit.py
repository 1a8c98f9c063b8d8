"""Move the review, report and membership histories (ReviewEvent, ReportEvent, MemberEvent) into the desk's
one audit trail, then drop the three tables. Every row becomes an AuditEvent with the same actor, time,
values and note; nothing is lost. The reverse copies the events back."""

from django.db import migrations

REVIEW_ACTIONS = {
    "assigned": "statement.assigned",
    "unassigned": "statement.unassigned",
    "rated": "statement.rated",
    "rating_edited": "statement.rating_edited",
    "settled": "statement.settled",
}
REPORT_ACTIONS = {
    "saved": "report.saved",
    "published": "report.published",
    "republished": "report.republished",
    "withdrawn": "report.withdrawn",
}
MEMBER_ACTIONS = {
    "created": "member.created",
    "role_changed": "member.role_changed",
    "deactivated": "member.deactivated",
    "activated": "member.activated",
    "password_reset": "member.password_reset",
}
# What the plain before/after strings of each table held.
REVIEW_KEY = {"assigned": "reviewer", "unassigned": "reviewer"}  # the others held verdicts


def _values(key, value):
    return {key: value} if value else {}


def _bulk(model, rows):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= 2000:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)


def forward(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ReviewEvent = apps.get_model("reviews", "ReviewEvent")
    ReportEvent = apps.get_model("reviews", "ReportEvent")
    MemberEvent = apps.get_model("reviews", "MemberEvent")

    def reviews():
        rows = ReviewEvent.objects.order_by("pk").values_list(
            "statement_id", "statement__article_id", "actor_id", "action", "before", "after", "note", "created_at"
        )
        for statement_id, article_id, actor_id, action, before, after, note, created_at in rows.iterator(2000):
            key = REVIEW_KEY.get(action, "verdict")
            yield AuditEvent(
                actor_id=actor_id,
                action=REVIEW_ACTIONS.get(action, f"statement.{action}"),
                target_type="articles.statement",
                target_id=statement_id,
                parent_type="articles.article",
                parent_id=article_id,
                before=_values(key, before),
                after=_values(key, after),
                note=note,
                created_at=created_at,
            )

    def reports():
        rows = ReportEvent.objects.order_by("pk").values_list(
            "report_id", "report__article_id", "actor_id", "action", "before", "after", "note", "created_at"
        )
        for report_id, article_id, actor_id, action, before, after, note, created_at in rows.iterator(2000):
            yield AuditEvent(
                actor_id=actor_id,
                action=REPORT_ACTIONS.get(action, f"report.{action}"),
                target_type="reviews.report",
                target_id=report_id,
                parent_type="articles.article",
                parent_id=article_id,
                before=_values("status", before),
                after=_values("status", after),
                note=note,
                created_at=created_at,
            )

    def members():
        rows = MemberEvent.objects.order_by("pk").values_list(
            "member_id", "actor_id", "action", "before", "after", "created_at"
        )
        for member_id, actor_id, action, before, after, created_at in rows.iterator(2000):
            yield AuditEvent(
                actor_id=actor_id,
                action=MEMBER_ACTIONS.get(action, f"member.{action}"),
                target_type="auth.user",
                target_id=member_id,
                before=_values("role", before),
                after=_values("role", after),
                created_at=created_at,
            )

    for rows in (reviews(), reports(), members()):
        _bulk(AuditEvent, rows)


def backward(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ReviewEvent = apps.get_model("reviews", "ReviewEvent")
    ReportEvent = apps.get_model("reviews", "ReportEvent")
    MemberEvent = apps.get_model("reviews", "MemberEvent")
    Statement = apps.get_model("articles", "Statement")
    Report = apps.get_model("reviews", "Report")
    User = apps.get_model("auth", "User")

    def back(mapping):
        return {value: key for key, value in mapping.items()}

    statements = set(Statement.objects.values_list("pk", flat=True))
    reports = set(Report.objects.values_list("pk", flat=True))
    users = set(User.objects.values_list("pk", flat=True))
    review_back, report_back, member_back = back(REVIEW_ACTIONS), back(REPORT_ACTIONS), back(MEMBER_ACTIONS)
    for event in AuditEvent.objects.order_by("pk").iterator(2000):
        if event.action in review_back and event.target_id in statements:
            action = review_back[event.action]
            key = REVIEW_KEY.get(action, "verdict")
            ReviewEvent.objects.create(
                statement_id=event.target_id,
                actor_id=event.actor_id,
                action=action,
                before=event.before.get(key, ""),
                after=event.after.get(key, ""),
                note=event.note,
            )
        elif event.action in report_back and event.target_id in reports:
            ReportEvent.objects.create(
                report_id=event.target_id,
                actor_id=event.actor_id,
                action=report_back[event.action],
                before=event.before.get("status", ""),
                after=event.after.get("status", ""),
                note=event.note,
            )
        elif event.action in member_back and event.target_id in users:
            MemberEvent.objects.create(
                member_id=event.target_id,
                actor_id=event.actor_id,
                action=member_back[event.action],
                before=event.before.get("role", ""),
                after=event.after.get("role", ""),
            )
    AuditEvent.objects.filter(action__in=[*review_back, *report_back, *member_back]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0007_member_events"),
        ("audit", "0001_initial"),
        ("articles", "0003_statement_revisions_into_audit"),
    ]
    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="ReviewEvent"),
        migrations.DeleteModel(name="ReportEvent"),
        migrations.DeleteModel(name="MemberEvent"),
    ]
