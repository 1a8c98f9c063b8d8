"""The audit actions reviews records, with how their history lines read."""

from factcheck.audit.actions import Action, change, register

from . import verdicts

STATEMENT_ASSIGNED = "statement.assigned"
STATEMENT_UNASSIGNED = "statement.unassigned"
STATEMENT_RATED = "statement.rated"
STATEMENT_RATING_EDITED = "statement.rating_edited"
STATEMENT_SETTLED = "statement.settled"
STATEMENT_REASSIGNED = "statement.reassigned"
STATEMENT_DUE_CHANGED = "statement.due_changed"
BATCH_CONFIRMED = "assignment_batch.confirmed"
BATCH_UNDONE = "assignment_batch.undone"
CAPACITY_SET = "member.capacity_set"
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


def _due_change(before: dict, after: dict) -> str:
    who = after.get("reviewer") or before.get("reviewer")
    text = f"{(before.get('due') or '')[:16].replace('T', ' ')} → {(after.get('due') or '')[:16].replace('T', ' ')}"
    return f"{who}: {text}" if who else text


def _batch(before: dict, after: dict) -> str:
    count = after.get("assignments", 0)
    return f"{count} assignment{'s' if count != 1 else ''}"


def _report_claims(before: dict, after: dict) -> str:
    """What a report save or publication did, e.g. "3 claims, 1 left out, 2 edited" (older events: nothing)."""
    if "claims" not in after:
        return ""
    parts = [f"{after['claims']} claim{'s' if after['claims'] != 1 else ''}"]
    if after.get("left_out"):
        parts.append(f"{after['left_out']} left out")
    if after.get("edited"):
        parts.append(f"{len(after['edited'])} edited")
    return ", ".join(parts)


def register_actions() -> None:
    verdict = change("verdict", verdicts.label)
    register(
        {
            STATEMENT_ASSIGNED: Action("Assigned", change("reviewer")),
            STATEMENT_UNASSIGNED: Action("Unassigned", change("reviewer")),
            STATEMENT_REASSIGNED: Action("Reassigned", change("reviewer")),
            STATEMENT_DUE_CHANGED: Action("Changed the due date", _due_change),
            BATCH_CONFIRMED: Action("Auto-assigned", _batch),
            BATCH_UNDONE: Action("Undid an auto-assign", _batch),
            CAPACITY_SET: Action("Set capacity", change("capacity")),
            STATEMENT_RATED: Action("Rated", verdict),
            STATEMENT_RATING_EDITED: Action("Edited rating", _edited(verdict)),
            STATEMENT_SETTLED: Action("Settled", verdict),
            STATEMENT_SETTLED_BY_REFERENCE: Action(
                "Settled by reference", lambda before, after: f"as statement #{after.get('earlier', '?')} was"
            ),
            REPORT_SAVED: Action("Saved draft", _report_claims),
            REPORT_PUBLISHED: Action("Published", _report_claims),
            REPORT_REPUBLISHED: Action("Published an update", _report_claims),
            REPORT_WITHDRAWN: Action("Withdrew"),
            "member.created": Action("Added", change("role")),
            "member.role_changed": Action("Changed role", change("role")),
            "member.deactivated": Action("Deactivated"),
            "member.activated": Action("Reactivated"),
            "member.password_reset": Action("Set a new password"),
        }
    )
