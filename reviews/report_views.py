"""Publishing pages: the editor's publish page, the public report pages with ClaimReview markup, and the
exports (a report as JSON, every settled verdict as CSV)."""

import csv
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from articles.models import Article
from factcheck.accounts import policy
from factcheck.accounts.decorators import role_required

from . import publishing, verdicts
from .claimreview import claim_review, iso_date, json_for_script
from .models import Report
from .report_forms import ReportForm

REPORTS_PAGE_SIZE = 20
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@role_required(policy.can_publish)
def report_publish(request, pk: int):
    """GET: the report's form and the statements it will show. POST action=save|publish|withdraw."""
    article = get_object_or_404(Article.objects.select_related("summary").defer("body"), pk=pk)
    report = publishing.report_for_article(article_id=article.pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "withdraw":
            return _withdraw(request, article, report)
        if action not in ("save", "publish"):
            messages.error(request, "Choose Save draft, Publish or Withdraw.")
            return redirect("reviews:report_publish", pk=pk)
        form = ReportForm(request.POST)
        if form.is_valid():
            service = publishing.report_publish if action == "publish" else publishing.report_draft_save
            try:
                report = service(
                    article=article,
                    editor=request.user,
                    headline=form.cleaned_data["headline"],
                    summary=form.cleaned_data["summary"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if report.is_public:
                    messages.success(request, "Report published. Readers can see it now.")
                    return redirect("reviews:report_detail", pk=report.pk)
                messages.success(request, "Draft saved. Only editors can see it until you publish.")
                return redirect("reviews:report_publish", pk=pk)
    else:
        if report:
            initial = {"headline": report.headline, "summary": report.summary}
        else:
            initial = {"headline": f"Fact-check: {article.title}"[: publishing.HEADLINE_MAX]}
        form = ReportForm(initial=initial)
    context = {
        "article": article,
        "report": report,
        "form": form,
        "statements": publishing.report_statements(article_id=article.pk),
        "events": publishing.report_events(report=report)[:20] if report else [],
    }
    return render(request, "reviews/report_publish.html", context)


def _withdraw(request, article: Article, report: Report | None):
    if report is None:
        messages.error(request, "This article has no report to withdraw.")
        return redirect("reviews:report_publish", pk=article.pk)
    try:
        publishing.report_withdraw(report=report, editor=request.user, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Report withdrawn. Readers no longer see it; you can publish it again.")
    return redirect("reviews:report_publish", pk=article.pk)


def report_list(request):
    """Public: every published report, newest first."""
    page = Paginator(publishing.published_reports(), REPORTS_PAGE_SIZE).get_page(request.GET.get("page"))
    reports = [(report, publishing.report_tally(report)) for report in page]
    return render(request, "reviews/report_list.html", {"page": page, "reports": reports})


def report_detail(request, pk: int):
    """Public when published; editors may preview drafts and withdrawn reports."""
    public = publishing.published_report(pk=pk, viewer=request.user)
    context = {
        "report": public.report,
        "article": public.article,
        "statements": public.statements,
        "tally": public.tally,
        "can_publish": policy.can_publish(request.user),
        # json_for_script escapes "<", ">" and "&", so imported text cannot close the <script> element.
        "json_ld": mark_safe(json_for_script(_claim_reviews(request, public))),  # noqa: S308
    }
    return render(request, "reviews/report_detail.html", context)


def report_json(request, pk: int):
    """The report as JSON: its article's metadata and one ClaimReview per settled statement."""
    public = publishing.published_report(pk=pk, viewer=request.user)
    report, article = public.report, public.article
    data = {
        "report": {
            "id": report.pk,
            "url": request.build_absolute_uri(reverse("reviews:report_detail", args=[report.pk])),
            "status": report.status,
            "headline": report.headline,
            "summary": report.summary,
            "datePublished": iso_date(report.first_published_at),
            "dateModified": iso_date(report.published_at),
        },
        "article": {
            "title": article.title,
            "url": article.url,
            "author": article.author,
            "siteName": article.site_name,
            "datePublished": iso_date(article.published),
        },
        "claimReviews": _claim_reviews(request, public),
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})


def _claim_reviews(request, public: publishing.PublicReport) -> list[dict]:
    report, article = public.report, public.article
    page_url = request.build_absolute_uri(reverse("reviews:report_detail", args=[report.pk]))
    publisher_name = getattr(settings, "PUBLISHER_NAME", "Factcheck desk")
    publisher_url = getattr(settings, "PUBLISHER_URL", "") or request.build_absolute_uri("/")
    return [
        claim_review(
            claim_text=statement.text,
            verdict=statement.verdict,
            verdict_label=statement.verdict_label,
            review_url=f"{page_url}#claim-{statement.pk}",
            article_url=article.url,
            article_title=article.title,
            site_name=article.site_name,
            author=article.author,
            date_published=report.first_published_at,
            publisher_name=publisher_name,
            publisher_url=publisher_url,
            article_published=article.published,
        )
        for statement in public.statements
    ]


class _Echo:
    """csv.writer wants a file; this one hands each written line straight back to the response."""

    def write(self, value: str) -> str:
        return value


def csv_cell(value):
    """Neutralise spreadsheet formulas in text cells by prefixing a quote; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


CSV_HEADER = [
    "article_id",
    "article_title",
    "article_url",
    "statement_id",
    "statement",
    "final_verdict",
    "ratings",
    "consensus",
    "settled_by",
    "published",
]


@role_required(policy.can_publish)
def verdicts_csv(request):
    """Every settled statement, streamed row by row so a large desk never builds the file in memory."""
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(CSV_HEADER)
        for (
            article_id,
            title,
            url,
            statement_id,
            text,
            editor_verdict,
            consensus,
            rating_count,
            settled_by,
            report_status,
        ) in publishing.settled_statements_export().iterator(chunk_size=2000):
            row = [
                article_id,
                title,
                url,
                statement_id,
                text,
                verdicts.label(editor_verdict or consensus),
                rating_count,
                verdicts.label(consensus),
                settled_by or "",
                "yes" if report_status == Report.Status.PUBLISHED else "no",
            ]
            yield writer.writerow([csv_cell(cell) for cell in row])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="verdicts-{date.today().isoformat()}.csv"'
    return response
