"""Writes for publishing: save a report's draft, publish it (or an update), withdraw it. Saving or publishing
writes the report's claim rows, the only text readers get: the wording, claimant, appearance and explanation
the editor approved, with the verdict they approved them for. Each status change goes through the
Report.TRANSITIONS table and leaves an audit event in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from factcheck.accounts import policy
from factcheck.audit.services import Ref, record
from factcheck.audit.transitions import TransitionNotAllowed, allowed, transition
from factcheck.core import events
from factcheck.core.links import http_url

from .. import verdicts
from ..audit_actions import REPORT_PUBLISHED, REPORT_REPUBLISHED, REPORT_SAVED, REPORT_WITHDRAWN
from ..models import Report, ReportClaim
from ..services.summaries import article_summary_recompute
from .selectors import publishable_verdicts, saved_claims

HEADLINE_MAX = 300
CLAIM_TEXT_MAX = 2000
CLAIMANT_MAX = ReportClaim._meta.get_field("claimant").max_length
EXPLANATION_MAX = 20000
SOURCES_MAX = 20
SOURCE_NOTE_MAX = 500
# The public fields of a claim row: what an edit is, for the history.
CLAIM_FIELDS = (
    "included",
    "claim_text",
    "claimant",
    "claimant_type",
    "appearance_url",
    "appearance_date",
    "explanation",
    "sources",
)


@dataclass(frozen=True)
class SourceInput:
    url: str
    note: str = ""


@dataclass(frozen=True)
class ClaimInput:
    """One settled statement as the editor wants it in the report. `verdict_seen` is the verdict the editor
    had on screen: when given and no longer the final verdict, the save is refused, since the wording and
    explanation were written for another verdict."""

    statement_id: int
    included: bool = True
    claim_text: str = ""
    claimant: str = ""
    claimant_type: str = ReportClaim.ClaimantType.PERSON
    appearance_url: str = ""
    appearance_date: date | None = None
    explanation: str = ""
    sources: tuple[SourceInput, ...] = ()
    verdict_seen: str = ""


def _clean_texts(headline: str, summary: str) -> tuple[str, str]:
    # A headline is one line wherever it is shown (the page title, the list, the JSON-LD): breaks become spaces.
    headline, summary = " ".join((headline or "").split()), (summary or "").strip()
    if not headline:
        raise ValidationError({"headline": "Give the report a headline."})
    if len(headline) > HEADLINE_MAX:
        raise ValidationError(
            {"headline": f"Keep the headline under {HEADLINE_MAX} characters (it has {len(headline)})."}
        )
    return headline, summary


def _locked_report(article_id: int) -> Report | None:
    return Report.objects.select_for_update().filter(article_id=article_id).first()


def _as_input(row: ReportClaim) -> ClaimInput:
    return ClaimInput(
        statement_id=row.statement_id,
        included=row.included,
        claim_text=row.claim_text,
        claimant=row.claimant,
        claimant_type=row.claimant_type,
        appearance_url=row.appearance_url,
        appearance_date=row.appearance_date,
        explanation=row.explanation,
        sources=tuple(SourceInput(url=s.get("url", ""), note=s.get("note", "")) for s in row.sources or []),
        verdict_seen=row.verdict,
    )


def _claim_row(claim: ClaimInput, verdict: str, *, publishing: bool, today: date) -> tuple[ReportClaim, dict]:
    """The row to store for one claim, and its problems by field."""
    problems: dict[str, str] = {}
    text = (claim.claim_text or "").strip()
    if claim.included and not text:
        problems["claim_text"] = "Write the claim as readers will read it (or leave the claim out)."
    elif len(text) > CLAIM_TEXT_MAX:
        problems["claim_text"] = f"Keep the claim under {CLAIM_TEXT_MAX} characters (it has {len(text)})."
    claimant = " ".join((claim.claimant or "").split())
    if len(claimant) > CLAIMANT_MAX:
        problems["claimant"] = f"Keep the name under {CLAIMANT_MAX} characters."
    if claim.claimant_type not in ReportClaim.ClaimantType.values:
        problems["claimant_type"] = "Choose Person or Organization."
    appearance_url = (claim.appearance_url or "").strip()
    if appearance_url and not http_url(appearance_url):
        problems["appearance_url"] = "Give an http(s) link to where the claim was made, or leave it empty."
    if claim.appearance_date and claim.appearance_date > today:
        problems["appearance_date"] = "A claim cannot have been made after today."
    explanation = (claim.explanation or "").strip()
    if len(explanation) > EXPLANATION_MAX:
        problems["explanation"] = f"Keep the explanation under {EXPLANATION_MAX} characters."
    elif publishing and claim.included and not explanation:
        problems["explanation"] = "Write the explanation readers will see for this verdict (or leave the claim out)."
    sources = []
    for number, source in enumerate(claim.sources, start=1):
        url, note = (source.url or "").strip(), " ".join((source.note or "").split())
        if not http_url(url):
            problems["sources"] = f"Source {number} is not an http(s) link."
            break
        if len(note) > SOURCE_NOTE_MAX:
            problems["sources"] = f"Keep the note of source {number} under {SOURCE_NOTE_MAX} characters."
            break
        sources.append({"url": url, "note": note})
    if len(sources) > SOURCES_MAX:
        problems["sources"] = f"Give at most {SOURCES_MAX} sources per claim."
    row = ReportClaim(
        statement_id=claim.statement_id,
        included=claim.included,
        verdict=verdict,
        claim_text=text,
        claimant=claimant,
        claimant_type=claim.claimant_type,
        appearance_url=appearance_url,
        appearance_date=claim.appearance_date,
        explanation=explanation,
        sources=sources,
    )
    return row, problems


def _claim_rows(article: Article, claims: list[ClaimInput], *, publishing: bool) -> list[ReportClaim]:
    """Validate the editor's claims against the article's settled statements; every problem at once, keyed
    "claims.<index>.<field>"."""
    live = publishable_verdicts(article_id=article.pk)
    today = timezone.localdate()
    rows, errors, seen = [], {}, set()
    for index, claim in enumerate(claims):
        key = f"claims.{index}"
        verdict = live.get(claim.statement_id)
        if verdict is None:
            errors[f"{key}.statement_id"] = (
                f"Statement {claim.statement_id} is not a settled statement of this article with a verdict; "
                "it cannot be in the report."
            )
            continue
        if claim.statement_id in seen:
            errors[f"{key}.statement_id"] = f"Statement {claim.statement_id} is given twice."
            continue
        seen.add(claim.statement_id)
        if claim.verdict_seen and claim.verdict_seen != verdict:
            errors[f"{key}.verdict"] = (
                f"The verdict is now {verdicts.label(verdict)} (it was {verdicts.label(claim.verdict_seen)} "
                "when this claim was written): check its wording and explanation, then save again."
            )
        row, problems = _claim_row(claim, verdict, publishing=publishing, today=today)
        errors.update({f"{key}.{name}": message for name, message in problems.items()})
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    return rows


def _public(row: ReportClaim) -> dict:
    return {name: getattr(row, name) for name in CLAIM_FIELDS}


def _store_claims(report: Report, before: list[ReportClaim], rows: list[ReportClaim]) -> dict:
    """Replace the report's claim rows by `rows` (an upsert and one delete) and say what changed."""
    for row in rows:
        row.report = report
    ReportClaim.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["statement"],
        update_fields=["report", "verdict", *CLAIM_FIELDS, "updated_at"],
    )
    report.claims.exclude(statement_id__in=[row.statement_id for row in rows]).delete()
    old = {row.statement_id: _public(row) for row in before}
    return {
        "claims": sum(1 for row in rows if row.included),
        "left_out": sum(1 for row in rows if not row.included),
        "edited": sorted(row.statement_id for row in rows if old.get(row.statement_id, _public(row)) != _public(row)),
    }


def _tally(rows: list[ReportClaim]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        if row.included:
            counts[row.verdict] = counts.get(row.verdict, 0) + 1
    return counts


def _save(
    article: Article,
    report: Report | None,
    *,
    to: str,
    action: str,
    editor,
    values: dict,
    before: list[ReportClaim],
    rows: list[ReportClaim],
) -> Report:
    """Create the report in status `to`, or move the existing one there through the transition table, with
    its claim rows, in one event."""
    values = {**values, "tally": _tally(rows)}
    counts_before = {"claims": sum(1 for row in before if row.included)}
    if report is None:
        report = Report.objects.create(article=article, status=to, **values)
        changes = _store_claims(report, before, rows)
        record(
            action,
            report,
            actor=editor,
            parent=article,
            before={"status": "", **counts_before},
            after={"status": to, **changes},
        )
        return report
    # The rows first, so the event can say what changed; a refused transition rolls them back with it.
    changes = _store_claims(report, before, rows)
    transition(
        report,
        to=to,
        by=editor,
        action=action,
        parent=article,
        before=counts_before,
        after=changes,
        values={**values, "updated_at": timezone.now()},
    )
    return report


def _claims_to_store(report: Report | None, claims: list[ClaimInput] | None) -> tuple[list, list[ClaimInput]]:
    before = saved_claims(report=report) if report else []
    return before, ([_as_input(row) for row in before] if claims is None else list(claims))


@transaction.atomic
def report_draft_save(
    *,
    article: Article,
    editor,
    headline: str,
    summary: str = "",
    claims: list[ClaimInput] | None = None,
    credit_reviewers: bool | None = None,
) -> Report:
    """Create or edit an unpublished report: its headline, introduction, byline choice and claims (None keeps
    the saved claims). A published report changes only by publishing an update."""
    policy.require(policy.can_publish, editor)
    headline, summary = _clean_texts(headline, summary)
    report = _locked_report(article.pk)
    if report is not None and not allowed(Report, "status", report.status, Report.Status.DRAFT):
        # Checked before the rows are touched: a published report's rows are what readers see.
        raise TransitionNotAllowed("This report is published: it changes only by publishing an update.")
    before, claims = _claims_to_store(report, claims)
    rows = _claim_rows(article, claims, publishing=False)
    values = {"headline": headline, "summary": summary}
    if credit_reviewers is not None:
        values["credit_reviewers"] = credit_reviewers
    return _save(
        article, report, to=Report.Status.DRAFT, action=REPORT_SAVED, editor=editor, values=values,
        before=before, rows=rows,
    )  # fmt: skip


@transaction.atomic
def report_publish(
    *,
    article: Article,
    editor,
    headline: str,
    summary: str = "",
    claims: list[ClaimInput] | None = None,
    credit_reviewers: bool | None = None,
) -> Report:
    """Publish the article's report (creating it if needed), or publish an update of a published one, with the
    claims given (None publishes the saved claims). Readers get the included claims only."""
    policy.require(policy.can_publish, editor)
    headline, summary = _clean_texts(headline, summary)
    if not publishable_verdicts(article_id=article.pk):
        raise ValidationError(
            "This article has no settled statements with a verdict yet. Settle at least one statement "
            "(reviewers agree, or an editor decides) before publishing."
        )
    report = _locked_report(article.pk)
    before, claims = _claims_to_store(report, claims)
    if not claims:
        raise ValidationError(
            {"claims": "Choose the claims to publish: read this report's claims (prefilled) and send them back."}
        )
    rows = _claim_rows(article, claims, publishing=True)
    if not any(row.included for row in rows):
        raise ValidationError({"claims": "Include at least one claim: a report without claims tells readers nothing."})
    now = timezone.now()
    values = {
        "headline": headline,
        "summary": summary,
        "published_at": now,
        "published_by": editor,
        "first_published_at": (report.first_published_at if report else None) or now,
    }
    if credit_reviewers is not None:
        values["credit_reviewers"] = credit_reviewers
    action = REPORT_REPUBLISHED if report and report.status == Report.Status.PUBLISHED else REPORT_PUBLISHED
    report = _save(
        article, report, to=Report.Status.PUBLISHED, action=action, editor=editor, values=values,
        before=before, rows=rows,
    )  # fmt: skip
    article_summary_recompute(article_id=article.pk)  # its state is published now (the triage board)
    events.announce(events.REPORT_PUBLISHED, report_id=report.pk)
    return report


@transaction.atomic
def report_withdraw(*, report: Report, editor, note: str = "") -> Report:
    """Take a published report off the public site; it can be published again later."""
    policy.require(policy.can_publish, editor)
    locked = _locked_report(report.article_id)
    transition(
        locked,
        to=Report.Status.WITHDRAWN,
        by=editor,
        action=REPORT_WITHDRAWN,
        parent=Ref("articles.article", locked.article_id),
        note=note,
        values={"updated_at": timezone.now()},
    )
    article_summary_recompute(article_id=locked.article_id)  # ready to publish again, or back in review
    return locked
