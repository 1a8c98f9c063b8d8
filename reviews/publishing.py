"""Publishing an article's fact-check report: the services that save, publish and withdraw it, and the
selectors that read what the public may see.

What is public about a statement: its text, its final verdict, and the reason for it — the editor's settle
note when there is one, otherwise the rationales of the ratings that agree with the final verdict — and the
evidence links of those ratings (of all ratings when an editor settled it, since the editor weighed them
all). Reviewer names, confidences and disagreeing rationales stay inside the desk.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from articles.models import Article, Statement
from factcheck.accounts import policy
from factcheck.audit.selectors import history
from factcheck.audit.services import Ref, record

from . import verdicts
from .audit_actions import REPORT_PUBLISHED, REPORT_REPUBLISHED, REPORT_SAVED, REPORT_WITHDRAWN
from .models import EvidenceLink, Rating, Report
from .verdicts import Verdict

HEADLINE_MAX = 300

# Which status may follow which; "" is a report that does not exist yet. Publishing a published report
# again publishes an update.
TRANSITIONS: dict[str, set[str]] = {
    "": {Report.Status.DRAFT, Report.Status.PUBLISHED},
    Report.Status.DRAFT: {Report.Status.DRAFT, Report.Status.PUBLISHED},
    Report.Status.PUBLISHED: {Report.Status.PUBLISHED, Report.Status.WITHDRAWN},
    Report.Status.WITHDRAWN: {Report.Status.DRAFT, Report.Status.PUBLISHED},
}


@dataclass(frozen=True)
class PublicSource:
    url: str
    note: str = ""


@dataclass(frozen=True)
class PublicStatement:
    pk: int
    position: int
    text: str
    verdict: str
    verdict_label: str
    explained_by_editor: bool
    explanation: list[str] = field(default_factory=list)
    sources: list[PublicSource] = field(default_factory=list)


@dataclass(frozen=True)
class PublicReport:
    report: Report
    article: Article
    statements: list[PublicStatement]

    @property
    def tally(self) -> list[tuple[str, int]]:
        return _ordered_tally(Counter(s.verdict for s in self.statements))


def _ordered_tally(counts) -> list[tuple[str, int]]:
    """(verdict, statement count) from True to Unverifiable, only verdicts that occur; "Not checkable" is
    never published."""
    return [(v.value, counts[v.value]) for v in Verdict if counts.get(v.value) and v != Verdict.NOT_CHECKABLE]


def report_tally(report: Report) -> list[tuple[str, int]]:
    """The verdict counts of a report's article from its stored summary (no query when the summary is
    select_related, as in published_reports)."""
    summary = getattr(report.article, "summary", None)
    return _ordered_tally(summary.distribution if summary else {})


def _require_publisher(user) -> None:
    policy.require(policy.can_publish, user)


def _publishable_statements() -> Q:
    """Settled statements with a verdict worth telling readers; "Not checkable" is a desk decision, not a
    finding about the claim."""
    not_checkable = Verdict.NOT_CHECKABLE.value
    return (
        Q(summary__settled=True)
        & ~Q(summary__editor_verdict=not_checkable)
        & ~(Q(summary__editor_verdict="") & Q(summary__consensus=not_checkable))
    )


def _clean_texts(headline: str, summary: str) -> tuple[str, str]:
    headline, summary = (headline or "").strip(), (summary or "").strip()
    if not headline:
        raise ValidationError("Give the report a headline.")
    if len(headline) > HEADLINE_MAX:
        raise ValidationError(f"Keep the headline under {HEADLINE_MAX} characters (it has {len(headline)}).")
    return headline, summary


def _check_transition(report: Report | None, to: str) -> str:
    before = report.status if report else ""
    if to not in TRANSITIONS[before]:
        state = Report.Status(before).label.lower() if before else "not saved yet"
        raise ValidationError(f"This report is {state}; it cannot be {Report.Status(to).label.lower()}.")
    return before


def _locked_report(article_id: int) -> Report | None:
    return Report.objects.select_for_update().filter(article_id=article_id).first()


@transaction.atomic
def report_draft_save(*, article: Article, editor, headline: str, summary: str = "") -> Report:
    """Create or edit an unpublished report's headline and introduction; a published report changes only by
    publishing an update."""
    _require_publisher(editor)
    headline, summary = _clean_texts(headline, summary)
    report = _locked_report(article.pk)
    before = _check_transition(report, Report.Status.DRAFT)
    if report is None:
        report = Report(article=article)
    report.headline, report.summary, report.status = headline, summary, Report.Status.DRAFT
    report.save()
    record(
        REPORT_SAVED, report, actor=editor, parent=article, before={"status": before}, after={"status": report.status}
    )
    return report


@transaction.atomic
def report_publish(*, article: Article, editor, headline: str, summary: str = "") -> Report:
    """Publish the article's report (creating it if needed), or publish an update of a published one."""
    _require_publisher(editor)
    headline, summary = _clean_texts(headline, summary)
    if not Statement.objects.filter(_publishable_statements(), article=article).exists():
        raise ValidationError(
            "This article has no settled statements with a verdict yet. Settle at least one statement "
            "(reviewers agree, or an editor decides) before publishing."
        )
    report = _locked_report(article.pk)
    before = _check_transition(report, Report.Status.PUBLISHED)
    if report is None:
        report = Report(article=article)
    now = timezone.now()
    report.headline, report.summary, report.status = headline, summary, Report.Status.PUBLISHED
    report.published_at, report.published_by = now, editor
    report.first_published_at = report.first_published_at or now
    report.save()
    action = REPORT_REPUBLISHED if before == Report.Status.PUBLISHED else REPORT_PUBLISHED
    record(action, report, actor=editor, parent=article, before={"status": before}, after={"status": report.status})
    return report


@transaction.atomic
def report_withdraw(*, report: Report, editor, note: str = "") -> Report:
    """Take a published report off the public site; it can be published again later."""
    _require_publisher(editor)
    locked = _locked_report(report.article_id)
    before = _check_transition(locked, Report.Status.WITHDRAWN)
    locked.status = Report.Status.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    record(
        REPORT_WITHDRAWN,
        locked,
        actor=editor,
        parent=Ref("articles.article", locked.article_id),
        before={"status": before},
        after={"status": locked.status},
        note=note,
    )
    return locked


def report_statements(*, article_id: int) -> list[PublicStatement]:
    """The article's settled statements as readers see them, in article order, in three queries."""
    ratings = Rating.objects.only("pk", "statement_id", "verdict", "rationale").prefetch_related(
        Prefetch("evidence", queryset=EvidenceLink.objects.only("pk", "rating_id", "url", "note", "position"))
    )
    statements = (
        Statement.objects.filter(_publishable_statements(), article_id=article_id)
        .select_related("summary")
        .only(
            "pk",
            "position",
            "text",
            "summary__consensus",
            "summary__editor_verdict",
            "summary__settle_note",
            "summary__settled",
        )
        .prefetch_related(Prefetch("ratings", queryset=ratings))
        .order_by("position")
    )
    return [_public_statement(statement) for statement in statements]


def _public_statement(statement: Statement) -> PublicStatement:
    summary = statement.summary
    final = summary.final_verdict
    agreeing = [r for r in statement.ratings.all() if r.verdict == final]
    note = summary.settle_note.strip() if summary.editor_verdict else ""
    explanation = [note] if note else [r.rationale.strip() for r in agreeing if r.rationale.strip()]
    cited = statement.ratings.all() if summary.editor_verdict else agreeing
    sources, seen = [], set()
    for rating in cited:
        for link in rating.evidence.all():
            if link.url not in seen:
                seen.add(link.url)
                sources.append(PublicSource(url=link.url, note=link.note))
    return PublicStatement(
        pk=statement.pk,
        position=statement.position,
        text=statement.text,
        verdict=final,
        verdict_label=verdicts.label(final),
        explained_by_editor=bool(note),
        explanation=explanation,
        sources=sources,
    )


def published_report(*, pk: int, viewer=None) -> PublicReport:
    """A published report with its public statements. Drafts and withdrawn reports are a 404 unless the
    viewer may publish (editors preview them)."""
    reports = Report.objects.select_related("article").defer("article__body")
    if not policy.can_publish(viewer):
        reports = reports.filter(status=Report.Status.PUBLISHED)
    report = reports.filter(pk=pk).first()
    if report is None:
        raise Http404("No published report here.")
    return PublicReport(
        report=report, article=report.article, statements=report_statements(article_id=report.article_id)
    )


def published_reports() -> QuerySet[Report]:
    """Published reports, newest first, with their article and its summary counts in one query."""
    return (
        Report.objects.filter(status=Report.Status.PUBLISHED)
        .select_related("article", "article__summary")
        .defer("article__body")
        .order_by("-published_at", "-pk")
    )


def report_for_article(*, article_id: int) -> Report | None:
    return Report.objects.filter(article_id=article_id).first()


def report_events(*, report: Report):
    """The report's history, newest first."""
    return history(of=report).reverse()


def settled_statements_export() -> QuerySet:
    """Every settled statement as flat rows for the CSV export, article by article; one query, meant to be
    iterated with .iterator()."""
    return (
        Statement.objects.filter(summary__settled=True)
        .order_by("article_id", "position")
        .values_list(
            "article_id",
            "article__title",
            "article__url",
            "pk",
            "text",
            "summary__editor_verdict",
            "summary__consensus",
            "summary__rating_count",
            "summary__settled_by__username",
            "article__report__status",
        )
    )
