"""Publishing pages: the report editor, the public fact-check list (also the site's front page for readers)
and report pages with ClaimReview markup, and the exports (a report as JSON, every settled verdict as CSV)."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from factcheck.accounts import policy
from factcheck.accounts.decorators import role_required

from ..selectors.desk import desk_articles
from . import selectors, services
from .claimreview import json_for_script, report_claim_reviews, report_document
from .exports import in_pieces, verdict_csv_pieces
from .forms import ClaimFormSet, ReportForm, claim_initial

REPORTS_PAGE_SIZE = 20
CLAIMS_PREFIX = "claims"


def _attach_errors(form, claims, exc: ValidationError) -> None:
    """Put the services' errors ("headline", "claims", "claims.<index>.<field>") on the fields they concern."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.error_dict.items():
        messages_ = [message for error in errors for message in error.messages]
        parts = key.split(".")
        if key == "headline":
            form.add_error("headline", messages_)
        elif parts[0] == "claims" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(claims.forms):
            claim_form = claims.forms[int(parts[1])]
            claim_form.add_error(
                parts[2] if parts[2] in claim_form.fields and parts[2] != "verdict" else None, messages_
            )
        else:
            form.add_error(None, messages_)


@role_required(policy.can_publish)
def report_publish(request, pk: int):
    """The report editor. GET: the report and a row per settled statement (saved, or prefilled). POST
    action=save|publish|withdraw."""
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
        claims = ClaimFormSet(request.POST, prefix=CLAIMS_PREFIX)
        if form.is_valid() and claims.is_valid():
            service = services.report_publish if action == "publish" else services.report_draft_save
            try:
                report = service(
                    article=article,
                    editor=request.user,
                    headline=form.cleaned_data["headline"],
                    summary=form.cleaned_data["summary"],
                    credit_reviewers=form.cleaned_data["credit_reviewers"],
                    claims=[claim_form.claim_input() for claim_form in claims.forms],
                )
            except ValidationError as exc:
                _attach_errors(form, claims, exc)
            else:
                if report.is_public:
                    messages.success(request, "Report published. Readers can see it now.")
                    return redirect("reviews:report_detail", pk=report.pk)
                messages.success(request, "Draft saved. Only editors can see it until you publish.")
                return redirect("reviews:report_publish", pk=pk)
        rows = selectors.report_editor_claims(article=article)
    else:
        if report:
            initial = {
                "headline": report.headline,
                "summary": report.summary,
                "credit_reviewers": report.credit_reviewers,
            }
        else:
            initial = {"headline": f"Fact-check: {article.title}"[: services.HEADLINE_MAX], "credit_reviewers": True}
        form = ReportForm(initial=initial)
        rows = selectors.report_editor_claims(article=article)
        claims = ClaimFormSet(initial=[claim_initial(row) for row in rows], prefix=CLAIMS_PREFIX)
    by_statement = {row.statement_id: row for row in rows}
    claim_rows = [(claim_form, by_statement.get(_statement_of(claim_form))) for claim_form in claims.forms]
    context = {
        "article": article,
        "report": report,
        "form": form,
        "claims": claims,
        "claim_rows": claim_rows,
        "claims_with_errors": [
            (index + 1, row) for index, (claim_form, row) in enumerate(claim_rows) if claim_form.errors
        ],
        "included_count": sum(1 for claim_form, _ in claim_rows if _included(claim_form)),
        "byline": selectors.report_byline(report=report) if report else None,
        "events": selectors.report_events(report=report)[:20] if report else [],
    }
    return render(request, "reviews/report_publish.html", context)


def _statement_of(claim_form) -> int | None:
    value = claim_form["statement"].value()
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _included(claim_form) -> bool:
    value = claim_form["included"].value()
    return value not in (False, None, "", "false", "off")


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


def _fact_checks(request, template: str):
    page = selectors.published_reports_page(cursor=request.GET.get("after", ""), size=REPORTS_PAGE_SIZE)
    reports = [(report, selectors.report_tally(report)) for report in page]
    return render(request, template, {"page": page, "reports": reports})


def report_list(request):
    """Public: every published report, newest first, a page at a time after a cursor."""
    return _fact_checks(request, "reviews/report_list.html")


def front_page(request):
    """The site root for readers without an account: the published fact-checks, and the desk's way in."""
    return _fact_checks(request, "reviews/front_page.html")


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
        "claims": public.claims,
        "byline": public.byline,
        "tally": public.tally,
        "can_publish": policy.can_publish(request.user),
        "publisher_name": settings.PUBLISHER_NAME,
        # json_for_script escapes "<", ">" and "&", so imported text cannot close the <script> element.
        "json_ld": mark_safe(json_for_script(claim_reviews)),  # noqa: S308
    }
    return render(request, "reviews/report_detail.html", context)


def report_json(request, pk: int):
    """The report as JSON: its byline, its article's metadata and one ClaimReview per included claim."""
    public = _public_report(request, pk)
    data = report_document(public=public, **_document_urls(request, public.report))
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})


@role_required(policy.can_publish)
def verdicts_csv(request):
    """Every settled statement, streamed a batch at a time so a large desk never builds the file in memory."""
    pieces = in_pieces(verdict_csv_pieces(selectors.settled_statement_rows()))
    response = StreamingHttpResponse(pieces, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="verdicts-{date.today().isoformat()}.csv"'
    return response
