"""The audit actions of API tokens and webhooks, with how their history lines read."""

from factcheck.audit.actions import Action, register

TOKEN_CREATED = "api_token.created"  # noqa: S105 - an action name, not a token
TOKEN_REVOKED = "api_token.revoked"  # noqa: S105
WEBHOOK_CREATED = "webhook.created"
WEBHOOK_CHANGED = "webhook.changed"
WEBHOOK_DELETED = "webhook.deleted"


def _name(before: dict, after: dict) -> str:
    return (after or before).get("name", "") or (after or before).get("url", "")


def register_actions() -> None:
    register(
        {
            TOKEN_CREATED: Action("Created an API token", _name),
            TOKEN_REVOKED: Action("Revoked an API token", _name),
            WEBHOOK_CREATED: Action("Registered a webhook", _name),
            WEBHOOK_CHANGED: Action("Changed a webhook", _name),
            WEBHOOK_DELETED: Action("Removed a webhook", _name),
        }
    )
