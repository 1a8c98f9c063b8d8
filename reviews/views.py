from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from articles import selectors as article_selectors
from articles.models import Statement
from factcheck.accounts import policy
from factcheck.accounts.decorators import role_required

from . import selectors, services
from .forms import EvidenceFormSet, RatingForm, SettleForm
from .models import Assignment


@role_required(policy.can_rate)
def queue(request):
    todo = Paginator(selectors.reviewer_queue(user=request.user, status=Assignment.Status.ASSIGNED), 25)
    done = Paginator(selectors.reviewer_queue(user=request.user, status=Assignment.Status.DONE), 25)
    return render(
        request,
        "reviews/queue.html",
        {"todo": todo.get_page(request.GET.get("page")), "done": done.get_page(request.GET.get("done_page"))},
    )


@role_required(policy.can_rate)
def assignment_detail(request, pk: int):
    assignment = selectors.assignment_for_reviewer(user=request.user, pk=pk)
    statement = assignment.statement
    rating = selectors.own_rating(user=request.user, statement_id=statement.pk)
    summary = getattr(statement, "summary", None)
    locked = bool(summary and summary.settled)
    if request.method == "POST":
        if locked:
            messages.error(request, "This statement is settled; its ratings can no longer change.")
            return redirect("reviews:assignment_detail", pk=pk)
        form = RatingForm(request.POST)
        evidence = EvidenceFormSet(request.POST, prefix="evidence")
        if form.is_valid() and evidence.is_valid():
            links = [
                services.Evidence(url=f.cleaned_data["url"], note=f.cleaned_data.get("note", ""))
                for f in evidence
                if f.cleaned_data.get("url")
            ]
            try:
                services.rating_submit(
                    assignment=assignment,
                    reviewer=request.user,
                    verdict=form.cleaned_data["verdict"],
                    confidence=form.cleaned_data["confidence"],
                    rationale=form.cleaned_data["rationale"],
                    evidence=links,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Rating saved.")
                return redirect("reviews:queue")
    else:
        initial = {}
        evidence_initial = []
        if rating:
            initial = {"verdict": rating.verdict, "confidence": rating.confidence, "rationale": rating.rationale}
            evidence_initial = [{"url": e.url, "note": e.note} for e in rating.evidence.all()]
        form = RatingForm(initial=initial)
        evidence = EvidenceFormSet(prefix="evidence", initial=evidence_initial)
    article = statement.article
    context = {
        "assignment": assignment,
        "statement": statement,
        "article": article,
        "before": article.body[: statement.start],
        "after": article.body[statement.end :],
        "highlight": article.body[statement.start : statement.end],
        "form": form,
        "evidence": evidence,
        "rating": rating,
        "locked": locked,
        "others": selectors.other_ratings_visible_to(user=request.user, statement_id=statement.pk),
    }
    return render(request, "reviews/assignment_detail.html", context)


@role_required(policy.can_view_articles)
def overview(request):
    context = {
        "workload": selectors.reviewer_workload(),
        "disputed": selectors.statements_needing_attention(),
        "counts": selectors.desk_counts(),
        "team": selectors.team_overview(),
    }
    return render(request, "reviews/overview.html", context)


@role_required(policy.can_view_articles)
def statement_review(request, pk: int):
    """Editor's view of one statement: all ratings, history, and the settle form."""
    statement = get_object_or_404(Statement.objects.select_related("article", "summary__settled_by"), pk=pk)
    context = {
        "statement": statement,
        "ratings": selectors.ratings_for_statement(statement_id=pk),
        "events": article_selectors.statement_history(statement=statement),
        "assignments": statement.assignments.select_related("reviewer").order_by("pk"),
        "settle_form": SettleForm(),
    }
    return render(request, "reviews/statement_review.html", context)


@require_POST
@role_required(policy.can_settle)
def statement_settle(request, pk: int):
    statement = get_object_or_404(Statement, pk=pk)
    form = SettleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a verdict to settle this statement.")
        return redirect("reviews:statement_review", pk=pk)
    try:
        services.statement_settle(
            statement=statement,
            editor=request.user,
            verdict=form.cleaned_data["verdict"],
            note=form.cleaned_data["note"],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Statement settled.")
    return redirect("reviews:statement_review", pk=pk)


@require_POST
@role_required(policy.can_assign)
def assignment_remove(request, pk: int):
    assignment = get_object_or_404(Assignment.objects.select_related("reviewer"), pk=pk)
    try:
        services.assignment_remove(assignment=assignment, removed_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{assignment.reviewer.username} no longer has this statement.")
    return redirect("reviews:statement_review", pk=assignment.statement_id)
