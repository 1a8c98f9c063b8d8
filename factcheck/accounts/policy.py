"""The permission policy: one predicate per action. View decorators and services ask the same predicate,
so a page and the service behind it can never disagree about who may do what."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied

from . import roles

Check = Callable[[object], bool]


def _holds(permission: str, user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.has_perm(permission))


def can_rate(user) -> bool:
    """Reviewers: rate the statements assigned to them."""
    return _holds(roles.RATE, user)


def can_view_articles(user) -> bool:
    """Editors and admins: see every article, statement, rating and the desk's figures."""
    return _holds(roles.VIEW_ARTICLES, user)


def can_search(user) -> bool:
    """Reviewers, editors and admins: search what they may see (the search scopes the results to it)."""
    return can_view_articles(user) or can_rate(user)


def can_assign(user) -> bool:
    """Editors and admins: assign statements to reviewers and take them back."""
    return _holds(roles.ASSIGN, user)


def can_settle(user) -> bool:
    """Editors and admins: decide a statement's final verdict."""
    return _holds(roles.SETTLE, user)


def can_curate(user) -> bool:
    """Editors and admins: edit, split, merge and mark statements; train the check-worthiness scorer."""
    return _holds(roles.CURATE, user)


def can_publish(user) -> bool:
    """Editors and admins: publish and withdraw fact-check reports, preview drafts, export verdicts."""
    return _holds(roles.PUBLISH, user)


def can_import(user) -> bool:
    """Admins: import articles and manage feeds."""
    return _holds(roles.IMPORT, user)


def can_manage_members(user) -> bool:
    """Admins: add desk members, change their roles, deactivate them, reset their passwords."""
    return _holds(roles.MANAGE_MEMBERS, user)


REFUSALS: dict[Check, str] = {
    can_rate: "Only reviewers can rate statements.",
    can_view_articles: "Only editors can see the desk's articles.",
    can_search: "Only desk members can search.",
    can_assign: "Only editors can assign statements.",
    can_settle: "Only editors can settle statements.",
    can_curate: "Only editors can curate statements.",
    can_publish: "Only editors can publish or withdraw fact-check reports.",
    can_import: "Only admins can import articles.",
    can_manage_members: "Only admins can manage desk members.",
}


def require(check: Check, user, message: str = "") -> None:
    """Raise PermissionDenied, with a sentence for people, unless `check(user)` holds."""
    if not check(user):
        raise PermissionDenied(message or REFUSALS[check])


def roles_of(user) -> list[str]:
    """The user's role names, in Reviewer, Editor, Admin order."""
    if not user.is_authenticated:
        return []
    names = {group.name for group in user.groups.all()}
    return [name for name in roles.ROLE_NAMES if name in names]
