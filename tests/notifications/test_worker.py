"""Notification e-mails through a real `celery worker`, the Redis broker and PostgreSQL: an assignment's
e-mail is sent once, and sending its task again (a redelivery, a retry, a second worker) sends nothing more."""

import os
import uuid

import pytest

from factcheck.notifications.models import EmailDelivery, Notice
from reviews.services import assignments as assignment_services
from tests.brokers import celery_producer_using
from tests.factories import StatementFactory
from tests.workers import Worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mail_dir(tmp_path):
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def worker_with_file_mail(tmp_path, mail_dir):
    """A worker on a queue of its own whose e-mail backend writes each message to a file in mail_dir."""
    from factcheck.celery_app import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    broker = os.environ["CELERY_BROKER_URL"]
    worker = Worker(queue=queue, broker_url=broker, tmp_path=tmp_path, env={"EMAIL_URL": f"file://{mail_dir}"}).start()
    old_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        with celery_producer_using(broker):
            yield worker
    finally:
        app.conf.task_default_queue = old_queue
        worker.stop()
        print(worker.output())


def messages_in(mail_dir) -> list[str]:
    return [
        line
        for path in sorted(mail_dir.iterdir())
        for line in path.read_text().splitlines()
        if line.startswith("Subject:")
    ]


def test_an_assignment_e_mail_goes_through_the_worker_once(worker_with_file_mail, mail_dir, editor, reviewer):
    from factcheck.notifications.tasks import email_send_task

    statements = [StatementFactory() for _ in range(20)]
    assignment_services.assignments_create(statements=statements, reviewers=[reviewer], assigned_by=editor)
    assert Notice.objects.filter(recipient=reviewer).count() == 1
    sent = wait_for(lambda: EmailDelivery.objects.filter(status=EmailDelivery.Status.SENT).exists())
    assert sent, worker_with_file_mail.output()
    assert messages_in(mail_dir) == ["Subject: [Factcheck] editor assigned you 20 statements"]
    delivery = EmailDelivery.objects.get()
    # The same task twice more through the broker, as a redelivery or an overlapping sweep would send it.
    for _ in range(2):
        email_send_task.delay(delivery.pk)
    assert wait_for(lambda: worker_with_file_mail.output(100_000).count("email_send_task") >= 6), (
        worker_with_file_mail.output()
    )
    assert len(messages_in(mail_dir)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (EmailDelivery.Status.SENT, 1)
