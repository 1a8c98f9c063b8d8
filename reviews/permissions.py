"""Roles and what each may do. Groups are created by a data migration from ROLE_PERMISSIONS."""

from enum import StrEnum


class Role(StrEnum):
    REVIEWER = "Reviewer"
    EDITOR = "Editor"
    ADMIN = "Admin"


RATE = "reviews.rate_statements"
ASSIGN = "reviews.assign_statements"
SETTLE = "reviews.settle_statements"
VIEW_ARTICLES = "articles.view_article"
CURATE = "articles.curate_statements"
IMPORT = "articles.import_articles"
PUBLISH = "reviews.publish_reports"
# Not declared in a model's Meta (that would change a migration others depend on): migration 0006 and
# reviews.services.roles_ensure create it on the Assignment content type from UNDECLARED_PERMISSIONS.
MANAGE_MEMBERS = "reviews.manage_members"
UNDECLARED_PERMISSIONS: dict[str, tuple[str, str]] = {
    MANAGE_MEMBERS: ("assignment", "Can add desk members and change their roles"),
}

_EDITOR = [VIEW_ARTICLES, ASSIGN, SETTLE, CURATE, PUBLISH]
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.REVIEWER: [RATE],
    Role.EDITOR: _EDITOR,
    Role.ADMIN: [*_EDITOR, IMPORT, MANAGE_MEMBERS],
}


def can_rate(user) -> bool:
    return user.is_authenticated and user.has_perm(RATE)


def can_edit(user) -> bool:
    """Editors and admins: see all articles, assign, settle, curate."""
    return user.is_authenticated and user.has_perm(ASSIGN)


def can_publish(user) -> bool:
    """Editors and admins: publish and withdraw fact-check reports, preview drafts."""
    return user.is_authenticated and user.has_perm(PUBLISH)


def can_import(user) -> bool:
    return user.is_authenticated and user.has_perm(IMPORT)


def can_manage_members(user) -> bool:
    """Admins: add desk members, change their roles, deactivate them, reset their passwords."""
    return user.is_authenticated and user.has_perm(MANAGE_MEMBERS)


def roles_of(user) -> list[str]:
    if not user.is_authenticated:
        return []
    names = {g.name for g in user.groups.all()}
    return [role.value for role in Role if role.value in names]
