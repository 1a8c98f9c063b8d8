"""An editor settles a statement: the final verdict, with a note, recorded as a guarded status change."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from articles.models import Statement
from factcheck.accounts import policy
from factcheck.audit.services import Ref
from factcheck.audit.transitions import transition
from factcheck.core import events

from ..audit_actions import STATEMENT_SETTLED
from ..models import StatementSummary
from ..verdicts import Verdict
from .summaries import summaries_mark_stale


@transaction.atomic
def statement_settle(*, statement: Statement, editor, verdict: str, note: str = "") -> StatementSummary:
    """An editor decides a statement's final verdict (typically a disputed one); its ratings lock. A settled
    verdict may be revised by settling again."""
    policy.require(policy.can_settle, editor)
    try:
        verdict = Verdict(verdict).value
    except ValueError as exc:
        raise ValidationError("Choose a verdict from the scale.") from exc
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    summary, _ = StatementSummary.objects.select_for_update().get_or_create(statement=statement)
    before = summary.final_verdict
    summary.editor_verdict, summary.settled_by, summary.settle_note = verdict, editor, note.strip()
    summary.settled = True
    summary.save()
    transition(
        statement,
        field="review_status",
        to=Statement.ReviewStatus.SETTLED,
        by=editor,
        action=STATEMENT_SETTLED,
        parent=Ref("articles.article", statement.article_id),
        before={"verdict": before},
        after={"verdict": verdict},
        note=note,
    )
    summaries_mark_stale([statement.pk])
    events.announce(events.STATEMENT_SETTLED, statement_id=statement.pk)
    return summary
