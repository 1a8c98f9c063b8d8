"""Reads for publishing: a report's claims as the editor edits them (prefilled for statements the editor has
not saved yet), what readers see of a published report (only the claim rows the editor saved and included,
and a byline), the public list, and the export rows. Confidences never leave the desk here, and a reviewer is
named only when they agreed to be.

What is prefilled for a settled statement the report has no row for yet: its text as the claim; the article's
author (or site) as the claimant and the article as where and when it was said; as the explanation the
editor's settle note when an editor settled it, otherwise the rationales of the ratings whose current verdict
is the final one; and those ratings' evidence links (all ratings' when an editor weighed them all). None of it
is public until the editor saves it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F, Prefetch, Q, QuerySet

from articles.models import Article, Statement
from factcheck.accounts import policy
from factcheck.audit.selectors import history
from factcheck.core.links import http_url
from factcheck.core.pagination import KeysetPage, keyset_page

from .. import verdicts
from ..models import EvidenceLink, Rating, Report, ReportClaim, StatementSummary
from ..verdicts import Verdict

PUBLIC_LIST_ORDER = ("-published_at", "-pk")


@dataclass(frozen=True)
class PublicSource:
    url: str
    note: str = ""


@dataclass(frozen=True)
class PublicClaim:
    pk: int  # the statement's id: the claim's anchor on the report page, stable across updates
    position: int
    claim_text: str
    claimant: str
    claimant_type: str
    appearance_url: str
    appearance_date: date | None
    verdict: str
    verdict_label: str
    explanation: str
    sources: list[PublicSource] = field(default_factory=list)
    settled_by_reference: bool = False  # the verdict of an earlier check of the same claim, carried over

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.explanation.split("\n\n") if part.strip()]


@dataclass(frozen=True)
class Byline:
    editor: str = ""
    reviewers: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PublicReport:
    report: Report
    article: Article
    claims: list[PublicClaim]
    byline: Byline

    @property
    def tally(self) -> list[tuple[str, int]]:
        return _ordered_tally(Counter(c.verdict for c in self.claims))


@dataclass(frozen=True)
class EditorClaim:
    """A settled statement on the report editor: its live verdict, and the values the form starts from (the
    saved row's, or the prefill)."""

    statement_id: int
    position: int
    statement_text: str
    verdict: str
    verdict_label: str
    saved: bool
    saved_verdict: str
    settled_how: str
    agreeing_rationales: int
    values: dict

    @property
    def verdict_changed(self) -> bool:
        return self.saved and self.saved_verdict != self.verdict

    @property
    def saved_verdict_label(self) -> str:
        return verdicts.label(self.saved_verdict)


def _ordered_tally(counts) -> list[tuple[str, int]]:
    """(verdict, claim count) from True to Unverifiable, only verdicts that occur; "Not checkable" is never
    published."""
    return [(v.value, counts[v.value]) for v in Verdict if counts.get(v.value) and v != Verdict.NOT_CHECKABLE]


def report_tally(report: Report) -> list[tuple[str, int]]:
    """The verdict counts of a report's included claims, as saved with them (no query)."""
    return _ordered_tally(report.tally or {})


def publishable_statements() -> Q:
    """Settled statements with a verdict worth telling readers; "Not checkable" is a desk decision, not a
    finding about the claim."""
    not_checkable = Verdict.NOT_CHECKABLE.value
    return (
        Q(summary__settled=True)
        & ~Q(summary__editor_verdict=not_checkable)
        & ~(Q(summary__editor_verdict="") & Q(summary__consensus=not_checkable))
    )


def publishable_verdicts(*, article_id: int) -> dict[int, str]:
    """statement id → final verdict, for the article's statements a report may include; one query."""
    rows = Statement.objects.filter(publishable_statements(), article_id=article_id).values_list(
        "pk", "summary__editor_verdict", "summary__consensus"
    )
    return {pk: editor_verdict or consensus for pk, editor_verdict, consensus in rows}


# --- how a settlement explains itself ---

SETTLED_BY_EDITOR = "editor"
SETTLED_BY_CONSENSUS = "consensus"


def settled_how(summary: StatementSummary) -> str:
    """Who decided the final verdict. The kinds of settlement are named here and each has its prefill below:
    a new kind (say, settled by reference to an earlier fact-check) adds itself in both places."""
    return SETTLED_BY_EDITOR if summary.editor_verdict else SETTLED_BY_CONSENSUS


def _agreeing(statement: Statement) -> list[Rating]:
    final = statement.summary.final_verdict
    return [r for r in statement.ratings.all() if r.verdict == final]


def _editor_explanation(statement: Statement) -> tuple[str, list[Rating]]:
    """The editor's note, and every rating's evidence: the editor weighed them all."""
    note = statement.summary.settle_note.strip()
    rationales = "\n\n".join(r.rationale.strip() for r in _agreeing(statement) if r.rationale.strip())
    return note or rationales, list(statement.ratings.all())


def _consensus_explanation(statement: Statement) -> tuple[str, list[Rating]]:
    """The rationales and evidence of the reviewers whose current verdict is the final one."""
    agreeing = _agreeing(statement)
    return "\n\n".join(r.rationale.strip() for r in agreeing if r.rationale.strip()), agreeing


EXPLANATION_PREFILL = {
    SETTLED_BY_EDITOR: _editor_explanation,
    SETTLED_BY_CONSENSUS: _consensus_explanation,
}


def _sources_of(ratings: list[Rating]) -> list[dict]:
    sources, seen = [], set()
    for rating in ratings:
        for link in rating.evidence.all():
            if link.url not in seen:
                seen.add(link.url)
                sources.append({"url": link.url, "note": link.note})
    return sources


def claim_prefill(statement: Statement, article: Article) -> dict:
    """The values a claim starts from before the editor has saved it (see the module docstring)."""
    explanation, cited = EXPLANATION_PREFILL[settled_how(statement.summary)](statement)
    return {
        "included": True,
        "claim_text": statement.text,
        "claimant": article.author or article.site_name,
        "claimant_type": ReportClaim.ClaimantType.PERSON if article.author else ReportClaim.ClaimantType.ORGANIZATION,
        "appearance_url": http_url(article.url),
        "appearance_date": article.published,
        "explanation": explanation,
        "sources": _sources_of(cited),
    }


def saved_values(claim: ReportClaim) -> dict:
    return {
        "included": claim.included,
        "claim_text": claim.claim_text,
        "claimant": claim.claimant,
        "claimant_type": claim.claimant_type,
        "appearance_url": claim.appearance_url,
        "appearance_date": claim.appearance_date,
        "explanation": claim.explanation,
        "sources": [{"url": s.get("url", ""), "note": s.get("note", "")} for s in claim.sources or []],
    }


def report_editor_claims(*, article: Article) -> list[EditorClaim]:
    """Every statement the article's report may include, in article order, with its saved row or its prefill:
    three queries however many statements (statements with summaries and saved rows, ratings, evidence)."""
    ratings = Rating.objects.only("pk", "statement_id", "verdict", "rationale", "created_at").prefetch_related(
        Prefetch("evidence", queryset=EvidenceLink.objects.only("pk", "rating_id", "url", "note", "position"))
    )
    statements = (
        Statement.objects.filter(publishable_statements(), article_id=article.pk)
        .select_related("summary", "report_claim")
        .prefetch_related(Prefetch("ratings", queryset=ratings))
        .defer("score_reasons")
        .order_by("position")
    )
    rows = []
    for statement in statements:
        summary = statement.summary
        saved = getattr(statement, "report_claim", None)
        final = summary.final_verdict
        rows.append(
            EditorClaim(
                statement_id=statement.pk,
                position=statement.position,
                statement_text=statement.text,
                verdict=final,
                verdict_label=verdicts.label(final),
                saved=saved is not None,
                saved_verdict=saved.verdict if saved else "",
                settled_how=settled_how(summary),
                agreeing_rationales=sum(1 for r in _agreeing(statement) if r.rationale.strip()),
                values=saved_values(saved) if saved else claim_prefill(statement, article),
            )
        )
    return rows


def saved_claims(*, report: Report) -> list[ReportClaim]:
    """The report's saved claim rows, in article order."""
    return list(report.claims.order_by("statement__position", "pk"))


# --- what readers see ---


def _public_claim(row: ReportClaim) -> PublicClaim:
    return PublicClaim(
        pk=row.statement_id,
        position=row.statement.position,
        claim_text=row.claim_text,
        claimant=row.claimant,
        claimant_type=row.claimant_type,
        appearance_url=http_url(row.appearance_url),
        appearance_date=row.appearance_date,
        verdict=row.verdict,
        verdict_label=verdicts.label(row.verdict),
        explanation=row.explanation,
        sources=[PublicSource(url=s.get("url", ""), note=s.get("note", "")) for s in row.sources or [] if s.get("url")],
        settled_by_reference=getattr(row.statement, "summary", None) is not None
        and row.statement.summary.settled_by_reference_id is not None,
    )


def report_claims(*, report_id: int) -> list[PublicClaim]:
    """The included claims of a report, in article order: one query."""
    rows = (
        ReportClaim.objects.filter(report_id=report_id, included=True)
        .select_related("statement__summary")
        .only(
            *[f.name for f in ReportClaim._meta.concrete_fields if f.name != "updated_at"],
            "statement__position",
            "statement__summary__settled_by_reference",
        )
        .order_by("statement__position", "pk")
    )
    return [_public_claim(row) for row in rows]


def display_name(first_name: str, last_name: str, username: str) -> str:
    return f"{first_name} {last_name}".strip() or username


def named_reviewers(*, report: Report) -> list[str]:
    """The reviewers who agreed to be named in bylines and whose current verdict is the verdict of one of the
    report's included claims (the editor who published is named already): one query."""
    if not report.pk:
        return []
    rows = (
        get_user_model()
        .objects.filter(
            ratings__statement__report_claim__report_id=report.pk,
            ratings__statement__report_claim__included=True,
            ratings__verdict=F("ratings__statement__report_claim__verdict"),
            profile__named_in_bylines=True,
        )
        .exclude(pk=report.published_by_id)
        .distinct()
        .order_by("last_name", "first_name", "username")
        .values_list("first_name", "last_name", "username")
    )
    return [display_name(*row) for row in rows]


def report_byline(*, report: Report) -> Byline:
    """The publishing editor (published_by must be select_related), then the reviewers who may be named if
    the editor credits reviewers."""
    editor = report.published_by
    return Byline(
        editor=display_name(editor.first_name, editor.last_name, editor.username) if editor else "",
        reviewers=named_reviewers(report=report) if report.credit_reviewers else [],
    )


def published_report(*, pk: int, viewer=None) -> PublicReport | None:
    """A published report with its included claims and byline, or None. Drafts and withdrawn reports are None
    unless the viewer may publish (editors preview them)."""
    reports = Report.objects.select_related("article", "published_by").defer("article__body")
    if not policy.can_publish(viewer):
        reports = reports.filter(status=Report.Status.PUBLISHED)
    report = reports.filter(pk=pk).first()
    if report is None:
        return None
    return PublicReport(
        report=report,
        article=report.article,
        claims=report_claims(report_id=report.pk),
        byline=report_byline(report=report),
    )


def published_reports() -> QuerySet[Report]:
    """Published reports, newest first, with their article, in one query."""
    return (
        Report.objects.filter(status=Report.Status.PUBLISHED)
        .select_related("article")
        .defer("article__body")
        .order_by(*PUBLIC_LIST_ORDER)
    )


def published_reports_page(*, cursor: str = "", size: int = 20) -> KeysetPage:
    """A page of published reports after `cursor`, read in the list index's order: one query at any depth."""
    return keyset_page(published_reports(), order=PUBLIC_LIST_ORDER, cursor=cursor, size=size)


def report_for_article(*, article_id: int) -> Report | None:
    return Report.objects.select_related("published_by").filter(article_id=article_id).first()


def report_events(*, report: Report):
    """The report's history, newest first."""
    return history(of=report).reverse()


EXPORT_BATCH = 2000


def settled_statement_rows(*, batch: int = EXPORT_BATCH) -> Iterator[list[tuple]]:
    """settled_statements_export's rows in lists of `batch`, read through a server-side cursor inside a
    transaction: PostgreSQL sends them as they are fetched, so neither this process nor the server holds the
    whole export.

    A cursor is planned for its first rows (cursor_tuple_fraction 0.1), which here meant walking all
    statements in article order and probing each one's summary, a million probes for a year's desk; the
    export reads every row, so it is planned for all of them (a hash join on the settled summaries, then a
    sort) and without JIT, whose compiling cost more than it saved."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
                cursor.execute("SET LOCAL jit = off")
        rows: list[tuple] = []
        for row in settled_statements_export().iterator(chunk_size=batch):
            rows.append(row)
            if len(rows) >= batch:
                yield rows
                rows = []
        if rows:
            yield rows


def settled_statements_export() -> QuerySet:
    """Every settled statement as flat rows for the exports, article by article, with whether readers see it
    (its claim is included in a published report) and its public wording; one query, meant to be iterated
    with .iterator()."""
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
            "report_claim__report__status",
            "report_claim__included",
            "report_claim__claim_text",
            "report_claim__claimant",
        )
    )
