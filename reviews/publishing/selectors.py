"""Reads for publishing: what readers see of a report (settled statements, their public explanation and
sources), the public list, and the export rows. Reviewer names and confidences never leave the desk here.

What is public about a statement: its text, its final verdict, and the reason for it — the editor's settle
note when there is one, otherwise the rationales of the ratings that agree with the final verdict — and the
evidence links of those ratings (of all ratings when an editor settled it, since the editor weighed them
all).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from articles.models import Article, Statement
from factcheck.accounts import policy
from factcheck.audit.selectors import history

from .. import verdicts
from ..models import EvidenceLink, Rating, Report
from ..verdicts import Verdict


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
    settled_by_reference: bool = False  # the verdict of an earlier check of the same claim, carried over


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


def publishable_statements() -> Q:
    """Settled statements with a verdict worth telling readers; "Not checkable" is a desk decision, not a
    finding about the claim."""
    not_checkable = Verdict.NOT_CHECKABLE.value
    return (
        Q(summary__settled=True)
        & ~Q(summary__editor_verdict=not_checkable)
        & ~(Q(summary__editor_verdict="") & Q(summary__consensus=not_checkable))
    )


def report_statements(*, article_id: int) -> list[PublicStatement]:
    """The article's settled statements as readers see them, in article order, in three queries."""
    ratings = Rating.objects.only("pk", "statement_id", "verdict", "rationale").prefetch_related(
        Prefetch("evidence", queryset=EvidenceLink.objects.only("pk", "rating_id", "url", "note", "position"))
    )
    statements = (
        Statement.objects.filter(publishable_statements(), article_id=article_id)
        .select_related("summary")
        .only(
            "pk",
            "position",
            "text",
            "summary__consensus",
            "summary__editor_verdict",
            "summary__settle_note",
            "summary__settled",
            "summary__settled_by_reference",
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
        settled_by_reference=summary.settled_by_reference_id is not None,
    )


def published_report(*, pk: int, viewer=None) -> PublicReport | None:
    """A published report with its public statements, or None. Drafts and withdrawn reports are None unless
    the viewer may publish (editors preview them)."""
    reports = Report.objects.select_related("article").defer("article__body")
    if not policy.can_publish(viewer):
        reports = reports.filter(status=Report.Status.PUBLISHED)
    report = reports.filter(pk=pk).first()
    if report is None:
        return None
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
