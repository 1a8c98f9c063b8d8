"""E-mails: sent through Django's e-mail framework (locmem here), by a task that claims its row, once per
notice and once per member and day for digests, whatever retries and sweeps do."""

import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from factcheck.core import events
from factcheck.notifications.models import Delivery, EmailDelivery, Notice
from factcheck.notifications.services import deliveries
from factcheck.notifications.services.notices import Draft, notices_create
from factcheck.notifications.services.preferences import preference_set
from factcheck.notifications.tasks import digests_send_task, email_send_task
from reviews.services import assignments as assignment_services
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db
S = EmailDelivery.Status


def assign(editor, reviewer, n=1, capture=None):
    statements = [StatementFactory(text=f"Claim number {i} cost $4 million.") for i in range(n)]
    if capture is None:
        return assignment_services.assignments_create(statements=statements, reviewers=[reviewer], assigned_by=editor)
    with capture(execute=True):
        return assignment_services.assignments_create(statements=statements, reviewers=[reviewer], assigned_by=editor)


def test_a_notice_is_e_mailed_after_commit_with_a_link_to_its_object(
    editor, reviewer, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://desk.example.org"
    assign(editor, reviewer, n=3, capture=django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == ["rev_a@example.org"]
    assert message.subject == "[Factcheck] editor assigned you 3 statements"
    assert "https://desk.example.org/reviews/queue/" in message.body
    assert "https://desk.example.org/settings/" in message.body
    assert EmailDelivery.objects.get().status == S.SENT


def test_in_app_only_sends_no_e_mail_and_digest_waits_for_the_digest(
    editor, reviewer, other_reviewer, django_capture_on_commit_callbacks
):
    preference_set(user=reviewer, delivery=Delivery.IN_APP)
    preference_set(user=other_reviewer, delivery=Delivery.DIGEST)
    for person in (reviewer, other_reviewer):
        assign(editor, person, capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert EmailDelivery.objects.count() == 0
    assert Notice.objects.filter(recipient__in=[reviewer, other_reviewer]).count() == 2  # still told in the app


def test_a_member_without_an_address_gets_notices_but_no_e_mail(editor, reviewer, django_capture_on_commit_callbacks):
    reviewer.email = ""
    reviewer.save()
    assign(editor, reviewer, capture=django_capture_on_commit_callbacks)
    assert mail.outbox == [] and Notice.objects.filter(recipient=reviewer).count() == 1


def test_the_send_task_run_twice_sends_once(editor, reviewer):
    assign(editor, reviewer)  # on_commit callbacks not run: the task is ours to run
    delivery = EmailDelivery.objects.get()
    email_send_task.apply(args=[delivery.pk])
    email_send_task.apply(args=[delivery.pk])
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (S.SENT, 1)


def test_an_event_announced_again_owes_no_second_e_mail(editor, reviewer, django_capture_on_commit_callbacks):
    assign(editor, reviewer, capture=django_capture_on_commit_callbacks)
    ids = list(reviewer.assignments.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        events.announce(events.STATEMENTS_ASSIGNED, assignment_ids=ids, assigned_by_id=editor.pk)
    assert len(mail.outbox) == 1 and EmailDelivery.objects.count() == 1


def test_a_worker_holding_the_lease_is_never_doubled_and_a_dead_one_is_taken_over_after_it(editor, reviewer):
    assign(editor, reviewer)
    delivery = EmailDelivery.objects.get()
    now = timezone.now()
    # A worker claimed it and died mid-send (no mark): while its lease runs nobody else sends it.
    assert deliveries._claim(delivery.pk, now)
    assert deliveries.email_delivery_send(delivery_id=delivery.pk, now=now + timedelta(seconds=60)) is None
    assert deliveries.email_deliveries_requeue(now=now + timedelta(seconds=60)) == []
    assert mail.outbox == []
    # After the lease the sweep hands it out again and it is sent: the one duplicate a crash there can cause.
    after_lease = now + timedelta(seconds=300) + deliveries.REQUEUE_GRACE + timedelta(seconds=1)
    assert deliveries.email_deliveries_requeue(now=after_lease) == [delivery.pk]
    deliveries.email_delivery_send(delivery_id=delivery.pk, now=after_lease)
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (S.SENT, 2)


def test_a_lost_message_is_sent_by_the_sweep(editor, reviewer):
    assign(editor, reviewer)  # the task's message never ran
    later = timezone.now() + deliveries.REQUEUE_GRACE + timedelta(seconds=1)
    [pk] = deliveries.email_deliveries_requeue(now=later)
    email_send_task.apply(args=[pk])
    assert len(mail.outbox) == 1


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once it is closed


def test_a_mail_server_that_refuses_is_tried_again_with_backoff_then_given_up(editor, reviewer, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    settings.NOTIFICATIONS_EMAIL_MAX_ATTEMPTS = 3
    assign(editor, reviewer)
    delivery = EmailDelivery.objects.get()
    now = timezone.now()
    assert deliveries.email_delivery_send(delivery_id=delivery.pk, now=now) == 60
    delivery.refresh_from_db()
    assert delivery.status == S.PENDING and "ConnectionRefusedError" in delivery.last_error
    assert deliveries.email_delivery_send(delivery_id=delivery.pk, now=now) is None  # not due yet: not tried
    assert deliveries.email_delivery_send(delivery_id=delivery.pk, now=now + timedelta(seconds=61)) == 120
    assert deliveries.email_delivery_send(delivery_id=delivery.pk, now=now + timedelta(seconds=200)) is None
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (S.FAILED, 3)


def test_a_preference_changed_before_sending_is_respected(editor, reviewer):
    assign(editor, reviewer)
    preference_set(user=reviewer, delivery=Delivery.IN_APP)
    email_send_task.apply(args=[EmailDelivery.objects.get().pk])
    assert mail.outbox == [] and EmailDelivery.objects.get().status == S.SKIPPED


def notice_for(user, key, title, *, hours_ago=1, read=False):
    notices_create(drafts=[Draft(user.pk, key, Notice.Kind.SETTLED, title, Notice.Target.QUEUE)])
    created = timezone.now() - timedelta(hours=hours_ago)
    Notice.objects.filter(recipient=user, key=key).update(created_at=created, read_at=timezone.now() if read else None)


def send_digests(capture):
    with capture(execute=True):
        digests_send_task.apply()


def test_the_digest_holds_the_days_unread_notices_and_goes_once_a_day(
    reviewer, other_reviewer, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://desk.example.org"
    preference_set(user=reviewer, delivery=Delivery.DIGEST)
    notice_for(reviewer, "a", "Settled as False: “one”", hours_ago=2)
    notice_for(reviewer, "b", "Settled as True: “two”", hours_ago=20)
    notice_for(reviewer, "c", "Settled as Half true: “read already”", read=True)
    notice_for(reviewer, "d", "Settled as False: “too old”", hours_ago=30)
    notice_for(other_reviewer, "e", "Not a digest reader")  # wants e-mail at once: no digest
    mail.outbox.clear()
    send_digests(django_capture_on_commit_callbacks)
    [digest] = mail.outbox
    assert digest.to == ["rev_a@example.org"]
    assert digest.subject == "[Factcheck] Your day on the desk: 2 unread notices"
    assert "Settled as False: “one”" in digest.body and "Settled as True: “two”" in digest.body
    assert digest.body.index("“one”") < digest.body.index("“two”")  # newest first
    assert "read already" not in digest.body and "too old" not in digest.body
    assert "https://desk.example.org/reviews/queue/" in digest.body
    # Beat running it again the same day (a restart, a second beat) sends nothing more.
    send_digests(django_capture_on_commit_callbacks)
    notice_for(reviewer, "f", "Settled as False: “later the same day”", hours_ago=0)
    send_digests(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert EmailDelivery.objects.filter(recipient=reviewer).count() == 1


def test_the_next_days_digest_is_a_new_one(reviewer):
    preference_set(user=reviewer, delivery=Delivery.DIGEST)
    notice_for(reviewer, "a", "Settled as False: “one”")
    deliveries.digests_prepare()
    tomorrow = timezone.now() + timedelta(days=1)
    notice_for(reviewer, "b", "Settled as True: “two”", hours_ago=-12)  # made tomorrow morning
    with_digests = deliveries.digests_prepare(now=tomorrow)
    assert with_digests == 1
    days = sorted(EmailDelivery.objects.values_list("digest_day", flat=True))
    assert days == [timezone.localdate(), timezone.localdate(tomorrow)]


def test_no_digest_without_unread_notices_and_none_when_all_were_read_before_it_went(reviewer):
    preference_set(user=reviewer, delivery=Delivery.DIGEST)
    assert deliveries.digests_prepare() == 0
    notice_for(reviewer, "a", "Settled as False: “one”")
    assert deliveries.digests_prepare() == 1
    Notice.objects.update(read_at=timezone.now())
    delivery = EmailDelivery.objects.get()
    email_send_task.apply(args=[delivery.pk])
    assert mail.outbox == []
    delivery.refresh_from_db()
    assert delivery.status == S.SKIPPED


def test_a_digest_caps_its_list_and_says_there_is_more(reviewer, settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_DIGEST_MAX_ITEMS = 3
    preference_set(user=reviewer, delivery=Delivery.DIGEST)
    for i in range(5):
        notice_for(reviewer, f"k{i}", f"Settled: “claim {i}”")
    send_digests(django_capture_on_commit_callbacks)
    [digest] = mail.outbox
    assert digest.subject == "[Factcheck] Your day on the desk: 3+ unread notices"
    assert digest.body.count("Settled:") == 3 and "… and more" in digest.body


def test_a_statement_in_the_subject_cannot_break_the_header(editor, reviewer, django_capture_on_commit_callbacks):
    statement = StatementFactory(text="Line one\r\nBcc: everyone@example.org\nline three")
    with django_capture_on_commit_callbacks(execute=True):
        assignment_services.assignments_create(statements=[statement], reviewers=[reviewer], assigned_by=editor)
    [message] = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    quoted = "“Line one Bcc: everyone@example.org line three”"
    assert message.subject == f"[Factcheck] editor assigned you a statement: {quoted}"
    assert message.bcc == [] and message.message().get("Bcc") is None
