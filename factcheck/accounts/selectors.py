"""Reads about desk members: the team list, who may manage whom, a member's history."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from factcheck.audit.selectors import history

from .models import MemberProfile
from .roles import ROLE_NAMES, Role

User = get_user_model()
USERNAME_MAX = User._meta.get_field("username").max_length


def members() -> QuerySet:
    """Every account with its role groups, active ones first: two queries however many members."""
    return User.objects.prefetch_related(
        Prefetch("groups", queryset=Group.objects.filter(name__in=ROLE_NAMES).order_by("name"))
    ).order_by("-is_active", "username")


def members_with_role(role: Role) -> QuerySet:
    """Active members holding `role`."""
    return User.objects.filter(is_active=True, groups__name=role.value).distinct()


def member_is_manageable(*, user, actor) -> bool:
    """Admins manage desk accounts; resetting a superuser's or staff member's password would hand over the
    Django admin, so only a superuser may change those."""
    return actor.is_superuser or not (user.is_superuser or user.is_staff)


def member_named_in_bylines(*, user) -> bool:
    """Whether the member said published reports may name them (no profile yet: no)."""
    return MemberProfile.objects.filter(user_id=user.pk, named_in_bylines=True).exists()


def member_history(*, user, limit: int = 50):
    """The latest membership changes of one member, newest first, with who made them."""
    return history(of=user).reverse()[:limit]


def login_lockouts() -> QuerySet:
    """Accounts and addresses locked out by too many wrong passwords, still within their cool-off, newest first."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")
