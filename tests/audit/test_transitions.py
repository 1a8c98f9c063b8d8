"""Guarded status changes: the model's table decides, the helper records, a race moves a row once."""

import pytest
from django.core.exceptions import ValidationError

from articles.models import ImportJob
from factcheck.audit.models import AuditEvent
from factcheck.audit.transitions import TransitionNotAllowed, transition
from reviews.models import Report
from reviews.publishing import services as publishing
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db


def test_an_allowed_move_updates_the_row_and_records_who_and_from_what(admin_user):
    job = ImportJob.objects.create(label="x")
    assert transition(job, to=ImportJob.Status.RUNNING, by=admin_user, note="by hand")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING
    event = AuditEvent.objects.get()
    assert (event.action, event.target_type, event.target_id, event.actor, event.note) == (
        "importjob.running",
        "articles.importjob",
        job.pk,
        admin_user,
        "by hand",
    )
    assert (event.before, event.after) == ({"status": "pending"}, {"status": "running"})


def test_a_move_the_table_forbids_is_refused_with_a_sentence_and_writes_nothing():
    job = ImportJob.objects.create(label="x", status=ImportJob.Status.DONE)
    with pytest.raises(TransitionNotAllowed, match="This import job is done; it cannot become running."):
        transition(job, to=ImportJob.Status.RUNNING, by=None)
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE
    assert not AuditEvent.objects.exists()


def test_of_two_racing_moves_from_the_same_status_only_one_happens():
    job = ImportJob.objects.create(label="x")
    first, second = ImportJob.objects.get(pk=job.pk), ImportJob.objects.get(pk=job.pk)
    assert transition(first, to=ImportJob.Status.RUNNING, by=None) is True
    assert transition(second, to=ImportJob.Status.RUNNING, by=None) is False  # it saw "pending", now stale
    assert AuditEvent.objects.count() == 1


def test_a_draft_report_cannot_be_withdrawn(editor):
    statement = StatementFactory()
    report = publishing.report_draft_save(article=statement.article, editor=editor, headline="Draft")
    with pytest.raises(ValidationError, match="draft; it cannot become withdrawn"):
        publishing.report_withdraw(report=report, editor=editor)
    assert Report.objects.get(pk=report.pk).status == Report.Status.DRAFT
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["report.saved"]
