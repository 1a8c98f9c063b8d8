"""The hook between the desk's services and notices: factcheck.core.events.desk_event arrives here, in the
transaction of the change (so a rolled-back change tells nobody), and becomes the notices of the members it
concerns: who, what it says, where it leads, and the event's key that makes it once per recipient."""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict

from django.db import transaction

from articles.models import ImportJob
from factcheck.core import events
from reviews.verdicts import VERDICT_LABELS, Verdict

from . import selectors
from .models import Notice
from .services.notices import Draft, notices_create

logger = logging.getLogger(__name__)
K, T = Notice.Kind, Notice.Target
QUOTE_MAX = 140


def _quote(text: str) -> str:
    text = " ".join((text or "").split())
    return f"“{text[: QUOTE_MAX - 1]}…”" if len(text) > QUOTE_MAX else f"“{text}”"


def _statements(n: int) -> str:
    return "a statement" if n == 1 else f"{n} statements"


def _batch_key(prefix: str, rows) -> str:
    """A key for a batch of (assignment, due date) pairs: each pair is announced once, so its batch is too."""
    digest = hashlib.sha256(",".join(f"{pk}@{due.isoformat() if due else ''}" for pk, due in rows).encode())
    return f"{prefix}:{digest.hexdigest()[:32]}"


def _by_reviewer(assignment_ids):
    """reviewer id -> [(assignment id, statement text, due date)], one query."""
    grouped = defaultdict(list)
    for pk, reviewer_id, text, due_at in selectors.assignments_with_statements(assignment_ids):
        grouped[reviewer_id].append((pk, text, due_at))
    return grouped


def statements_assigned(*, assignment_ids, assigned_by_id=None, **_):
    """One notice per reviewer per action, however many statements it gave them."""
    grouped = _by_reviewer(assignment_ids)
    by = selectors.member_names([assigned_by_id]).get(assigned_by_id, "An editor") if assigned_by_id else "An editor"
    for reviewer_id, rows in grouped.items():
        if len(rows) == 1:
            pk, text, _ = rows[0]
            title, target = f"{by} assigned you a statement: {_quote(text)}", (T.ASSIGNMENT, pk)
        else:
            title, target = f"{by} assigned you {len(rows)} statements", (T.QUEUE, None)
        # An assignment belongs to one action, so the reviewer's first one names the (action, reviewer) pair.
        key = f"assigned:{rows[0][0]}"
        yield Draft(reviewer_id, key, K.ASSIGNED, title, *target)


def _deadline_drafts(kind, prefix, assignment_ids, one, many):
    for reviewer_id, rows in _by_reviewer(assignment_ids).items():
        key = _batch_key(prefix, [(pk, due) for pk, _, due in rows])
        if len(rows) == 1:
            pk, text, _ = rows[0]
            yield Draft(reviewer_id, key, kind, f"{one} {_quote(text)}", T.ASSIGNMENT, pk)
        else:
            yield Draft(reviewer_id, key, kind, many.format(n=len(rows)), T.QUEUE, None)


def assignments_due_soon(*, assignment_ids, **_):
    """To each reviewer: what they have to rate within a day (one notice per scan, however many)."""
    yield from _deadline_drafts(
        K.DUE_SOON,
        "due_soon",
        assignment_ids,
        "Due within a day:",
        "{n} statements you have to rate are due within a day",
    )


def assignments_overdue(*, assignment_ids, **_):
    """To each reviewer their overdue statements, and to the editors one notice of who is late with how many."""
    grouped = _by_reviewer(assignment_ids)
    yield from _deadline_drafts(
        K.OVERDUE, "overdue", assignment_ids, "Overdue:", "{n} statements you have to rate are overdue"
    )
    if not grouped:
        return
    names = selectors.member_names(grouped)
    late = ", ".join(f"{names.get(r, r)} {len(rows)}" for r, rows in sorted(grouped.items(), key=lambda i: -len(i[1])))
    total = sum(len(rows) for rows in grouped.values())
    key = _batch_key("overdue-desk", sorted((pk, due) for rows in grouped.values() for pk, _, due in rows))
    title = f"{total} assignment{'s are' if total != 1 else ' is'} overdue ({late})"
    for editor_id in selectors.editor_ids():
        yield Draft(editor_id, key, K.OVERDUE, title, T.OVERVIEW, None)


def statement_disputed(*, statement_id, **_):
    """To the editors: reviewers disagree and the statement waits for their verdict."""
    found = selectors.statement_with_verdict(statement_id)
    if found is None:
        return
    title = f"Reviewers disagree, settle it: {_quote(found[0])}"
    for editor_id in selectors.editor_ids():
        yield Draft(editor_id, f"disputed:{statement_id}", K.DISPUTED, title, T.STATEMENT, statement_id)


def _verdict_label(value: str) -> str:
    try:
        return str(VERDICT_LABELS[Verdict(value)])
    except (ValueError, KeyError):
        return value


def statement_settled(*, statement_id, **_):
    """To the reviewers who rated it: the final verdict of their statement."""
    found = selectors.statement_with_verdict(statement_id)
    if found is None:
        return
    text, verdict = found
    title = f"Settled as {_verdict_label(verdict)}: {_quote(text)}"
    for reviewer_id, assignment_id in selectors.raters_of_statement(statement_id).items():
        target = (T.ASSIGNMENT, assignment_id) if assignment_id else (T.QUEUE, None)
        yield Draft(reviewer_id, f"settled:{statement_id}", K.SETTLED, title, *target)


def report_published(*, report_id, **_):
    """To the editors and to the reviewers who rated the article's statements (not to who published it); once
    per report, its updates are not announced again."""
    report = selectors.report_for_notice(report_id)
    if report is None:
        return
    recipients = set(selectors.editor_ids()) | set(selectors.raters_of_article(report.article_id))
    recipients.discard(report.published_by_id)
    title = f"Report published: {_quote(report.headline)}"
    for user_id in sorted(recipients):
        yield Draft(user_id, f"report:{report_id}", K.REPORT_PUBLISHED, title, T.REPORT, report_id)


def import_finished(*, job_id, **_):
    """To the admins, only when something went wrong: a failed job or failed items."""
    job = selectors.import_job_for_notice(job_id)
    if job is None or not (job.status == ImportJob.Status.FAILED or job.failed):
        return
    label = _quote(job.label or f"#{job.pk}")
    if job.status == ImportJob.Status.FAILED:
        title = f"Import {label} stopped: {(job.error or 'see the job')[:150]}"
    else:
        title = f"Import {label} finished with {job.failed} failed item{'s' if job.failed != 1 else ''}"
    for admin_id in selectors.admin_ids():
        yield Draft(admin_id, f"import:{job_id}", K.IMPORT_FAILURES, title, T.IMPORT, job_id)


BUILDERS = {
    events.STATEMENTS_ASSIGNED: statements_assigned,
    events.ASSIGNMENTS_DUE_SOON: assignments_due_soon,
    events.ASSIGNMENTS_OVERDUE: assignments_overdue,
    events.STATEMENT_DISPUTED: statement_disputed,
    events.STATEMENT_SETTLED: statement_settled,
    events.REPORT_PUBLISHED: report_published,
    events.IMPORT_FINISHED: import_finished,
}


def on_desk_event(sender, *, name: str, data: dict, **kwargs) -> None:
    """Write the event's notices. A failure here is logged and never undoes the change that caused the event
    (its own savepoint)."""
    builder = BUILDERS.get(name)
    if builder is None:
        return
    try:
        with transaction.atomic():
            notices_create(drafts=builder(**data))
    except Exception:
        logger.exception("could not write notices for %s %s", name, data)
