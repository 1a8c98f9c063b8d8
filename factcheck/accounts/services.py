"""Desk members: an admin adds reviewers and editors, changes their role, deactivates them and resets
their passwords in the app. A member holds one role (a group from roles.ROLE_PERMISSIONS) at a time.
Every change is written to the audit trail in the same transaction."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q

from factcheck.audit.services import Ref, record

from . import policy
from .audit_actions import (
    LOGIN_LOCKOUT_LIFTED,
    MEMBER_ACTIVATED,
    MEMBER_BYLINE_CONSENT,
    MEMBER_CREATED,
    MEMBER_DEACTIVATED,
    MEMBER_PASSWORD_RESET,
)
from .models import MemberProfile
from .roles import ROLE_NAMES, ROLE_PERMISSIONS, Role
from .selectors import USERNAME_MAX, member_is_manageable

logger = logging.getLogger(__name__)
User = get_user_model()


def _require_manageable(*, user, actor) -> None:
    if not member_is_manageable(user=user, actor=actor):
        raise PermissionDenied("Superuser and staff accounts are managed in the Django admin by a superuser.")


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise ValidationError({"role": f"Choose one of: {', '.join(ROLE_NAMES)}."}) from None


def _role_group(role: Role) -> Group:
    try:
        return Group.objects.get(name=role.value)
    except Group.DoesNotExist:
        raise ValidationError(f"The {role.value} group is missing; run `manage.py migrate`.") from None


@transaction.atomic
def member_create(*, username: str, full_name: str, email: str, role: str, password: str, created_by) -> User:
    """Create an active account with one role. Raises ValidationError keyed by field."""
    policy.require(policy.can_manage_members, created_by)
    username = username.strip()
    errors: dict[str, list[str]] = {}
    try:
        User.username_validator(username)
        if len(username) > USERNAME_MAX:
            raise ValidationError(f"Use at most {USERNAME_MAX} characters.")
    except ValidationError as exc:
        errors["username"] = exc.messages
    else:
        if User.objects.filter(username__iexact=username).exists():
            errors["username"] = [f"“{username}” is already taken; choose another username."]
    email = User.objects.normalize_email(email.strip())
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            errors["email"] = exc.messages
    role_value = _role(role)
    first_name, _, last_name = " ".join(full_name.split()).partition(" ")
    user = User(username=username, first_name=first_name, last_name=last_name, email=email, is_active=True)
    try:
        # With the user, so the similarity validator can refuse a password like the username or name.
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    user.groups.add(_role_group(role_value))
    record(MEMBER_CREATED, user, actor=created_by, after={"role": role_value.value})
    logger.info("member %s created with role %s by %s", user.username, role_value, created_by.username)
    return user


@transaction.atomic
def member_set_role(*, user, role: str, changed_by) -> None:
    """Give the member exactly this role; their other role groups are removed."""
    policy.require(policy.can_manage_members, changed_by)
    _require_manageable(user=user, actor=changed_by)
    new_role = _role(role)
    if user.pk == changed_by.pk and new_role != Role.ADMIN:
        raise ValidationError("You cannot take away your own Admin role; ask another admin to do it.")
    old = sorted(user.groups.filter(name__in=ROLE_NAMES).values_list("name", flat=True))
    user.groups.remove(*Group.objects.filter(name__in=ROLE_NAMES).exclude(name=new_role.value))
    user.groups.add(_role_group(new_role))
    record(
        "member.role_changed", user, actor=changed_by, before={"role": ", ".join(old)}, after={"role": new_role.value}
    )
    logger.info("member %s role %s → %s by %s", user.username, old, new_role.value, changed_by.username)


@transaction.atomic
def member_set_active(*, user, active: bool, changed_by) -> None:
    """Deactivate (the account and its history stay; it can no longer log in) or reactivate a member."""
    policy.require(policy.can_manage_members, changed_by)
    _require_manageable(user=user, actor=changed_by)
    if user.pk == changed_by.pk and not active:
        raise ValidationError("You cannot deactivate your own account; ask another admin to do it.")
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(MEMBER_ACTIVATED if active else MEMBER_DEACTIVATED, user, actor=changed_by)
    logger.info("member %s %s by %s", user.username, "activated" if active else "deactivated", changed_by.username)


@transaction.atomic
def member_reset_password(*, user, password: str, changed_by) -> None:
    """Set a new password (checked by the password validators); the member's open sessions end."""
    policy.require(policy.can_manage_members, changed_by)
    _require_manageable(user=user, actor=changed_by)
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    record(MEMBER_PASSWORD_RESET, user, actor=changed_by)
    logger.info("member %s password reset by %s", user.username, changed_by.username)


def roles_ensure() -> None:
    """Create the role groups with their permissions if missing (the data migrations do this too; tests
    that flush the database and fresh setups call it again)."""
    for role, dotted_perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        query = Q()
        for dotted in dotted_perms:
            app_label, codename = dotted.split(".")
            query |= Q(content_type__app_label=app_label, codename=codename)
        found = list(Permission.objects.filter(query))
        if len(found) != len(dotted_perms):
            # A flush removes permissions until post_migrate recreates them; recreate what is missing now.
            from django.apps import apps
            from django.contrib.auth.management import create_permissions

            for app_config in apps.get_app_configs():
                create_permissions(app_config, verbosity=0)
            found = list(Permission.objects.filter(query))
        group.permissions.add(*found)


@transaction.atomic
def login_lockout_lift(*, attempt_id: int, lifted_by) -> None:
    """Let a locked-out account or address sign in again (an admin's decision, kept in the audit trail)."""
    from axes.models import AccessAttempt
    from axes.utils import reset

    policy.require(policy.can_manage_members, lifted_by)
    attempt = AccessAttempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        raise ValidationError("That lock has already been lifted or has expired.")
    # Both the account and the address: either may be what locked the sign-in.
    if attempt.username:
        reset(username=attempt.username)
    if attempt.ip_address:
        reset(ip=attempt.ip_address)
    target = User.objects.filter(username=attempt.username).first() or Ref("axes.accessattempt", attempt_id)
    after = {"username": attempt.username, "address": attempt.ip_address}
    record(LOGIN_LOCKOUT_LIFTED, target, actor=lifted_by, after=after)
    logger.info("login lock of %s from %s lifted by %s", attempt.username, attempt.ip_address, lifted_by.username)


@transaction.atomic
def member_byline_consent_set(*, member, named: bool) -> MemberProfile:
    """A member says whether published fact-checks whose verdicts they gave may name them. Only the member
    decides it, and a change shows on every published report at once (bylines are read, not copied)."""
    if not member.is_authenticated:
        raise PermissionDenied("Sign in to choose whether reports may name you.")
    profile, _ = MemberProfile.objects.select_for_update().get_or_create(user=member)
    if profile.named_in_bylines == named:
        return profile
    before = profile.named_in_bylines
    profile.named_in_bylines = named
    profile.save(update_fields=["named_in_bylines", "updated_at"])
    record(MEMBER_BYLINE_CONSENT, member, actor=member, before={"named": before}, after={"named": named})
    return profile
