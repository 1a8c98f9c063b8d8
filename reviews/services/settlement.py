"""An editor settles a statement: the final verdict, with a note, recorded as a guarded status change."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from articles.models import ClaimMatch, Statement
from articles.services.claim_memory import claim_match_decide
from factcheck.accounts import policy
from factcheck.audit.services import Ref, record
from factcheck.audit.transitions import transition
from factcheck.core import events

from ..audit_actions import STATEMENT_SETTLED, STATEMENT_SETTLED_BY_REFERENCE
from ..models import StatementSummary
from ..verdicts import VERDICT_LABELS, Verdict
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
    summary.settled_by_reference = None  # settled on its own merits (statement_settle_by_reference sets it after)
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


@transaction.atomic
def statement_settle_by_reference(*, statement: Statement, earlier: Statement, user) -> StatementSummary:
    """Settle a statement with the verdict of an earlier, settled statement the matcher suggested as the same
    claim: confirms the suggestion, settles through statement_settle (its transition and event) and records
    that the verdict was carried over. A rejected pair cannot be used."""
    policy.require(policy.can_settle, user)
    match = ClaimMatch.objects.filter(statement_id=statement.pk, earlier_id=earlier.pk).first()
    if match is None or match.status == ClaimMatch.Status.REJECTED:
        raise ValidationError(
            "Only a suggested or confirmed earlier check can settle this statement; settle it with a verdict instead."
        )
    reference = StatementSummary.objects.filter(statement_id=earlier.pk, settled=True).first()
    if reference is None or not reference.final_verdict:
        raise ValidationError("The earlier statement is no longer settled; settle this one with a verdict instead.")
    verdict = reference.final_verdict
    if match.status == ClaimMatch.Status.SUGGESTED:
        claim_match_decide(match=match, user=user, decision="confirm")
    summary = statement_settle(
        statement=statement,
        editor=user,
        verdict=verdict,
        note=f"Same claim as statement #{earlier.pk}, already checked: {VERDICT_LABELS.get(verdict, verdict)}.",
    )
    summary.settled_by_reference_id = earlier.pk
    summary.save(update_fields=["settled_by_reference", "updated_at"])
    record(
        STATEMENT_SETTLED_BY_REFERENCE,
        statement,
        actor=user,
        parent=Ref("articles.article", statement.article_id),
        after={"earlier": earlier.pk, "verdict": verdict},
    )
    return summary
