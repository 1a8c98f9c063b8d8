"""Sign-ins resist guessing: per account and per address, on the app's login and the Django admin's."""

import pytest
from django.test import Client
from django.urls import reverse

from factcheck.audit.models import AuditEvent
from tests.conftest import signs_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def wrong(client, username, times, url=None, address="198.51.100.7"):
    url = url or reverse("login")
    return [client.post(url, {"username": username, "password": "guess"}, REMOTE_ADDR=address) for _ in range(times)]


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one_with_a_clear_page(reviewer):
    client = Client()
    responses = wrong(client, reviewer.username, 5)
    assert [r.status_code for r in responses[:4]] == [200] * 4  # the form again, with an error
    response = client.post(reverse("login"), {"username": reviewer.username, "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in is locked for now" in page and "15 minutes" in page and "ask a desk admin" in page
    assert "_auth_user_id" not in client.session
    # Another address does not help: the account itself is locked.
    assert not signs_in(reviewer.username, PASSWORD, Client(REMOTE_ADDR="192.0.2.44"))


def test_one_address_guessing_many_accounts_is_locked_too(reviewer, other_reviewer):
    client = Client()
    for n in range(5):
        client.post(reverse("login"), {"username": f"nobody{n}", "password": "guess"}, REMOTE_ADDR="198.51.100.8")
    response = client.post(
        reverse("login"), {"username": other_reviewer.username, "password": PASSWORD}, REMOTE_ADDR="198.51.100.8"
    )
    assert response.status_code == 429
    # The account is not locked for its owner elsewhere.
    assert signs_in(other_reviewer.username, PASSWORD, Client(REMOTE_ADDR="192.0.2.45"))


def test_the_django_admin_login_is_throttled_the_same_way():
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client = Client()
    wrong(client, boss.username, 5, url=reverse("admin:login"))
    response = client.post(reverse("admin:login"), {"username": boss.username, "password": PASSWORD})
    assert response.status_code == 429


def test_a_right_password_before_the_limit_clears_the_count(reviewer):
    client = Client()
    wrong(client, reviewer.username, 4)
    assert signs_in(reviewer.username, PASSWORD, client)
    client.logout()
    wrong(client, reviewer.username, 4)
    assert signs_in(reviewer.username, PASSWORD, client)


def test_an_admin_sees_the_lock_on_the_team_page_and_lifts_it(reviewer, admin_user, admin_client_role):
    wrong(Client(), reviewer.username, 5)
    assert not signs_in(reviewer.username, PASSWORD)
    page = admin_client_role.get(reverse("reviews:members")).content.decode()
    assert "Locked sign-ins" in page and reviewer.username in page and "5 wrong passwords" in page
    from axes.models import AccessAttempt

    lock = AccessAttempt.objects.get(username=reviewer.username, failures_since_start__gte=5)
    response = admin_client_role.post(reverse("reviews:lockout_lift", args=[lock.pk]))
    assert response.status_code == 302
    assert signs_in(reviewer.username, PASSWORD)
    event = AuditEvent.objects.get(action="member.lockout_lifted")
    assert (event.actor, event.target_id, event.after["username"]) == (admin_user, reviewer.pk, reviewer.username)
    assert "Locked sign-ins" not in admin_client_role.get(reverse("reviews:members")).content.decode()
