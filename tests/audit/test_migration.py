"""The four history tables of old were folded into the audit trail without losing a row."""

import datetime

import pytest
from django.db import connection

from tests.migrating import migrate_to, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("articles", "0002_job_retry_and_record_sources"),
    ("reviews", "0007_member_events"),
    ("audit", "0001_initial"),
]
AFTER = [("articles", "0003_statement_revisions_into_audit"), ("reviews", "0008_events_into_audit")]


@pytest.fixture
def old_schema():
    apps = migrate_to(BEFORE)
    yield apps
    migrate_to_latest()


def test_every_old_history_row_becomes_an_audit_event(old_schema):
    apps = old_schema
    User = apps.get_model("auth", "User")
    Article = apps.get_model("articles", "Article")
    Statement = apps.get_model("articles", "Statement")
    editor = User.objects.create(username="ed")
    member = User.objects.create(username="rev")
    article = Article.objects.create(title="A", body="One. Two.", content_hash="h1")
    kept = Statement.objects.create(article=article, position=0, start=0, end=4, text="One.")
    apps.get_model("articles", "StatementRevision").objects.create(
        article=article,
        statement=kept,
        actor=editor,
        action="marked",
        before={"id": kept.pk, "checkability": "candidate"},
        after={"id": kept.pk, "checkability": "checkable"},
    )
    apps.get_model("articles", "StatementRevision").objects.create(
        article=article,
        statement=None,
        actor=editor,
        action="merged",
        before={"first": {"id": kept.pk, "text": "One."}, "second": {"id": 999, "text": "Two."}},
        after={"id": kept.pk, "text": "One. Two."},
    )
    apps.get_model("reviews", "ReviewEvent").objects.create(
        statement=kept, actor=editor, action="assigned", after="rev"
    )
    apps.get_model("reviews", "ReviewEvent").objects.create(
        statement=kept, actor=editor, action="settled", before="disputed", after="false", note="Minutes."
    )
    report = apps.get_model("reviews", "Report").objects.create(
        article=article,
        status="published",
        headline="H",
        published_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        first_published_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    apps.get_model("reviews", "ReportEvent").objects.create(
        report=report, actor=editor, action="withdrawn", before="published", after="withdrawn", note="Error"
    )
    apps.get_model("reviews", "MemberEvent").objects.create(
        member=member, actor=editor, action="role_changed", before="Reviewer", after="Editor"
    )

    new = migrate_to(AFTER)
    events = new.get_model("audit", "AuditEvent").objects.order_by("pk")
    rows = [
        (e.action, e.target_type, e.target_id, e.parent_type, e.parent_id, e.actor_id, e.before, e.after, e.note)
        for e in events
    ]
    a, s = article.pk, kept.pk
    assert rows == [
        (
            "statement.marked",
            "articles.statement",
            s,
            "articles.article",
            a,
            editor.pk,
            {"id": s, "checkability": "candidate"},
            {"id": s, "checkability": "checkable"},
            "",
        ),
        (
            "statement.merged",
            "articles.statement",
            s,
            "articles.article",
            a,
            editor.pk,
            {"first": {"id": s, "text": "One."}, "second": {"id": 999, "text": "Two."}},
            {"id": s, "text": "One. Two."},
            "",
        ),
        ("statement.assigned", "articles.statement", s, "articles.article", a, editor.pk, {}, {"reviewer": "rev"}, ""),
        (
            "statement.settled",
            "articles.statement",
            s,
            "articles.article",
            a,
            editor.pk,
            {"verdict": "disputed"},
            {"verdict": "false"},
            "Minutes.",
        ),
        (
            "report.withdrawn",
            "reviews.report",
            report.pk,
            "articles.article",
            a,
            editor.pk,
            {"status": "published"},
            {"status": "withdrawn"},
            "Error",
        ),
        (
            "member.role_changed",
            "auth.user",
            member.pk,
            "",
            None,
            editor.pk,
            {"role": "Reviewer"},
            {"role": "Editor"},
            "",
        ),
    ]
    tables = connection.introspection.table_names()
    assert not {
        "articles_statementrevision",
        "reviews_reviewevent",
        "reviews_reportevent",
        "reviews_memberevent",
    } & set(tables)
