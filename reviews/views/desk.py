"""The editors' desk: the overview, the article page, assigning (by hand or automatically),
the statement page with its ratings and history, settling, and taking an assignment back."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from articles.selectors.statements import statement_history
from factcheck.accounts import policy
from factcheck.accounts.decorators import role_required
from factcheck.audit.selectors import history

from ..forms import AssignForm, AutoAssignForm, SettleForm
from ..models import default_due_at
from ..selectors import assignments as assignment_selectors
from ..selectors import desk as selectors
from ..selectors import ratings as rating_selectors
from ..selectors.claim_memory import earlier_checks
from ..selectors.deadlines import reviewers_with_room
from ..selectors.team_summaries import team_overview
from ..services import assignments as assignment_services
from ..services.settlement import statement_settle as settle

HISTORY_PAGE_SIZE = 50


@role_required(policy.can_view_articles)
def overview(request):
    context = {
        "workload": assignment_selectors.reviewer_workload(),
        "disputed": selectors.statements_needing_attention(),
        "counts": selectors.desk_counts(),
        "team": team_overview(),
    }
    return render(request, "reviews/overview.html", context)


@role_required(policy.can_view_articles)
def article_detail(request, pk: int):
    order = "score" if request.GET.get("order") == "score" else "position"
    article = selectors.article_page(pk=pk, order=order)
    if article is None:
        raise Http404("No such article.")
    context = {
        "article": article,
        "order": order,
        "statements": article.ordered_statements,
        "reviewers": assignment_selectors.desk_reviewers().order_by("username"),
        "auto_form": AutoAssignForm(),
        "settle_form": SettleForm(),
    }
    return render(request, "reviews/article_detail.html", context)


@role_required(policy.can_view_articles)
def article_history(request, pk: int):
    """Everything that happened to the article, its statements and its report, newest first."""
    article = get_object_or_404(selectors.desk_articles(), pk=pk)
    events = history(of=article, including_parts=True).reverse()
    page = Paginator(events, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/article_history.html", {"article": article, "page": page})


@require_POST
@role_required(policy.can_assign)
def article_assign(request, pk: int):
    article = get_object_or_404(selectors.desk_articles(), pk=pk)
    form = AssignForm(request.POST, article=article, reviewers=assignment_selectors.desk_reviewers())
    if not form.is_valid():
        messages.error(request, "Select at least one statement and one reviewer to assign.")
        return redirect("reviews:article_detail", pk=pk)
    try:
        created = assignment_services.assignments_create(
            statements=list(form.cleaned_data["statements"]),
            reviewers=list(form.cleaned_data["reviewers"]),
            assigned_by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{created} new assignment(s).")
    return redirect("reviews:article_detail", pk=pk)


@require_POST
@role_required(policy.can_assign)
def article_auto_assign(request, pk: int):
    """The article page's auto-assign button: on to the preview of its statements, which writes nothing until
    the editor confirms there."""
    article = get_object_or_404(selectors.desk_articles(), pk=pk)
    form = AutoAssignForm(request.POST)
    per_statement = form.cleaned_data["per_statement"] if form.is_valid() else 2
    query = {"article": article.pk, "per_statement": per_statement, "top": 50, "min_score": 0, "preview": 1}
    query["due_at"] = timezone.localtime(default_due_at()).strftime("%Y-%m-%dT%H:%M")
    query["next"] = reverse("reviews:article_detail", args=[article.pk])
    if not form.is_valid() or form.cleaned_data["only_checkable"]:
        query["only_checkable"] = "on"
    return redirect(f"{reverse('reviews:auto_assign')}?{urlencode(query)}")


@role_required(policy.can_view_articles)
def statement_review(request, pk: int):
    """Editor's view of one statement: all ratings, history, and the settle form."""
    statement = get_object_or_404(selectors.statement_for_review(), pk=pk)
    context = {
        "statement": statement,
        "ratings": rating_selectors.ratings_for_statement(statement_id=pk),
        "events": statement_history(statement=statement),
        "assignments": statement.assignments.select_related("reviewer").order_by("pk"),
        "candidates": list(reviewers_with_room()),
        "earlier_checks": earlier_checks(statement_id=pk),
        "can_settle": policy.can_settle(request.user),
        "settle_form": SettleForm(),
    }
    return render(request, "reviews/statement_review.html", context)


@require_POST
@role_required(policy.can_settle)
def statement_settle(request, pk: int):
    statement = get_object_or_404(selectors.statement_for_review(), pk=pk)
    form = SettleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a verdict to settle this statement.")
        return redirect("reviews:statement_review", pk=pk)
    try:
        settle(statement=statement, editor=request.user, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, "Statement settled.")
    return redirect("reviews:statement_review", pk=pk)


@require_POST
@role_required(policy.can_assign)
def assignment_remove(request, pk: int):
    assignment = get_object_or_404(assignment_selectors.assignments_for_editors(), pk=pk)
    try:
        assignment_services.assignment_remove(assignment=assignment, removed_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{assignment.reviewer.username} no longer has this statement.")
    return redirect("reviews:statement_review", pk=assignment.statement_id)
