"""Deadlines, capacity and controlled auto-assign: the auto-assign preview and its confirm, a batch and its undo,
the editors' overdue list with one-step reassign, moving a due date, and the bulk actions the desk's lists post."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from factcheck.accounts import policy
from factcheck.accounts.decorators import role_required

from ..forms import AutoAssignPlanForm, BulkActionForm, DueForm, ReassignForm
from ..models import default_due_at
from ..selectors import assignments as assignment_selectors
from ..selectors import deadlines as selectors
from ..services import assignments as assignment_services
from ..services import auto_assign as auto_assign_services
from ..services import deadlines as deadline_services

OVERDUE_PAGE_SIZE = 25


def _next(request, fallback: str) -> str:
    """Where to go back to: the posted/asked `next` if it is a path on this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _errors(exc) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def _choices(data) -> auto_assign_services.AutoAssignChoices:
    return auto_assign_services.AutoAssignChoices(
        article_id=data.get("article"),
        statement_ids=tuple(data.get("statement_ids") or ()),
        top=data["top"],
        min_score=data["min_score"] or 0.0,
        only_checkable=data["only_checkable"],
        per_statement=data["per_statement"],
        reviewer_ids=tuple(r.pk for r in data.get("reviewers") or ()),
        due_at=data["due_at"],
    )


@role_required(policy.can_assign)
def auto_assign(request):
    """GET: the choices, and with them (`preview=1`) the plan, which writes nothing. POST: confirm that plan;
    if the desk changed meanwhile nothing is written and the new plan is shown."""
    reviewers = assignment_selectors.desk_reviewers().order_by("username")
    submitted = request.method == "POST" or "preview" in request.GET
    if submitted:
        data = (request.POST if request.method == "POST" else request.GET).copy()
        if not data.get("due_at"):
            # The desk default, fixed now, so the preview and its confirm name the same due date.
            data["due_at"] = timezone.localtime(default_due_at()).strftime("%Y-%m-%dT%H:%M")
        form = AutoAssignPlanForm(data, reviewers=reviewers)
    else:
        initial = {"article": request.GET.get("article") or None, "statement_ids": request.GET.getlist("statement_ids")}
        initial["next"] = request.GET.get("next", "")
        form = AutoAssignPlanForm(initial=initial, reviewers=reviewers)
    plan = None
    if submitted and form.is_valid():
        choices = _choices(form.cleaned_data)
        if request.method == "POST":
            try:
                batch = auto_assign_services.auto_assign_confirm(
                    choices=choices, confirmed_by=request.user, expected=form.cleaned_data["plan"]
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(
                    request,
                    f"Assigned {batch.assignment_count} statement reviews as one batch. You can undo it here "
                    "until someone starts rating.",
                )
                batch_url = reverse("reviews:auto_assign_batch", args=[batch.pk])
                back = _next(request, "")
                return redirect(f"{batch_url}?{urlencode({'next': back})}" if back else batch_url)
        try:
            plan = auto_assign_services.auto_assign_preview(choices=choices, previewed_by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {"form": form, "plan": plan, "back": _next(request, reverse("reviews:overview"))}
    return render(request, "reviews/auto_assign.html", context)


@role_required(policy.can_assign)
def auto_assign_batch(request, pk: int):
    batch = selectors.batch_for_editors(pk=pk)
    if batch is None:
        raise Http404("No such auto-assign.")
    return render(request, "reviews/auto_assign_batch.html", {"batch": batch, "back": _next(request, "")})


@require_POST
@role_required(policy.can_assign)
def auto_assign_undo(request, pk: int):
    batch = selectors.batch_for_editors(pk=pk)
    if batch is None:
        raise Http404("No such auto-assign.")
    try:
        taken = auto_assign_services.auto_assign_undo(batch=batch, undone_by=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, f"Undone: {taken} assignment(s) taken back.")
    return redirect("reviews:auto_assign_batch", pk=pk)


@role_required(policy.can_assign)
def overdue(request):
    """Overdue work per reviewer, and the overdue assignments (one reviewer's, or all) to reassign in one step."""
    now = timezone.now()
    try:
        reviewer_id = int(request.GET.get("reviewer") or 0) or None
    except ValueError:
        reviewer_id = None
    page = selectors.overdue_page(
        now=now, reviewer_id=reviewer_id, cursor=request.GET.get("after", ""), size=OVERDUE_PAGE_SIZE
    )
    context = {
        "summary": selectors.overdue_by_reviewer(now=now),
        "counted": selectors.OVERDUE_COUNTED,
        "page": page,
        "reviewer_id": reviewer_id,
        "keep": urlencode({"reviewer": reviewer_id}) if reviewer_id else "",
        "candidates": list(selectors.reviewers_with_room()),
        "now": now,
    }
    return render(request, "reviews/overdue.html", context)


@require_POST
@role_required(policy.can_assign)
def assignment_reassign(request, pk: int):
    assignment = get_object_or_404(assignment_selectors.assignments_for_editors(), pk=pk)
    back = _next(request, reverse("reviews:statement_review", args=[assignment.statement_id]))
    form = ReassignForm(request.POST, reviewers=assignment_selectors.desk_reviewers())
    if not form.is_valid():
        messages.error(request, "Choose the reviewer to give the statement to (and a due date in the future).")
        return redirect(back)
    try:
        new = deadline_services.assignment_reassign(
            assignment=assignment,
            to_reviewer=form.cleaned_data["reviewer"],
            reassigned_by=request.user,
            due_at=form.cleaned_data["due_at"],
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request, f"Reassigned from {assignment.reviewer.username} to {new.reviewer.username}; its history stays."
        )
    return redirect(back)


@require_POST
@role_required(policy.can_assign)
def assignment_due(request, pk: int):
    assignment = get_object_or_404(assignment_selectors.assignments_for_editors(), pk=pk)
    back = _next(request, reverse("reviews:statement_review", args=[assignment.statement_id]))
    form = DueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a due date and time.")
        return redirect(back)
    try:
        changed = deadline_services.assignments_set_due(
            assignment_ids=[assignment.pk], due_at=form.cleaned_data["due_at"], changed_by=request.user
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "Due date changed." if changed else "Nothing changed: it is rated, or due then.")
    return redirect(back)


@require_POST
@role_required(policy.can_assign)
def statements_bulk(request):
    """POST statement_ids (repeated), action (assign | auto_assign | not_checkable | deadline), with reviewers
    (assign), due_at (assign, optional; deadline) and next; redirects back to `next`. Auto-assign goes on to its
    preview with the selection, which writes nothing until confirmed."""
    reviewers = assignment_selectors.desk_reviewers()
    form = BulkActionForm(request.POST, reviewers=reviewers)
    back = _next(request, reverse("reviews:article_list"))
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    data, ids = form.cleaned_data, form.cleaned_data["statement_ids"]
    action = data["action"]
    if action == "auto_assign":
        query = urlencode(
            {
                "statement_ids": ",".join(map(str, ids)),
                "top": min(len(ids), settings.AUTO_ASSIGN_MAX_STATEMENTS),
                "min_score": 0,
                "per_statement": settings.REVIEWS_PER_STATEMENT,
                "only_checkable": "on",
                "preview": 1,
                "next": back,
            }
        )
        return redirect(f"{reverse('reviews:auto_assign')}?{query}")
    try:
        if action == "assign":
            statements = list(assignment_selectors.statements_by_ids(ids))
            created = assignment_services.assignments_create(
                statements=statements,
                reviewers=list(data["reviewers"]),
                assigned_by=request.user,
                due_at=data["due_at"],
            )
            messages.success(request, f"{created} new assignment(s).")
        elif action == "not_checkable":
            changed = deadline_services.statements_mark_not_checkable(statement_ids=ids, marked_by=request.user)
            messages.success(request, f"Marked {changed} statement(s) not checkable.")
        else:
            changed = deadline_services.statements_set_due(
                statement_ids=ids, due_at=data["due_at"], changed_by=request.user
            )
            messages.success(request, f"Moved the due date of {changed} open assignment(s).")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    return redirect(back)
