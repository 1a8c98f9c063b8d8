"""The audit actions of desk membership, with how their history lines read."""

from factcheck.audit.actions import Action, change, register

MEMBER_CREATED = "member.created"
MEMBER_ROLE_CHANGED = "member.role_changed"
MEMBER_DEACTIVATED = "member.deactivated"
MEMBER_ACTIVATED = "member.activated"
LOGIN_LOCKOUT_LIFTED = "member.lockout_lifted"
MEMBER_BYLINE_CONSENT = "member.byline_consent"
MEMBER_PASSWORD_RESET = "member.password_reset"  # noqa: S105 - an action name, not a password


def register_actions() -> None:
    role = change("role")
    register(
        {
            MEMBER_CREATED: Action("Added", role),
            MEMBER_ROLE_CHANGED: Action("Changed role", role),
            MEMBER_DEACTIVATED: Action("Deactivated"),
            MEMBER_ACTIVATED: Action("Reactivated"),
            MEMBER_PASSWORD_RESET: Action("Set a new password"),
            MEMBER_BYLINE_CONSENT: Action(
                "Chose about bylines",
                lambda before, after: "may be named in reports" if after.get("named") else "not to be named in reports",
            ),
            LOGIN_LOCKOUT_LIFTED: Action("Lifted a sign-in lock", lambda before, after: after.get("address", "")),
        }
    )
