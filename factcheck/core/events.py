"""Things that happened on the desk, announced by the services for whoever listens.

A service calls ``announce(IMPORT_FINISHED, job_id=...)`` where the event happens, inside its transaction.
Listeners (the API's webhooks, ``factcheck.api.events``; notices and e-mails, ``factcheck.notifications.events``)
connect to ``desk_event`` and write what they need in that same transaction, so a rolled-back change announces
nothing, and what they send (webhooks, e-mails) is sent only after it commits. This is an explicit announcement a
service makes, not a model signal: the lower layers name no listener and never import the API.
"""

from __future__ import annotations

import django.dispatch

IMPORT_FINISHED = "import.finished"
STATEMENT_SETTLED = "statement.settled"
REPORT_PUBLISHED = "report.published"
EVENTS = (IMPORT_FINISHED, STATEMENT_SETTLED, REPORT_PUBLISHED)  # the public ones: webhooks offer these

# Events only the desk's own listeners hear (notifications); each carries the ids of one action.
STATEMENTS_ASSIGNED = "statements.assigned"  # assignment_ids, assigned_by_id: one action, however many
STATEMENT_DISPUTED = "statement.disputed"  # statement_id
ASSIGNMENTS_DUE_SOON = "assignments.due_soon"  # assignment_ids
ASSIGNMENTS_OVERDUE = "assignments.overdue"  # assignment_ids
DESK_EVENTS = (*EVENTS, STATEMENTS_ASSIGNED, STATEMENT_DISPUTED, ASSIGNMENTS_DUE_SOON, ASSIGNMENTS_OVERDUE)

# Receivers get `name` (one of DESK_EVENTS) and `data` (ids only, e.g. {"job_id": 3}).
desk_event = django.dispatch.Signal()


def announce(name: str, **data) -> None:
    """Tell the listeners that `name` happened; `data` holds the ids they need to look it up."""
    if name not in DESK_EVENTS:
        raise ValueError(f"Unknown desk event {name!r}; add it to factcheck.core.events.DESK_EVENTS.")
    desk_event.send(sender=name, name=name, data=data)
