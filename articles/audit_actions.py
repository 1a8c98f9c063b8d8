"""The audit actions articles records, with how their history lines read."""

from factcheck.audit.actions import Action, change, register

STATEMENT_EDITED = "statement.edited"
STATEMENT_SPLIT = "statement.split"
STATEMENT_MERGED = "statement.merged"
STATEMENT_MARKED = "statement.marked"
CURATION_ACTIONS = (STATEMENT_EDITED, STATEMENT_SPLIT, STATEMENT_MERGED, STATEMENT_MARKED)
CLAIM_MATCH_CONFIRMED = "claim_match.confirmed"
CLAIM_MATCH_REJECTED = "claim_match.rejected"

CHECKABILITY_LABELS = {
    "checkable": "Checkable",
    "candidate": "Probably not checkable",
    "not_checkable": "Not checkable",
}


def _quoted(text: str) -> str:
    return f"“{text}”"


def _edited(before: dict, after: dict) -> str:
    return f"{_quoted(before.get('text', ''))} → {_quoted(after.get('text', ''))}"


def _split(before: dict, after: dict) -> str:
    first, second = after.get("first", {}), after.get("second", {})
    return f"{_quoted(before.get('text', ''))} → {_quoted(first.get('text', ''))} + {_quoted(second.get('text', ''))}"


def _merged(before: dict, after: dict) -> str:
    first, second = before.get("first", {}), before.get("second", {})
    return f"{_quoted(first.get('text', ''))} + {_quoted(second.get('text', ''))} → {_quoted(after.get('text', ''))}"


def _earlier(before: dict, after: dict) -> str:
    return f"same claim as statement #{after.get('earlier', '?')}?"


def register_actions() -> None:
    register(
        {
            STATEMENT_EDITED: Action("Edited text", _edited),
            STATEMENT_SPLIT: Action("Split", _split),
            STATEMENT_MERGED: Action("Merged", _merged),
            STATEMENT_MARKED: Action(
                "Changed checkability", change("checkability", lambda v: CHECKABILITY_LABELS.get(v, v))
            ),
            CLAIM_MATCH_CONFIRMED: Action("Confirmed an earlier check", _earlier),
            CLAIM_MATCH_REJECTED: Action("Rejected a suggested earlier check", _earlier),
            "importjob.running": Action("Started"),
            "importjob.done": Action("Finished"),
            "importjob.done_with_errors": Action("Finished with errors"),
            "importjob.failed": Action("Failed"),
        }
    )
