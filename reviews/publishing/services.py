"""Writes for publishing: save a report's draft, publish it (or an update), withdraw it. Each status change
goes through the Report.TRANSITIONS table and leaves an audit event in the same transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Statement
from factcheck.accounts import policy
from factcheck.audit.services import Ref, record
from factcheck.audit.transitions import transition
from factcheck.core import events

from ..audit_actions import REPORT_PUBLISHED, REPORT_REPUBLISHED, REPORT_SAVED, REPORT_WITHDRAWN
from ..models import Report
from ..services.summaries import article_summary_recompute
from .selectors import publishable_statements

HEADLINE_MAX = 300


def _clean_texts(headline: str, summary: str) -> tuple[str, str]:
    headline, summary = (headline or "").strip(), (summary or "").strip()
    if not headline:
        raise ValidationError("Give the report a headline.")
    if len(headline) > HEADLINE_MAX:
        raise ValidationError(f"Keep the headline under {HEADLINE_MAX} characters (it has {len(headline)}).")
    return headline, summary


def _locked_report(article_id: int) -> Report | None:
    return Report.objects.select_for_update().filter(article_id=article_id).first()


def _save(article: Article, report: Report | None, *, to: str, action: str, editor, values: dict) -> Report:
    """Create the report in status `to`, or move the existing one there through the transition table."""
    if report is None:
        report = Report.objects.create(article=article, status=to, **values)
        record(action, report, actor=editor, parent=article, before={"status": ""}, after={"status": to})
        return report
    transition(report, to=to, by=editor, action=action, parent=article, values={**values, "updated_at": timezone.now()})
    return report


@transaction.atomic
def report_draft_save(*, article: Article, editor, headline: str, summary: str = "") -> Report:
    """Create or edit an unpublished report's headline and introduction; a published report changes only by
    publishing an update."""
    policy.require(policy.can_publish, editor)
    headline, summary = _clean_texts(headline, summary)
    report = _locked_report(article.pk)
    values = {"headline": headline, "summary": summary}
    return _save(article, report, to=Report.Status.DRAFT, action=REPORT_SAVED, editor=editor, values=values)


@transaction.atomic
def report_publish(*, article: Article, editor, headline: str, summary: str = "") -> Report:
    """Publish the article's report (creating it if needed), or publish an update of a published one."""
    policy.require(policy.can_publish, editor)
    headline, summary = _clean_texts(headline, summary)
    if not Statement.objects.filter(publishable_statements(), article=article).exists():
        raise ValidationError(
            "This article has no settled statements with a verdict yet. Settle at least one statement "
            "(reviewers agree, or an editor decides) before publishing."
        )
    report = _locked_report(article.pk)
    now = timezone.now()
    values = {
        "headline": headline,
        "summary": summary,
        "published_at": now,
        "published_by": editor,
        "first_published_at": (report.first_published_at if report else None) or now,
    }
    action = REPORT_REPUBLISHED if report and report.status == Report.Status.PUBLISHED else REPORT_PUBLISHED
    report = _save(article, report, to=Report.Status.PUBLISHED, action=action, editor=editor, values=values)
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
