"""One permission policy: each action has one predicate, and pages and services ask the same one."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from factcheck.accounts import policy
from reviews.services import settlement
from tests.factories import StatementFactory, UserFactory

pytestmark = pytest.mark.django_db

PREDICATES = [
    policy.can_rate,
    policy.can_view_articles,
    policy.can_assign,
    policy.can_settle,
    policy.can_curate,
    policy.can_publish,
    policy.can_import,
    policy.can_manage_members,
]
# role -> which predicates hold, in PREDICATES order
HOLDS = {
    "reviewer": [1, 0, 0, 0, 0, 0, 0, 0],
    "editor": [0, 1, 1, 1, 1, 1, 0, 0],
    "admin_user": [0, 1, 1, 1, 1, 1, 1, 1],
    "no_role_user": [0, 0, 0, 0, 0, 0, 0, 0],
}


@pytest.mark.parametrize("role", list(HOLDS))
def test_each_role_holds_exactly_its_actions(request, role):
    user = request.getfixturevalue(role)
    assert [int(check(user)) for check in PREDICATES] == HOLDS[role]


def test_a_deactivated_member_holds_nothing(editor):
    editor.is_active = False
    assert not any(check(editor) for check in PREDICATES)


def test_page_and_service_agree_when_a_desk_splits_assigning_from_settling():
    """A custom group that may assign but not settle: the settle page and the settle service both refuse,
    and assigning still works — the two gates cannot drift apart."""
    group = Group.objects.create(name="Assigner")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="articles", codename="view_article"),
        Permission.objects.get(content_type__app_label="reviews", codename="assign_statements"),
    )
    user = UserFactory(username="assigner")
    user.groups.add(group)
    statement = StatementFactory()
    client = Client()
    client.force_login(user)

    assert client.get(reverse("reviews:statement_review", args=[statement.pk])).status_code == 200
    assert (
        client.post(reverse("reviews:statement_settle", args=[statement.pk]), {"verdict": "false"}).status_code == 403
    )
    with pytest.raises(PermissionDenied, match="Only editors can settle statements."):
        settlement.statement_settle(statement=statement, editor=user, verdict="false")
    assert client.get(reverse("articles:statement_curate", args=[statement.pk])).status_code == 403
    assert client.post(reverse("reviews:scoring_models")).status_code == 403


def test_every_permission_of_the_policy_is_declared_on_a_model():
    from django.apps import apps

    from factcheck.accounts import roles

    declared = set()
    for model in apps.get_models():
        for codename, _ in model._meta.permissions:
            declared.add(f"{model._meta.app_label}.{codename}")
        for action in model._meta.default_permissions:
            declared.add(f"{model._meta.app_label}.{action}_{model._meta.model_name}")
    wanted = {perm for perms in roles.ROLE_PERMISSIONS.values() for perm in perms}
    assert wanted <= declared
