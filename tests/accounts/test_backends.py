"""The one-query permission backend answers exactly as Django's ModelBackend does, in one query."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, Group, Permission

from factcheck.accounts.backends import OneQueryModelBackend

pytestmark = pytest.mark.django_db


def fresh(user):
    """The same user without the permission caches a previous question left on the object."""
    return get_user_model().objects.get(pk=user.pk)


def with_own_and_group_permissions():
    user = get_user_model().objects.create_user("mixed", password="x")
    own = Permission.objects.get(codename="view_group")
    in_both = Permission.objects.get(codename="change_group")
    group = Group.objects.create(name="a group")
    group.permissions.add(in_both, Permission.objects.get(codename="add_permission"))
    user.user_permissions.add(own, in_both)
    user.groups.add(group, Group.objects.create(name="an empty group"))
    return user


@pytest.mark.parametrize("role", ["reviewer", "editor", "admin_user", "no_role_user"])
def test_each_role_gets_modelbackends_permissions(request, role):
    user = request.getfixturevalue(role)
    expected = ModelBackend().get_all_permissions(fresh(user))
    assert bool(expected) == (role != "no_role_user")
    assert OneQueryModelBackend().get_all_permissions(fresh(user)) == expected


def test_own_and_group_permissions_together():
    user = with_own_and_group_permissions()
    got = OneQueryModelBackend().get_all_permissions(fresh(user))
    assert got == ModelBackend().get_all_permissions(fresh(user))
    assert got == {"auth.view_group", "auth.change_group", "auth.add_permission"}


def test_superuser_holds_every_permission_and_inactive_or_anonymous_none(editor):
    boss = get_user_model().objects.create_superuser("boss", password="x")
    assert OneQueryModelBackend().get_all_permissions(fresh(boss)) == ModelBackend().get_all_permissions(fresh(boss))
    assert len(OneQueryModelBackend().get_all_permissions(fresh(boss))) == Permission.objects.count()
    editor.is_active = False
    editor.save()
    assert OneQueryModelBackend().get_all_permissions(fresh(editor)) == set()
    assert OneQueryModelBackend().get_all_permissions(AnonymousUser()) == set()
    assert not OneQueryModelBackend().has_perm(fresh(editor), "reviews.view_statementsummary")


def test_one_query_then_cached_for_the_request(django_assert_num_queries):
    user = fresh(with_own_and_group_permissions())
    with django_assert_num_queries(1):
        assert user.has_perm("auth.add_permission")
        assert user.has_perm("auth.view_group")
        assert not user.has_perm("auth.delete_group")


def test_it_is_the_backend_in_use():
    assert "factcheck.accounts.backends.OneQueryModelBackend" in settings.AUTHENTICATION_BACKENDS
    assert "django.contrib.auth.backends.ModelBackend" not in settings.AUTHENTICATION_BACKENDS
