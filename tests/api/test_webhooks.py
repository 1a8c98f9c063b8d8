"""Webhooks: admins register a URL (through the import fetcher's address guard) and events; each event becomes a
signed delivery sent by a Celery task, retried with backoff and logged with the answer. The tests talk only to
a server on 127.0.0.1, opened with IMPORT_FETCH_ALLOW_HOSTS as the import tests do."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from factcheck.api.models import WebhookDelivery, WebhookEndpoint
from factcheck.api.services import webhooks
from factcheck.api.tasks import webhook_delivery_task
from tests.factories import ArticleFactory, AssignmentFactory, RatingFactory, StatementFactory
from tests.localserver import QuietHandler, serving
from tests.publishing import claims_payload

pytestmark = pytest.mark.django_db


class Receiver(QuietHandler):
    """Records every POST; answers with the status the test set."""

    received: list[dict] = []
    answer = 200
    lock = threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with self.lock:
            Receiver.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
        self.send(Receiver.answer, b'{"ok": true}', "application/json")


@pytest.fixture(scope="module")
def receiver_url():
    with serving(Receiver) as base_url:
        yield f"{base_url}/hooks/desk"


@pytest.fixture
def receiver(receiver_url, settings):
    settings.IMPORT_FETCH_ALLOW_HOSTS = frozenset({"127.0.0.1"})
    Receiver.received, Receiver.answer = [], 200
    return receiver_url


@pytest.fixture
def endpoint(admin_user, receiver):
    return webhooks.webhook_create(
        url=receiver, events=["statement.settled", "report.published", "import.finished"], created_by=admin_user
    )


def test_an_admin_registers_a_webhook_and_sees_its_secret_once(admin_api, receiver):
    response = admin_api.post(reverse("api:webhook-list"), {"url": receiver, "events": ["report.published"]})
    assert response.status_code == 201
    body = response.json()
    assert body["secret"].startswith("whsec_") and body["events"] == ["report.published"]
    listed = admin_api.get(reverse("api:webhook-list")).json()["results"]
    assert "secret" not in listed[0]
    assert "secret" not in admin_api.get(reverse("api:webhook-detail", args=[body["id"]])).json()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:9/hook", "loopback"),
        ("http://10.0.0.1/hook", "private"),
        ("http://192.168.1.20/hook", "private"),
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://[::1]/hook", "loopback"),
        ("ftp://example.org/hook", "http"),
    ],
)
def test_a_webhook_to_a_private_address_is_refused(admin_api, settings, url, reason):
    settings.IMPORT_FETCH_ALLOW_HOSTS = frozenset()  # the guard as in production
    response = admin_api.post(reverse("api:webhook-list"), {"url": url, "events": ["report.published"]})
    assert response.status_code == 400
    assert reason in response.json()["errors"]["url"][0]["detail"]
    assert not WebhookEndpoint.objects.exists()


def test_unknown_events_are_refused(admin_api, receiver):
    response = admin_api.post(reverse("api:webhook-list"), {"url": receiver, "events": ["statement.liked"]})
    assert response.status_code == 400 and "events.0" in response.json()["errors"]


def settle_through_the_api(editor_api, statement):
    return editor_api.post(reverse("api:statement-settle", args=[statement.pk]), {"verdict": "false"})


def test_a_settled_statement_is_delivered_signed_and_logged(
    editor_api, admin_api, endpoint, django_capture_on_commit_callbacks
):
    statement = StatementFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert settle_through_the_api(editor_api, statement).status_code == 200
    [request] = Receiver.received
    headers, body = request["headers"], request["body"]
    assert headers["X-Factcheck-Event"] == "statement.settled"
    expected = hmac.new(
        endpoint.secret.encode(), f"{headers['X-Factcheck-Timestamp']}.".encode() + body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(headers["X-Factcheck-Signature"], f"sha256={expected}")
    payload = json.loads(body)
    assert payload["event"] == "statement.settled"
    assert payload["data"]["statement"] == {
        "id": statement.pk,
        "article_id": statement.article_id,
        "text": statement.text,
        "verdict": "false",
        "settled_by_editor": True,
        "api_path": reverse("api:statement-detail", args=[statement.pk]),
    }
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    assert headers["X-Factcheck-Delivery"] == str(delivery.pk)
    log = admin_api.get(reverse("api:webhook-deliveries", args=[endpoint.pk])).json()["results"]
    assert log[0]["status"] == "delivered" and log[0]["response_status"] == 200 and '"ok"' in log[0]["response_body"]


def test_reviewers_agreeing_settles_by_consensus_and_is_announced(
    endpoint, reviewer, other_reviewer, django_capture_on_commit_callbacks
):
    from reviews.services.summaries import statement_summary_recompute

    statement = StatementFactory()
    for person in (reviewer, other_reviewer):
        AssignmentFactory(statement=statement, reviewer=person)
        RatingFactory(statement=statement, reviewer=person, verdict="true")
    with django_capture_on_commit_callbacks(execute=True):
        statement_summary_recompute(statement_id=statement.pk)
    with django_capture_on_commit_callbacks(execute=True):
        statement_summary_recompute(statement_id=statement.pk)  # a second recompute announces nothing new
    [request] = Receiver.received
    data = json.loads(request["body"])["data"]["statement"]
    assert data["verdict"] == "true" and data["settled_by_editor"] is False


def test_a_published_report_and_a_finished_import_are_delivered(
    editor_api, admin_api, endpoint, editor, django_capture_on_commit_callbacks
):
    from reviews.services.settlement import statement_settle

    article = ArticleFactory()
    statement = StatementFactory(article=article)
    statement_settle(statement=statement, editor=editor, verdict="true")
    explained = {f"s{statement.pk}": {"explanation": "Checked against the minutes."}}
    Receiver.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        editor_api.post(
            reverse("api:article-report-publish", args=[article.pk]),
            {"headline": "Checked", "claims": claims_payload(article, **explained)},
            format="json",
        )
    with django_capture_on_commit_callbacks(execute=True):
        admin_api.post(reverse("api:import-list"), {"records": [{"text": "A new claim. Another one."}]})
    events = [json.loads(r["body"]) for r in Receiver.received]
    assert [e["event"] for e in events] == ["report.published", "import.finished"]
    assert events[0]["data"]["report"]["headline"] == "Checked"
    assert events[1]["data"]["job"]["succeeded"] == 1 and events[1]["data"]["job"]["status"] == "done"


def test_endpoints_get_only_the_events_they_chose(admin_user, receiver, editor, django_capture_on_commit_callbacks):
    from reviews.services.settlement import statement_settle

    webhooks.webhook_create(url=receiver, events=["report.published"], created_by=admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        statement_settle(statement=StatementFactory(), editor=editor, verdict="true")
    assert Receiver.received == [] and not WebhookDelivery.objects.exists()


def test_a_failed_delivery_is_retried_with_backoff_then_given_up(endpoint, settings, editor):
    from reviews.services.settlement import statement_settle

    settings.API_WEBHOOK_MAX_ATTEMPTS = 3
    settings.API_WEBHOOK_RETRY_BASE_SECONDS = 30
    Receiver.answer = 500
    statement_settle(statement=StatementFactory(), editor=editor, verdict="true")  # its commit never comes: no task
    delivery = WebhookDelivery.objects.get()
    waits = []
    for _ in range(3):
        waits.append(webhooks.webhook_delivery_attempt(delivery_id=delivery.pk))
        delivery.refresh_from_db()
        if delivery.status == "pending":
            assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=waits[-1] - 5)
            assert webhooks.webhook_delivery_attempt(delivery_id=delivery.pk) is None  # not due yet: nothing sent
            WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert waits == [30, 60, None]
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 3, 500)
    assert "500" in delivery.error and len(Receiver.received) == 3


def test_the_task_asks_celery_to_retry_after_the_backoff(endpoint, editor, monkeypatch):
    from reviews.services.settlement import statement_settle

    Receiver.answer = 503
    statement_settle(statement=StatementFactory(), editor=editor, verdict="true")
    delivery = WebhookDelivery.objects.get()
    asked = {}

    def retry(**kwargs):
        asked.update(kwargs)
        return RuntimeError("retry")

    monkeypatch.setattr(webhook_delivery_task, "retry", retry)
    with pytest.raises(RuntimeError):
        webhook_delivery_task.run(delivery.pk)
    assert asked["countdown"] == 30
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.response_status == 503


def test_the_task_run_twice_delivers_once(endpoint, editor):
    from reviews.services.settlement import statement_settle

    statement_settle(statement=StatementFactory(), editor=editor, verdict="true")
    delivery = WebhookDelivery.objects.get()
    webhook_delivery_task.run(delivery.pk)
    webhook_delivery_task.run(delivery.pk)
    assert len(Receiver.received) == 1
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 1


def test_a_delivery_to_an_address_that_became_private_is_refused_and_not_retried(endpoint, settings, editor):
    from reviews.services.settlement import statement_settle

    statement_settle(statement=StatementFactory(), editor=editor, verdict="true")
    settings.IMPORT_FETCH_ALLOW_HOSTS = frozenset()  # e.g. the name now resolves to a private address
    delivery = WebhookDelivery.objects.get()
    assert webhooks.webhook_delivery_attempt(delivery_id=delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.error.startswith("Refused")
    assert Receiver.received == []


def test_the_sweep_sends_again_deliveries_whose_message_was_lost(endpoint, editor):
    from reviews.services.settlement import statement_settle

    statement_settle(statement=StatementFactory(), editor=editor, verdict="true")  # message never sent
    delivery = WebhookDelivery.objects.get()
    assert webhooks.webhook_deliveries_requeue() == []  # not overdue yet
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=10))
    assert webhooks.webhook_deliveries_requeue() == [delivery.pk]  # eager here: sent at once
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and len(Receiver.received) == 1


def test_a_delivery_stuck_sending_after_a_worker_died_is_sent_again(endpoint, editor):
    from reviews.services.settlement import statement_settle

    statement_settle(statement=StatementFactory(), editor=editor, verdict="true")
    WebhookDelivery.objects.update(status="sending", attempts=1, last_attempt_at=timezone.now() - timedelta(hours=1))
    webhooks.webhook_deliveries_requeue()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered" and delivery.attempts == 2


def test_a_switched_off_endpoint_gets_nothing_and_admins_change_and_remove_webhooks(admin_api, endpoint, editor):
    from reviews.services.settlement import statement_settle

    url = reverse("api:webhook-detail", args=[endpoint.pk])
    assert admin_api.patch(url, {"is_active": False}).json()["is_active"] is False
    statement_settle(statement=StatementFactory(), editor=editor, verdict="true")
    assert not WebhookDelivery.objects.exists()
    assert admin_api.patch(url, {"url": "http://10.1.2.3/x"}).status_code == 400  # the guard on changes too
    assert admin_api.delete(url).status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_a_broken_listener_never_undoes_the_change_that_announced_it(endpoint, editor, monkeypatch):
    from factcheck.api import events
    from reviews.models import StatementSummary
    from reviews.services.settlement import statement_settle

    def broken(data):
        raise RuntimeError("bug in the payload")

    monkeypatch.setitem(events.PAYLOADS, "statement.settled", broken)
    statement = StatementFactory()
    statement_settle(statement=statement, editor=editor, verdict="true")
    assert StatementSummary.objects.get(statement=statement).settled
    assert not WebhookDelivery.objects.exists()
