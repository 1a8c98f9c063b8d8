"""Publishing pages: the editor's publish page, the public report pages with ClaimReview markup, and the
exports (a report as JSON, every settled verdict as CSV)."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from factcheck.accounts import policy
from factcheck.accounts.decorators import role_required

from ..selectors.desk import desk_articles
from . import selectors, services
from .claimreview import json_for_script, report_claim_reviews, report_document
from .exports import in_pieces, verdict_csv_lines
from .forms import ReportForm

REPORTS_PAGE_SIZE = 20
EXPORT_CHUNK = 2000


@role_required(policy.can_publish)
def report_publish(request, pk: int):
    """GET: the report's form and the statements it will show. POST action=save|publish|withdraw."""
    article = get_object_or_404(desk_articles().select_related("summary"), pk=pk)
    report = selectors.report_for_article(article_id=article.pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "withdraw":
            return _withdraw(request, article, report)
        if action not in ("save", "publish"):
            messages.error(request, "Choose Save draft, Publish or Withdraw.")
            return redirect("reviews:report_publish", pk=pk)
        form = ReportForm(request.POST)
        if form.is_valid():
            service = services.report_publish if action == "publish" else services.report_draft_save
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
            initial = {"headline": f"Fact-check: {article.title}"[: services.HEADLINE_MAX]}
        form = ReportForm(initial=initial)
    context = {
        "article": article,
        "report": report,
        "form": form,
        "statements": selectors.report_statements(article_id=article.pk),
        "events": selectors.report_events(report=report)[:20] if report else [],
    }
    return render(request, "reviews/report_publish.html", context)


def _withdraw(request, article, report):
    if report is None:
        messages.error(request, "This article has no report to withdraw.")
        return redirect("reviews:report_publish", pk=article.pk)
    try:
        services.report_withdraw(report=report, editor=request.user, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Report withdrawn. Readers no longer see it; you can publish it again.")
    return redirect("reviews:report_publish", pk=article.pk)


def report_list(request):
    """Public: every published report, newest first."""
    page = Paginator(selectors.published_reports(), REPORTS_PAGE_SIZE).get_page(request.GET.get("page"))
    reports = [(report, selectors.report_tally(report)) for report in page]
    return render(request, "reviews/report_list.html", {"page": page, "reports": reports})


def _public_report(request, pk: int):
    public = selectors.published_report(pk=pk, viewer=request.user)
    if public is None:
        raise Http404("No published report here.")
    return public


def _document_urls(request, report) -> dict:
    return {
        "page_url": request.build_absolute_uri(reverse("reviews:report_detail", args=[report.pk])),
        "publisher_name": settings.PUBLISHER_NAME,
        "publisher_url": settings.PUBLISHER_URL or request.build_absolute_uri("/"),
    }


def report_detail(request, pk: int):
    """Public when published; editors may preview drafts and withdrawn reports."""
    public = _public_report(request, pk)
    claim_reviews = report_claim_reviews(public=public, **_document_urls(request, public.report))
    context = {
        "report": public.report,
        "article": public.article,
        "statements": public.statements,
        "tally": public.tally,
        "can_publish": policy.can_publish(request.user),
        # json_for_script escapes "<", ">" and "&", so imported text cannot close the <script> element.
        "json_ld": mark_safe(json_for_script(claim_reviews)),  # noqa: S308
    }
    return render(request, "reviews/report_detail.html", context)


def report_json(request, pk: int):
    """The report as JSON: its article's metadata and one ClaimReview per settled statement."""
    public = _public_report(request, pk)
    data = report_document(public=public, **_document_urls(request, public.report))
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})


@role_required(policy.can_publish)
def verdicts_csv(request):
    """Every settled statement, streamed row by row so a large desk never builds the file in memory."""
    rows = selectors.settled_statements_export().iterator(chunk_size=EXPORT_CHUNK)
    response = StreamingHttpResponse(in_pieces(verdict_csv_lines(rows)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="verdicts-{date.today().isoformat()}.csv"'
    return response
