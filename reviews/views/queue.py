"""The reviewer's pages: their queue and the rating page of one assignment."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from factcheck.accounts import policy
from factcheck.accounts.decorators import role_required

from ..forms import EvidenceFormSet, RatingForm
from ..selectors import assignments as assignment_selectors
from ..selectors import ratings as rating_selectors
from ..selectors.deadlines import due_mark
from ..services import ratings as rating_services

QUEUE_PAGE_SIZE = 25
# A new rating starts at the middle of the confidence scale, visibly chosen, so that rating from the keyboard
# takes a verdict key and a submit; Shift+1–5 (or a click) changes it.
DEFAULT_CONFIDENCE = 3


@role_required(policy.can_rate)
def queue(request):
    """The reviewer's statements to rate and those rated, each a page at a time after a cursor (the same cost
    on the hundredth page as on the first); the totals are maintained counts."""
    user = request.user
    todo = assignment_selectors.todo_page(user=user, cursor=request.GET.get("after", ""), size=QUEUE_PAGE_SIZE)
    now = timezone.now()
    for item in todo:
        item.due_mark = due_mark(item.due_at, now=now)
    context = {
        "todo": todo,
        "done": assignment_selectors.done_page(
            user=user, cursor=request.GET.get("done_after", ""), size=QUEUE_PAGE_SIZE
        ),
        "load": assignment_selectors.reviewer_load(user=user),
    }
    return render(request, "reviews/queue.html", context)


@role_required(policy.can_rate)
def assignment_detail(request, pk: int):
    assignment = get_object_or_404(assignment_selectors.assignments_of(user=request.user), pk=pk)
    statement = assignment.statement
    rating = rating_selectors.own_rating(user=request.user, statement_id=statement.pk)
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
                rating_services.Evidence(url=f.cleaned_data["url"], note=f.cleaned_data.get("note", ""))
                for f in evidence
                if f.cleaned_data.get("url")
            ]
            try:
                rating_services.rating_submit(
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
                if request.POST.get("then") == "next":
                    return _to_next_in_queue(request, assignment)
                messages.success(request, "Rating saved.")
                return redirect("reviews:assignment_detail", pk=pk)
    else:
        initial = {"confidence": DEFAULT_CONFIDENCE}
        evidence_initial = []
        if rating:
            initial = {"verdict": rating.verdict, "confidence": rating.confidence, "rationale": rating.rationale}
            evidence_initial = [{"url": e.url, "note": e.note} for e in rating.evidence.all()]
        form = RatingForm(initial=initial)
        evidence = EvidenceFormSet(prefix="evidence", initial=evidence_initial)
    # Focus lands on the verdict, or on the rationale when that is the only thing to fix.
    focus_rationale = bool(form.errors.get("rationale")) and not form.errors.get("verdict")
    if focus_rationale:
        form.fields["rationale"].widget.attrs["autofocus"] = True
    article = statement.article
    others = rating_selectors.other_ratings_visible_to(user=request.user, statement_id=statement.pk)
    if others:
        # From now on a change to this reviewer's rating is no longer blind (see rating_submit).
        rating_services.rating_saw_others(reviewer=request.user, statement_id=statement.pk)
    # J/K and the Previous/Next links walk the to-do queue in its own order.
    previous_pk, next_pk = assignment_selectors.queue_neighbours(user=request.user, assignment=assignment)
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
        "others": others,
        "previous_pk": previous_pk,
        "next_pk": next_pk,
        "focus_verdict": not locked and not focus_rationale,
    }
    return render(request, "reviews/assignment_detail.html", context)


def _to_next_in_queue(request, assignment):
    """After "Submit and next": the next statement in the reviewer's queue, or the queue once nothing is left."""
    next_pk = assignment_selectors.queue_next(user=request.user, after=assignment)
    if next_pk is None:
        messages.success(request, "Rating saved. Nothing is left to rate in your queue.")
        return redirect("reviews:queue")
    messages.success(request, "Rating saved. This is the next statement in your queue.")
    return redirect("reviews:assignment_detail", pk=next_pk)
