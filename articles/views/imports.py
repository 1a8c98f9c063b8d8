"""Import pages: upload files or URLs, follow a job, retry its failed items, download an item's raw input."""

import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from factcheck.accounts import policy
from factcheck.accounts.decorators import role_required
from factcheck.core.uploads import request_too_big

from ..forms import ImportForm
from ..models import ImportItem
from ..selectors import imports as selectors
from ..services import imports as services

PAGE_SIZE = 25
MB = 1024 * 1024
ITEMS_PAGE_SIZE = 50


def _request_too_big(request) -> str:
    """Why the upload is refused ("" when it is not); its files were skipped as they arrived."""
    if not request_too_big(request):
        return ""
    length, limit = int(request.META["CONTENT_LENGTH"]), settings.UPLOAD_MAX_REQUEST_BYTES
    return (
        f"These files come to {length / MB:,.1f} MB; at most {limit / MB:,.0f} MB can be uploaded at once. "
        "Upload them in several goes, or zip them."
    )


@role_required(policy.can_import)
def import_list(request):
    if request.method == "POST" and (refusal := _request_too_big(request)):
        page = Paginator(selectors.import_jobs_for(user=request.user), PAGE_SIZE).get_page(None)
        context = {"form": ImportForm(), "page": page, "refusal": refusal}
        return render(request, "articles/import_list.html", context, status=413)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            # The files stay spooled on disk; the service reads them one at a time as it stores them.
            uploads = [services.Upload(name=f.name, data=f) for f in form.cleaned_data["files"]]
            try:
                job = services.import_job_create(
                    created_by=request.user, uploads=uploads, urls=form.cleaned_data["urls"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                # Neutral, not success: the job has not run yet, and its own status says how it went.
                messages.info(request, f"Import #{job.pk} queued: {job.sources_total} source(s).")
                return redirect("articles:import_detail", pk=job.pk)
    else:
        form = ImportForm()
    page = Paginator(selectors.import_jobs_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/import_list.html", {"form": form, "page": page})


def _job_context(job) -> dict:
    return {"job": job, "no_worker_warning": selectors.no_worker_suspected(job)}


@role_required(policy.can_import)
def import_detail(request, pk: int):
    job = get_object_or_404(selectors.import_jobs_for(user=request.user), pk=pk)
    status = request.GET.get("status") or ""
    if status not in ImportItem.Status.values:
        status = ""
    items = selectors.import_items_for(job=job, status=status or None)
    page = Paginator(items, ITEMS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = _job_context(job) | {"page": page, "status": status, "statuses": ImportItem.Status.choices}
    return render(request, "articles/import_detail.html", context)


@role_required(policy.can_import)
def import_progress(request, pk: int):
    """The progress fragment htmx polls; it stops polling once the job has finished."""
    job = get_object_or_404(selectors.import_jobs_for(user=request.user), pk=pk)
    return render(request, "articles/_import_progress.html", _job_context(job))


@require_POST
@role_required(policy.can_import)
def import_retry(request, pk: int):
    job = get_object_or_404(selectors.import_jobs_for(user=request.user), pk=pk)
    try:
        retry = services.import_job_retry_failed(job=job, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("articles:import_detail", pk=pk)
    messages.info(request, f"Retrying {retry.sources_total} failed item(s) as import #{retry.pk}.")
    return redirect("articles:import_detail", pk=retry.pk)


@role_required(policy.can_import)
def import_item_raw(request, pk: int):
    """The item's raw input exactly as it was imported, as a download: never rendered in the page."""
    item = get_object_or_404(selectors.import_item_raw(pk=pk))
    filename = re.sub(r"[^\w.-]+", "_", item.name.rsplit("/", 1)[-1])[:100] or f"item-{item.pk}"
    response = HttpResponse(bytes(item.raw), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="item-{item.pk}-{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
