"""The notifications pages: the navbar's count, the list (newest first, a keyset page at a time), marking
read (POST with CSRF), and the preference on My settings."""

import re
import threading

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

from factcheck.notifications import selectors
from factcheck.notifications.models import Delivery, Notice
from factcheck.notifications.services.notices import Draft, notice_mark_read, notices_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def tell(user, n, start=0):
    notices_create(
        drafts=[
            Draft(user.pk, f"k{i}", Notice.Kind.SETTLED, f"Settled as False: “claim {i}”", Notice.Target.QUEUE)
            for i in range(start, start + n)
        ]
    )


def stored_unread(user):
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def test_the_navbar_says_how_many_are_unread_to_eyes_and_screen_readers(reviewer_client, reviewer):
    tell(reviewer, 3)
    html = reviewer_client.get(reverse("reviews:queue")).content.decode()
    assert re.search(r'data-testid="unread-badge">3</span>', html)
    assert '<span class="visually-hidden">3 unread notifications</span>' in html
    tell(reviewer, 120, start=3)
    html = reviewer_client.get(reverse("reviews:queue")).content.decode()
    assert 'data-testid="unread-badge">99+</span>' in html and "123 unread notifications" in html


def test_without_unread_notices_the_navbar_shows_no_badge(editor_client):
    html = editor_client.get(reverse("reviews:overview")).content.decode()
    assert "unread-badge" not in html and "Notifications, none unread" in html


def test_the_list_shows_ones_own_notices_newest_first_with_links(reviewer_client, reviewer, other_reviewer):
    tell(reviewer, 2)
    tell(other_reviewer, 1, start=7)
    html = reviewer_client.get(reverse("notifications:list")).content.decode()
    assert html.index("claim 1") < html.index("claim 0")
    assert "claim 7" not in html
    assert f'href="{reverse("reviews:queue")}"' in html
    assert html.count('data-testid="notice"') == 2 and "2 unread" in html


def test_the_list_pages_by_keyset_and_the_next_page_continues_where_the_first_ended(reviewer_client, reviewer):
    tell(reviewer, 30)
    first = reviewer_client.get(reverse("notifications:list")).content.decode()
    assert first.count('data-testid="notice"') == 25 and "claim 29" in first and "claim 5”" in first
    cursor = re.search(r'\?after=([^"]+)"', first).group(1).replace("&amp;", "&")
    second = reviewer_client.get(reverse("notifications:list") + "?after=" + cursor).content.decode()
    assert second.count('data-testid="notice"') == 5 and "claim 4”" in second and "claim 5”" not in second


def test_marking_one_read_twice_takes_one_off_the_count(reviewer_client, reviewer):
    tell(reviewer, 3)
    notice = Notice.objects.filter(recipient=reviewer).first()
    url = reverse("notifications:read", args=[notice.pk])
    assert reviewer_client.post(url).status_code == 302
    assert reviewer_client.post(url).status_code == 302
    assert selectors.unread_count(user=reviewer) == 2 == stored_unread(reviewer)


def test_mark_all_read_then_again(reviewer_client, reviewer):
    tell(reviewer, 4)
    response = reviewer_client.post(reverse("notifications:read_all"), follow=True)
    assert "Marked 4 notifications read." in response.content.decode()
    response = reviewer_client.post(reverse("notifications:read_all"), follow=True)
    assert "Nothing was unread." in response.content.decode()
    assert selectors.unread_count(user=reviewer) == 0 == stored_unread(reviewer)


def test_marking_read_goes_back_to_the_page_but_never_off_the_site(reviewer_client, reviewer):
    tell(reviewer, 1)
    notice = Notice.objects.get(recipient=reviewer)
    url = reverse("notifications:read", args=[notice.pk])
    back = reverse("notifications:list") + "?after=abc"
    assert reviewer_client.post(url, {"next": back})["Location"] == back
    assert reviewer_client.post(url, {"next": "https://evil.example.net/"})["Location"] == reverse("notifications:list")


def test_marking_read_needs_the_csrf_token(reviewer):
    tell(reviewer, 1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    assert client.post(reverse("notifications:read_all")).status_code == 403
    assert selectors.unread_count(user=reviewer) == 1


def test_someone_elses_notice_is_not_found(other_reviewer_client, reviewer):
    tell(reviewer, 1)
    notice = Notice.objects.get(recipient=reviewer)
    assert other_reviewer_client.post(reverse("notifications:read", args=[notice.pk])).status_code == 404
    assert Notice.objects.get(pk=notice.pk).read_at is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_marking_read_at_once_from_many_requests_keeps_the_count_right():
    user = UserFactory(username="busy")
    tell(user, 10)
    ids = list(Notice.objects.filter(recipient=user).values_list("pk", flat=True))
    from factcheck.notifications.services.notices import notices_mark_all_read

    barrier = threading.Barrier(8)
    errors = []

    def click(i):
        try:
            barrier.wait(timeout=10)
            if i % 2:
                notices_mark_all_read(user=user)
            else:
                for pk in ids:
                    notice_mark_read(user=user, notice_id=pk)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=click, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert selectors.unread_count(user=user) == 0 == stored_unread(user)
    tell(user, 2, start=10)
    assert selectors.unread_count(user=user) == 2


def test_my_settings_shows_the_preference_and_saves_it(reviewer_client, reviewer):
    html = reviewer_client.get(reverse("api:settings")).content.decode()
    assert 'id="notifications"' in html
    assert re.search(r'value="immediate"[^>]*checked', html)
    response = reviewer_client.post(reverse("notifications:preferences"), {"delivery": "digest"}, follow=True)
    assert "Saved: notifications by e-mail, one daily digest." in response.content.decode()
    assert selectors.delivery_of(user=reviewer) == Delivery.DIGEST
    assert re.search(r'value="digest"[^>]*checked', response.content.decode())


def test_a_made_up_preference_is_refused(reviewer_client, reviewer):
    response = reviewer_client.post(reverse("notifications:preferences"), {"delivery": "carrier-pigeon"}, follow=True)
    assert "Choose one of the three ways" in response.content.decode()
    assert selectors.delivery_of(user=reviewer) == Delivery.IMMEDIATE
