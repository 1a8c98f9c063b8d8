"""The desk's roles and the permissions each holds. Groups are made from this by a data migration and by
services.roles_ensure; a member holds one role at a time."""

from enum import StrEnum


class Role(StrEnum):
    REVIEWER = "Reviewer"
    EDITOR = "Editor"
    ADMIN = "Admin"


# Each permission is declared in the Meta of the model it is about (dotted "app_label.codename").
RATE = "reviews.rate_statements"  # Rating
ASSIGN = "reviews.assign_statements"  # Assignment
SETTLE = "reviews.settle_statements"  # StatementSummary
PUBLISH = "reviews.publish_reports"  # Report
VIEW_ARTICLES = "articles.view_article"  # Article (Django's default view permission)
CURATE = "articles.curate_statements"  # Statement
IMPORT = "articles.import_articles"  # ImportJob
MANAGE_MEMBERS = "accounts.manage_members"  # accounts.Member

_EDITOR = [VIEW_ARTICLES, ASSIGN, SETTLE, CURATE, PUBLISH]
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.REVIEWER: [RATE],
    Role.EDITOR: _EDITOR,
    Role.ADMIN: [*_EDITOR, IMPORT, MANAGE_MEMBERS],
}
ROLE_NAMES = [role.value for role in Role]
