"""Reviewers' ratings: blind, with rationale and evidence, editable until the statement is settled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Statement
from factcheck.accounts import policy
from factcheck.audit.services import Ref, record
from factcheck.audit.transitions import transition
from factcheck.core.counters import add_to_counters
from factcheck.core.links import http_url

from ..audit_actions import STATEMENT_RATED, STATEMENT_RATING_EDITED
from ..models import Assignment, EvidenceLink, Rating, ReviewerLoad
from ..verdicts import Verdict
from .summaries import summaries_mark_stale


@dataclass(frozen=True)
class Evidence:
    url: str
    note: str = ""


def _clean(verdict: str, confidence: int, rationale: str) -> tuple[str, int, str]:
    try:
        verdict = Verdict(verdict).value
    except ValueError as exc:
        raise ValidationError("Choose a verdict from the scale.") from exc
    if not 1 <= int(confidence) <= 5:
        raise ValidationError("Confidence must be between 1 and 5.")
    rationale = (rationale or "").strip()
    if not rationale and verdict != Verdict.NOT_CHECKABLE:
        raise ValidationError("Explain your verdict in the rationale (only 'Not checkable' may leave it empty).")
    return verdict, int(confidence), rationale


@transaction.atomic
def rating_submit(
    *,
    assignment: Assignment,
    reviewer,
    verdict: str,
    confidence: int,
    rationale: str,
    evidence: Sequence[Evidence] = (),
) -> Rating:
    """Create or update the reviewer's rating of their assigned statement; its summary is recomputed after."""
    policy.require(policy.can_rate, reviewer)
    if assignment.reviewer_id != reviewer.pk:
        raise PermissionDenied("This statement is not assigned to you.")
    verdict, confidence, rationale = _clean(verdict, confidence, rationale)
    # The statement's row is the lock: a settlement and two ratings of one statement take turns.
    statement = (
        Statement.objects.select_for_update().only("pk", "article_id", "review_status").get(pk=assignment.statement_id)
    )
    if statement.review_status == Statement.ReviewStatus.SETTLED:
        raise ValidationError("This statement is settled; its ratings can no longer change.")
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status == Assignment.Status.CLOSED:
        raise ValidationError("An editor gave this statement to a colleague; it is no longer yours to rate.")
    article = Ref("articles.article", statement.article_id)

    rating = Rating.objects.filter(statement_id=statement.pk, reviewer=reviewer).first()
    if rating is None:
        rating = Rating.objects.create(
            statement_id=statement.pk,
            reviewer=reviewer,
            verdict=verdict,
            blind_verdict=verdict,  # agreement figures count this one, whatever comes after others are seen
            confidence=confidence,
            rationale=rationale,
        )
        after = {"verdict": verdict}
        if assignment.status == Assignment.Status.ASSIGNED:
            add_to_counters(ReviewerLoad, "reviewer", {reviewer.pk: {"open_count": -1, "done_count": 1}})
            transition(
                assignment, to=Assignment.Status.DONE, by=reviewer, action=STATEMENT_RATED, target=statement,
                parent=article, after=after,
            )  # fmt: skip
        else:
            record(STATEMENT_RATED, statement, actor=reviewer, parent=article, after=after)
        Statement.objects.filter(
            pk=statement.pk, review_status__in=[Statement.ReviewStatus.NEW, Statement.ReviewStatus.ASSIGNED]
        ).update(review_status=Statement.ReviewStatus.RATED)
    else:
        before = rating.verdict
        # A change made once colleagues' ratings were on the reviewer's screen is not blind: it is kept and
        # marked, and the agreement figures keep counting the blind verdict given before.
        seen = rating.saw_others_at is not None
        rating.verdict, rating.confidence, rating.rationale = verdict, confidence, rationale
        if seen:
            rating.revised_after_seeing = rating.revised_after_seeing or verdict != rating.blind_verdict
        else:
            rating.blind_verdict = verdict
        rating.save(
            update_fields=["verdict", "blind_verdict", "confidence", "rationale", "revised_after_seeing", "updated_at"]
        )
        rating.evidence.all().delete()
        record(
            STATEMENT_RATING_EDITED,
            statement,
            actor=reviewer,
            parent=article,
            before={"verdict": before},
            after={"verdict": verdict, "after_seeing_others": seen},
        )
    links = [(http_url(e.url), e.note) for e in evidence]
    EvidenceLink.objects.bulk_create(
        [
            EvidenceLink(rating=rating, url=url, note=note[:500], position=i)
            for i, (url, note) in enumerate(links)
            if url
        ]
    )
    summaries_mark_stale([statement.pk])
    return rating


def rating_saw_others(*, reviewer, statement_id: int) -> None:
    """Note that the reviewer has now been shown colleagues' ratings of the statement (once: the first time)."""
    Rating.objects.filter(statement_id=statement_id, reviewer=reviewer, saw_others_at__isnull=True).update(
        saw_others_at=timezone.now()
    )
