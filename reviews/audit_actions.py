"""The audit actions reviews records, with how their history lines read."""

from factcheck.audit.actions import Action, change, register

from . import verdicts

STATEMENT_ASSIGNED = "statement.assigned"
STATEMENT_UNASSIGNED = "statement.unassigned"
STATEMENT_RATED = "statement.rated"
STATEMENT_RATING_EDITED = "statement.rating_edited"
STATEMENT_SETTLED = "statement.settled"
STATEMENT_SETTLED_BY_REFERENCE = "statement.settled_by_reference"
REPORT_SAVED = "report.saved"
REPORT_PUBLISHED = "report.published"
REPORT_REPUBLISHED = "report.republished"
REPORT_WITHDRAWN = "report.withdrawn"


def _edited(verdict_change):
    def describe(before: dict, after: dict) -> str:
        text = verdict_change(before, after)
        return f"{text} (revised after seeing other ratings)" if after.get("after_seeing_others") else text

    return describe


def register_actions() -> None:
    verdict = change("verdict", verdicts.label)
    register(
        {
            STATEMENT_ASSIGNED: Action("Assigned", change("reviewer")),
            STATEMENT_UNASSIGNED: Action("Unassigned", change("reviewer")),
            STATEMENT_RATED: Action("Rated", verdict),
            STATEMENT_RATING_EDITED: Action("Edited rating", _edited(verdict)),
            STATEMENT_SETTLED: Action("Settled", verdict),
            STATEMENT_SETTLED_BY_REFERENCE: Action(
                "Settled by reference", lambda before, after: f"as statement #{after.get('earlier', '?')} was"
            ),
            REPORT_SAVED: Action("Saved draft"),
            REPORT_PUBLISHED: Action("Published"),
            REPORT_REPUBLISHED: Action("Published an update"),
            REPORT_WITHDRAWN: Action("Withdrew"),
            "member.created": Action("Added", change("role")),
            "member.role_changed": Action("Changed role", change("role")),
            "member.deactivated": Action("Deactivated"),
            "member.activated": Action("Reactivated"),
            "member.password_reset": Action("Set a new password"),
        }
    )
