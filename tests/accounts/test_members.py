"""The Team area: admins add desk members, change roles, deactivate them and reset passwords."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from factcheck.accounts import services
from factcheck.accounts.policy import can_manage_members, roles_of
from factcheck.accounts.roles import Role
from reviews.models import Assignment
from reviews.selectors.assignments import open_assignment_counts
from tests.conftest import signs_in
from tests.factories import AssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
GOOD_PASSWORD = "paper lantern 42 river"


def _add_form(**overrides):
    data = {
        "username": "newrev",
        "full_name": "Nadia Reviewer",
        "email": "nadia@example.org",
        "role": "Reviewer",
        "password": GOOD_PASSWORD,
        "password_confirm": GOOD_PASSWORD,
    }
    return {**data, **overrides}


def _role_names(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def test_admin_adds_a_reviewer_who_can_log_in_and_sees_the_queue(admin_client_role):
    response = admin_client_role.post(reverse("reviews:members"), _add_form())
    assert response.status_code == 302
    user = User.objects.get(username="newrev")
    assert (user.first_name, user.last_name, user.is_active) == ("Nadia", "Reviewer", True)
    assert _role_names(user) == ["Reviewer"]

    browser = Client()
    response = browser.post(reverse("login"), {"username": "newrev", "password": GOOD_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reviews:queue")
    assert response.status_code == 200
    assert b"Team" not in response.content.split(b"</nav>")[0]  # reviewers get no Team link


def test_admin_sees_the_team_link_and_the_new_member_in_the_list(admin_client_role, admin_user):
    services.member_create(
        username="ed2", full_name="", email="", role="Editor", password=GOOD_PASSWORD, created_by=admin_user
    )
    response = admin_client_role.get(reverse("reviews:members"))
    assert f'href="{reverse("reviews:members")}">Team</a>'.encode() in response.content
    assert b"ed2" in response.content


def test_admin_role_holds_the_manage_members_permission_and_editors_do_not(admin_user, editor, reviewer):
    assert can_manage_members(admin_user)
    assert not can_manage_members(editor)
    assert not can_manage_members(reviewer)


def test_username_must_be_new_regardless_of_case(admin_user, reviewer):
    with pytest.raises(ValidationError) as exc:
        services.member_create(
            username=reviewer.username.upper(),
            full_name="",
            email="",
            role="Reviewer",
            password=GOOD_PASSWORD,
            created_by=admin_user,
        )
    assert "already taken" in exc.value.message_dict["username"][0]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "This password is too short. It must contain at least 8 characters."),
        ("password123", "This password is too common."),
        ("8412907365", "This password is entirely numeric."),
        ("newrev12", "The password is too similar to the username."),
    ],
)
def test_weak_password_is_refused_with_the_validators_message(admin_client_role, password, message):
    response = admin_client_role.post(
        reverse("reviews:members"), _add_form(password=password, password_confirm=password)
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors["password"]
    assert not User.objects.filter(username="newrev").exists()


def test_the_two_passwords_must_match(admin_client_role):
    response = admin_client_role.post(reverse("reviews:members"), _add_form(password_confirm="something else 9"))
    assert response.status_code == 200
    assert "differ" in response.context["form"].errors["password_confirm"][0]
    assert not User.objects.filter(username="newrev").exists()


def test_role_change_leaves_exactly_one_role(admin_client_role, reviewer):
    reviewer.groups.add(Group.objects.get(name="Editor"))  # e.g. set up by hand in the Django admin
    response = admin_client_role.post(
        reverse("reviews:member_detail", args=[reviewer.pk]), {"action": "role", "role": "Editor"}
    )
    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert _role_names(reviewer) == ["Editor"]
    assert roles_of(reviewer) == [Role.EDITOR.value]


def test_deactivated_member_cannot_log_in_and_is_logged_out(admin_client_role, reviewer):
    session = Client()
    session.force_login(reviewer)
    response = admin_client_role.post(reverse("reviews:member_detail", args=[reviewer.pk]), {"action": "deactivate"})
    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert not reviewer.is_active
    assert User.objects.filter(pk=reviewer.pk).exists()  # deactivated, not deleted
    assert not signs_in(reviewer.username, "correct horse battery staple")
    assert session.get(reverse("reviews:queue")).status_code == 302  # back to the login page

    admin_client_role.post(reverse("reviews:member_detail", args=[reviewer.pk]), {"action": "activate"})
    assert signs_in(reviewer.username, "correct horse battery staple")


def test_admin_cannot_deactivate_themselves(admin_client_role, admin_user):
    response = admin_client_role.post(
        reverse("reviews:member_detail", args=[admin_user.pk]), {"action": "deactivate"}, follow=True
    )
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert b"cannot deactivate your own account" in response.content


def test_admin_cannot_remove_their_own_admin_role(admin_client_role, admin_user):
    response = admin_client_role.post(
        reverse("reviews:member_detail", args=[admin_user.pk]), {"action": "role", "role": "Editor"}, follow=True
    )
    assert _role_names(admin_user) == ["Admin"]
    assert b"cannot take away your own Admin role" in response.content


def test_another_admin_can_demote_an_admin(admin_user):
    second = services.member_create(
        username="admin2", full_name="", email="", role="Admin", password=GOOD_PASSWORD, created_by=admin_user
    )
    services.member_set_role(user=admin_user, role="Reviewer", changed_by=second)
    assert _role_names(admin_user) == ["Reviewer"]


def test_reset_password_checks_validators_and_logs_the_member_out(admin_client_role, reviewer):
    url = reverse("reviews:member_detail", args=[reviewer.pk])
    response = admin_client_role.post(url, {"action": "password", "password": "abc", "password_confirm": "abc"})
    assert response.status_code == 200
    errors = response.context["password_form"].errors["password"]
    assert "This password is too short. It must contain at least 8 characters." in errors

    session = Client()
    session.force_login(reviewer)
    data = {"action": "password", "password": GOOD_PASSWORD, "password_confirm": GOOD_PASSWORD}
    assert admin_client_role.post(url, data).status_code == 302
    assert signs_in(reviewer.username, GOOD_PASSWORD)
    assert session.get(reverse("reviews:queue")).status_code == 302


def test_admin_resetting_their_own_password_stays_logged_in(admin_client_role, admin_user):
    url = reverse("reviews:member_detail", args=[admin_user.pk])
    data = {"action": "password", "password": GOOD_PASSWORD, "password_confirm": GOOD_PASSWORD}
    assert admin_client_role.post(url, data).status_code == 302
    assert admin_client_role.get(reverse("reviews:members")).status_code == 200


def test_admins_cannot_take_over_superuser_accounts(admin_client_role, admin_user):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    with pytest.raises(PermissionDenied):
        services.member_reset_password(user=root, password=GOOD_PASSWORD, changed_by=admin_user)
    with pytest.raises(PermissionDenied):
        services.member_set_active(user=root, active=False, changed_by=admin_user)
    response = admin_client_role.get(reverse("reviews:member_detail", args=[root.pk]))
    assert b'name="action"' not in response.content


@pytest.mark.parametrize("who", ["reviewer", "editor"])
def test_reviewers_and_editors_get_403_and_the_services_refuse_them(request, client, who):
    actor = request.getfixturevalue(who)
    target = UserFactory(username="target")
    client.force_login(actor)
    assert client.get(reverse("reviews:members")).status_code == 403
    assert client.post(reverse("reviews:members"), _add_form()).status_code == 403
    assert client.post(reverse("reviews:member_detail", args=[target.pk]), {"action": "deactivate"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.member_create(
            username="x1", full_name="", email="", role="Admin", password=GOOD_PASSWORD, created_by=actor
        )
    with pytest.raises(PermissionDenied):
        services.member_set_role(user=actor, role="Admin", changed_by=actor)
    with pytest.raises(PermissionDenied):
        services.member_set_active(user=target, active=False, changed_by=actor)
    with pytest.raises(PermissionDenied):
        services.member_reset_password(user=target, password=GOOD_PASSWORD, changed_by=actor)
    assert not User.objects.filter(username="x1").exists()
    assert target.is_active


def test_unknown_role_is_refused(admin_user, reviewer):
    with pytest.raises(ValidationError) as exc:
        services.member_set_role(user=reviewer, role="Superuser", changed_by=admin_user)
    assert "role" in exc.value.message_dict


def test_open_assignment_counts_count_only_what_is_left_to_rate(reviewer):
    AssignmentFactory.create_batch(2, reviewer=reviewer)
    AssignmentFactory(reviewer=reviewer, status=Assignment.Status.DONE)
    assert open_assignment_counts(user_ids=[reviewer.pk]) == {reviewer.pk: 2}


@pytest.mark.parametrize("n", [2, 20])
def test_team_page_query_count_is_fixed(admin_client_role, n, django_assert_max_num_queries):
    reviewer_group = Group.objects.get(name="Reviewer")
    for i in range(n):
        user = UserFactory(username=f"member{i}")
        user.groups.add(reviewer_group)
        AssignmentFactory(reviewer=user)
    # session, user, permissions (2), member count, members, their roles, open counts, unread notices, sign-in locks
    with django_assert_max_num_queries(10):
        response = admin_client_role.get(reverse("reviews:members"))
    assert response.status_code == 200
    assert response.content.count(b'class="member-row') == n + 1  # and the admin


def test_roles_ensure_recreates_the_manage_members_permission_after_a_flush():
    from django.contrib.auth.models import Permission

    from factcheck.accounts.services import roles_ensure

    Permission.objects.filter(codename="manage_members").delete()  # what a flush leaves behind
    roles_ensure()
    user = UserFactory(username="fresh_admin")
    user.groups.add(Group.objects.get(name="Admin"))
    assert can_manage_members(user)


def test_every_membership_change_leaves_a_history_row(admin_user, admin_client_role):
    from django.urls import reverse

    from factcheck.audit.models import AuditEvent

    member = services.member_create(
        username="newbie",
        full_name="New Bie",
        email="",
        role="Reviewer",
        password="a-long-Passphrase-9",
        created_by=admin_user,
    )
    services.member_set_role(user=member, role="Editor", changed_by=admin_user)
    services.member_set_active(user=member, active=False, changed_by=admin_user)
    services.member_reset_password(user=member, password="another-long-Passphrase-7", changed_by=admin_user)
    events = list(
        AuditEvent.objects.filter(target_type="auth.user", target_id=member.pk)
        .order_by("pk")
        .values_list("action", "before", "after")
    )
    assert events == [
        ("member.created", {}, {"role": "Reviewer"}),
        ("member.role_changed", {"role": "Reviewer"}, {"role": "Editor"}),
        ("member.deactivated", {}, {}),
        ("member.password_reset", {}, {}),
    ]
    assert set(AuditEvent.objects.values_list("actor", flat=True)) == {admin_user.pk}
    page = admin_client_role.get(reverse("reviews:member_detail", args=[member.pk])).content.decode()
    assert "Changed role" in page and "Reviewer → Editor" in page
