import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from factcheck.accounts import policy
from factcheck.accounts.decorators import role_required
from factcheck.accounts.roles import Role
from factcheck.accounts.selectors import members_with_role
from factcheck.audit.selectors import history
from reviews.forms import AssignForm, AutoAssignForm, SettleForm
from reviews.services import assignments_auto_create, assignments_create

from . import scoring, selectors, services
from .forms import FeedForm, ImportForm
from .models import Article, Feed, ImportItem, ImportJob

PAGE_SIZE = 25


@role_required(policy.can_import)
def import_list(request):
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            uploads = [services.Upload(name=f.name, data=f.read()) for f in form.cleaned_data["files"]]
            try:
                job = services.import_job_create(
                    created_by=request.user, uploads=uploads, urls=form.cleaned_data["urls"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Import #{job.pk} queued: {job.sources_total} source(s).")
                return redirect("articles:import_detail", pk=job.pk)
    else:
        form = ImportForm()
    page = Paginator(selectors.import_jobs_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/import_list.html", {"form": form, "page": page})


def _job_context(request, job: ImportJob) -> dict:
    waited = timezone.now() - job.created_at
    return {
        "job": job,
        "no_worker_warning": job.status == ImportJob.Status.PENDING and waited > settings.IMPORT_PENDING_WARNING_AFTER,
    }


@role_required(policy.can_import)
def import_detail(request, pk: int):
    job = get_object_or_404(selectors.import_jobs_for(user=request.user), pk=pk)
    status = request.GET.get("status") or ""
    if status not in ImportItem.Status.values:
        status = ""
    items = selectors.import_items_for(job=job, status=status or None)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    context = _job_context(request, job) | {"page": page, "status": status, "statuses": ImportItem.Status.choices}
    return render(request, "articles/import_detail.html", context)


@role_required(policy.can_import)
def import_progress(request, pk: int):
    """The progress fragment htmx polls; it stops polling once the job has finished."""
    job = get_object_or_404(selectors.import_jobs_for(user=request.user), pk=pk)
    return render(request, "articles/_import_progress.html", _job_context(request, job))


@role_required(policy.can_view_articles)
def article_list(request):
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.articles_for_editor(search=search), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/article_list.html", {"page": page, "q": search})


@role_required(policy.can_view_articles)
def article_detail(request, pk: int):
    try:
        article = selectors.article_with_statements(pk=pk)
    except Article.DoesNotExist as exc:
        raise Http404("No such article.") from exc
    reviewers = members_with_role(Role.REVIEWER).order_by("username")
    order = "score" if request.GET.get("order") == "score" else "position"
    statements = list(article.statements.all())  # prefetched in article order
    if order == "score":
        statements.sort(key=lambda st: (-st.score, st.position))
    context = {
        "article": article,
        "order": order,
        "statements": statements,
        "reviewers": reviewers,
        "auto_form": AutoAssignForm(),
        "settle_form": SettleForm(),
    }
    return render(request, "articles/article_detail.html", context)


@role_required(policy.can_view_articles)
def article_history(request, pk: int):
    """Everything that happened to the article, its statements and its report, newest first."""
    article = get_object_or_404(Article.objects.defer("body"), pk=pk)
    events = Paginator(history(of=article, including_parts=True).reverse(), 50).get_page(request.GET.get("page"))
    return render(request, "articles/article_history.html", {"article": article, "page": events})


@require_POST
@role_required(policy.can_assign)
def article_assign(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    form = AssignForm(request.POST, article=article, reviewers=members_with_role(Role.REVIEWER))
    if not form.is_valid():
        messages.error(request, "Select at least one statement and one reviewer to assign.")
        return redirect("articles:article_detail", pk=pk)
    try:
        created = assignments_create(
            statements=list(form.cleaned_data["statements"]),
            reviewers=list(form.cleaned_data["reviewers"]),
            assigned_by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{created} new assignment(s).")
    return redirect("articles:article_detail", pk=pk)


@require_POST
@role_required(policy.can_assign)
def article_auto_assign(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    form = AutoAssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Reviewers per statement must be a number from 1 to 10.")
        return redirect("articles:article_detail", pk=pk)
    statements = article.statements.order_by("-score", "position")
    if form.cleaned_data["only_checkable"]:
        statements = statements.filter(checkability="checkable")
    try:
        created = assignments_auto_create(
            statements=list(statements.only("pk")),
            assigned_by=request.user,
            per_statement=form.cleaned_data["per_statement"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Auto-assign made {created} new assignment(s).")
    return redirect("articles:article_detail", pk=pk)


@require_POST
@role_required(policy.can_import)
def import_retry(request, pk: int):
    job = get_object_or_404(selectors.import_jobs_for(user=request.user), pk=pk)
    try:
        retry = services.import_job_retry_failed(job=job, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("articles:import_detail", pk=pk)
    messages.success(request, f"Retrying {retry.sources_total} failed item(s) as import #{retry.pk}.")
    return redirect("articles:import_detail", pk=retry.pk)


@role_required(policy.can_import)
def feed_list(request):
    if request.method == "POST":
        form = FeedForm(request.POST)
        if form.is_valid():
            try:
                feed = services.feed_subscribe(created_by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Subscribed to {feed}. New entries will be imported.")
                return redirect("articles:feed_detail", pk=feed.pk)
    else:
        form = FeedForm()
    feeds = selectors.feeds_with_counts()
    return render(request, "articles/feed_list.html", {"form": form, "feeds": feeds})


@role_required(policy.can_import)
def feed_detail(request, pk: int):
    feed = get_object_or_404(Feed, pk=pk)
    entries = Paginator(selectors.feed_entries(feed=feed), 50).get_page(request.GET.get("page"))
    return render(request, "articles/feed_detail.html", {"feed": feed, "page": entries})


@require_POST
@role_required(policy.can_import)
def feed_poll_now(request, pk: int):
    feed = get_object_or_404(Feed, pk=pk, active=True)
    services.feed_poll_soon(feed=feed)
    messages.info(request, f"Checking {feed} for new entries.")
    return redirect("articles:feed_detail", pk=pk)


@require_POST
@role_required(policy.can_import)
def feed_toggle(request, pk: int):
    feed = get_object_or_404(Feed, pk=pk)
    services.feed_set_active(feed=feed, active=not feed.active)
    messages.success(request, f"{feed} is {'active' if feed.active else 'paused'}.")
    return redirect("articles:feed_detail", pk=pk)


@role_required(policy.can_view_articles)
def scoring_models(request):
    """The check-worthiness models: which one scores new statements, how well each validated; train now."""
    if request.method == "POST":
        policy.require(policy.can_curate, request.user)
        scoring.scorer_train_soon(requested_by=request.user)
        messages.success(
            request, "Training from the desk's decisions has been queued; unreviewed statements are re-scored after."
        )
        return redirect("articles:scoring_models")
    context = {
        "models": scoring.scorer_models()[:50],
        "decisions": scoring.desk_decision_counts(),
        "threshold": settings.CHECKWORTHINESS_THRESHOLD,
    }
    return render(request, "articles/scoring_models.html", context)


@role_required(policy.can_import)
def import_item_raw(request, pk: int):
    """The item's raw input exactly as it was imported, as a download: never rendered in the page."""
    item = get_object_or_404(ImportItem.objects.only("pk", "name", "raw"), pk=pk)
    filename = re.sub(r"[^\w.-]+", "_", item.name.rsplit("/", 1)[-1])[:100] or f"item-{item.pk}"
    response = HttpResponse(bytes(item.raw), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="item-{item.pk}-{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
