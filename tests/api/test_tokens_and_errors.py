"""API tokens (shown once, stored as a hash, last use noted, revoked by their owner or an admin), the My settings
page, the one error shape, and throttling per token."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from factcheck.api.models import ApiToken
from factcheck.api.services.tokens import token_create
from factcheck.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_a_created_token_is_shown_once_and_only_its_hash_is_stored(reviewer):
    client = APIClient()
    client.force_login(reviewer)
    response = client.post(reverse("api:token-list"), {"name": "CMS plugin"}, format="json")
    assert response.status_code == 201
    raw = response.json()["token"]
    token = ApiToken.objects.get()
    assert raw.startswith("fct_") and len(raw) > 40
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.key_hash, token.prefix, token.name}
    assert raw.startswith(token.prefix)
    listed = client.get(reverse("api:token-list")).json()["results"]
    assert [t["name"] for t in listed] == ["CMS plugin"] and "token" not in listed[0]
    assert AuditEvent.objects.filter(action="api_token.created", target_id=reviewer.pk).exists()
    assert bearer(raw).get(reverse("api:me")).json()["authenticated_by"] == "token"


def test_a_token_cannot_make_another_token(reviewer):
    response = bearer(token_create(user=reviewer, name="cms").raw).post(reverse("api:token-list"), {"name": "more"})
    assert response.status_code == 403 and "session" in response.json()["detail"]
    assert ApiToken.objects.count() == 1


def test_the_token_notes_its_last_use_at_most_once_a_minute(reviewer):
    new = token_create(user=reviewer, name="dash")
    client = bearer(new.raw)
    client.get(reverse("api:me"))
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    client.get(reverse("api:me"))
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(minutes=5))
    client.get(reverse("api:me"))
    assert ApiToken.objects.get().last_used_at > first


def test_a_revoked_token_stops_working_at_once(reviewer):
    new = token_create(user=reviewer, name="bot")
    client = bearer(new.raw)
    assert client.delete(reverse("api:token-detail", args=[new.token.pk])).status_code == 204
    response = client.get(reverse("api:me"))
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"
    assert "revoked" in response.json()["detail"]


def test_an_admin_revokes_anyones_token_but_a_member_only_their_own(reviewer, other_reviewer, admin_user):
    mine = token_create(user=reviewer, name="mine")
    assert bearer(token_create(user=other_reviewer, name="x").raw).delete(
        reverse("api:token-detail", args=[mine.token.pk])
    ).status_code == 404  # fmt: skip
    admin = bearer(token_create(user=admin_user, name="admin").raw)
    listed = {t["user"] for t in admin.get(reverse("api:token-list")).json()["results"]}
    assert {"rev_a", "rev_b", "desk_admin"} <= listed
    assert admin.delete(reverse("api:token-detail", args=[mine.token.pk])).status_code == 204
    mine.token.refresh_from_db()
    assert mine.token.revoked_by == admin_user and not mine.token.is_active
    assert bearer(mine.raw).get(reverse("api:me")).status_code == 401


def test_a_deactivated_members_token_is_refused(reviewer):
    new = token_create(user=reviewer, name="old")
    reviewer.is_active = False
    reviewer.save()
    response = bearer(new.raw).get(reverse("api:me"))
    assert response.status_code == 401 and response.json()["code"] == "inactive_member"


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer fct_wrong", "Token nope"])
def test_a_malformed_or_unknown_token_is_a_401_with_the_challenge(header, reviewer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(reverse("api:me"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert set(response.json()) == {"detail", "code"}


def test_my_settings_page_creates_a_token_shows_it_once_and_revokes_it(reviewer_client, reviewer):
    response = reviewer_client.post(reverse("api:settings"), {"name": "Slack bot"})
    assert response.status_code == 200
    raw = response.context["new_token"].raw
    assert raw.encode() in response.content
    page = reviewer_client.get(reverse("api:settings"))
    assert b"Slack bot" in page.content and raw.encode() not in page.content
    assert b"never" in page.content  # not used yet
    bearer(raw).get(reverse("api:me"))
    assert b"never" not in reviewer_client.get(reverse("api:settings")).content
    token = ApiToken.objects.get()
    response = reviewer_client.post(reverse("api:settings_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == reviewer


def test_my_settings_page_refuses_a_nameless_token(reviewer_client):
    response = reviewer_client.post(reverse("api:settings"), {"name": "  "})
    assert response.status_code == 200 and response.context["new_token"] is None
    assert not ApiToken.objects.exists()


def test_admins_see_and_revoke_every_members_tokens_on_my_settings(admin_client_role, reviewer_client, reviewer):
    token = token_create(user=reviewer, name="reviewer's laptop").token
    page = admin_client_role.get(reverse("api:settings"))
    assert b"Every member" in page.content and b"laptop" in page.content
    assert b"Every member" not in reviewer_client.get(reverse("api:settings")).content
    admin_client_role.post(reverse("api:settings_token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert not token.is_active


def test_the_user_menu_links_to_my_settings(reviewer_client):
    page = reviewer_client.get(reverse("reviews:queue"))
    assert reverse("api:settings").encode() in page.content


# --- errors ---


def test_validation_errors_name_every_field_in_one_shape(editor_api):
    response = editor_api.post(
        reverse("api:score"), {"texts": ["ok", "x" * 6000, ""]}, format="json"
    )  # a too-long and a blank text
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) == {"texts.1", "texts.2"}
    assert body["errors"]["texts.1"][0]["code"] == "max_length"
    assert body["errors"]["texts.2"][0]["code"] == "blank"
    assert body["detail"].startswith("texts.1: ")


def test_filter_errors_are_400s_with_each_field(editor_api):
    response = editor_api.get(
        reverse("api:statement-list"),
        {"score_min": "0.9", "score_max": "0.1", "published_after": "yesterday", "review_status": "lost"},
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"published_after", "review_status"}  # field errors first; score order after those
    response = editor_api.get(reverse("api:statement-list"), {"score_min": "0.9", "score_max": "0.1"})
    assert response.json()["errors"] == {"score_max": [{"detail": "Must not be below score_min.", "code": "invalid"}]}


def test_service_validation_errors_come_out_in_the_same_shape(editor_api, reviewer):
    from tests.factories import StatementFactory

    statement = StatementFactory()
    response = editor_api.post(
        reverse("api:assignment-list"), {"statements": [statement.pk], "reviewers": [reviewer.pk + 1000]}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "reviewers" in body["errors"]


def test_unknown_api_paths_and_objects_are_json_404s(editor_api):
    for url in ["/api/v1/nowhere/", "/api/v2/statements/", reverse("api:statement-detail", args=[999999])]:
        response = editor_api.get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found", url


def test_a_malformed_json_body_is_a_400(editor_api):
    response = editor_api.generic("POST", reverse("api:score"), "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


# --- throttling ---


def test_each_token_has_its_own_budget_per_scope(settings, editor):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        "read": "3/minute", "write": "100/minute", "score": "2/minute", "import": "1/minute", "export": "1/minute",
    }}  # fmt: skip
    first = bearer(token_create(user=editor, name="one").raw)
    second = bearer(token_create(user=editor, name="two").raw)
    url = reverse("api:statement-list")
    assert [first.get(url).status_code for _ in range(3)] == [200, 200, 200]
    throttled = first.get(url)
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled" and int(throttled["Retry-After"]) > 0
    assert second.get(url).status_code == 200  # another token of the same member: its own budget
    score = reverse("api:score")
    body = {"texts": ["The council spent $48 million."]}
    assert [second.post(score, body, format="json").status_code for _ in range(3)] == [200, 200, 429]
    assert second.get(url).status_code == 200  # the score scope does not use up reads


def test_my_settings_says_when_a_member_has_too_many_tokens(reviewer_client, reviewer, settings):
    settings.API_MAX_TOKENS_PER_USER = 1
    token_create(user=reviewer, name="first")
    response = reviewer_client.post(reverse("api:settings"), {"name": "second"})
    assert response.status_code == 200 and b"Revoke one you no longer use" in response.content
    assert ApiToken.objects.count() == 1
