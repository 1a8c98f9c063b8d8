"""Editor curation pages: one GET page per statement and the POST endpoints behind its forms."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from factcheck.accounts import policy
from factcheck.accounts.decorators import role_required
from factcheck.audit.selectors import history
from reviews.models import Assignment, Rating

from . import curation
from .audit_actions import CURATION_ACTIONS
from .curation_forms import StatementMarkForm, StatementSplitForm, StatementTextForm
from .models import Statement

CONTEXT_CHARS = 400
REVISIONS_PAGE_SIZE = 20
CHECKABILITY_LABELS = dict(Statement.Checkability.choices)


def _article_anchor(statement: Statement):
    url = reverse("articles:article_detail", args=[statement.article_id])
    return redirect(f"{url}#statement-{statement.pk}")


def _split_points(text: str) -> list[tuple[str, int | None]]:
    """The text as (chunk, split index after it) pairs, split only between words; the last index is None."""
    pieces, last = [], 0
    for gap in re.finditer(r"\s+", text):
        if gap.start() == 0 or gap.end() == len(text):
            continue
        pieces.append((text[last : gap.start()], gap.start()))
        last = gap.end()
    pieces.append((text[last:], None))
    return pieces


def _excerpt(body: str, start: int, end: int) -> dict:
    before_from, after_to = max(0, start - CONTEXT_CHARS), min(len(body), end + CONTEXT_CHARS)
    return {
        "before": ("…" if before_from else "") + body[before_from:start],
        "span": body[start:end],
        "after": body[end:after_to] + ("…" if after_to < len(body) else ""),
    }


@role_required(policy.can_curate)
def statement_curate(request, pk: int):
    statement = get_object_or_404(Statement.objects.select_related("article", "summary"), pk=pk)
    article = statement.article
    following = article.statements.filter(position=statement.position + 1).first()
    involved = [statement.pk] + ([following.pk] if following else [])
    rated = set(Rating.objects.filter(statement_id__in=involved).values_list("statement_id", flat=True))
    assigned = set(Assignment.objects.filter(statement_id__in=involved).values_list("statement_id", flat=True))
    settled = bool(getattr(statement, "summary", None) and statement.summary.editor_verdict)
    revisions = Paginator(
        history(of=article, including_parts=True, actions=CURATION_ACTIONS).reverse(), REVISIONS_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "statement": statement,
        "article": article,
        "following": following,
        "excerpt": _excerpt(article.body, statement.start, statement.end),
        "edited": statement.text != article.body[statement.start : statement.end],
        "split_points": _split_points(statement.text),
        "text_form": StatementTextForm(initial={"text": statement.text}),
        "is_rated": statement.pk in rated,
        "is_assigned": statement.pk in assigned,
        "is_settled": settled,
        "following_blocked": bool(following and (following.pk in rated or following.pk in assigned)),
        "revisions": revisions,
    }
    return render(request, "articles/curation/statement_curate.html", context)


def _run(request, statement: Statement, action, success: str):
    """Call a service; on success go back to the article at the statement, on refusal back to the curate page."""
    try:
        result = action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("articles:statement_curate", pk=statement.pk)
    messages.success(request, success)
    return _article_anchor(result if isinstance(result, Statement) else statement)


def _form_errors(form) -> str:
    return " ".join(message for errors in form.errors.values() for message in errors)


@require_POST
@role_required(policy.can_curate)
def statement_edit(request, pk: int):
    statement = get_object_or_404(Statement, pk=pk)
    form = StatementTextForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("articles:statement_curate", pk=pk)
    return _run(
        request,
        statement,
        lambda: curation.statement_edit_text(statement=statement, user=request.user, text=form.cleaned_data["text"]),
        f"Statement {statement.position + 1} edited; reviewers will see the new text.",
    )


@require_POST
@role_required(policy.can_curate)
def statement_split(request, pk: int):
    statement = get_object_or_404(Statement, pk=pk)
    form = StatementSplitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("articles:statement_curate", pk=pk)
    return _run(
        request,
        statement,
        lambda: curation.statement_split(statement=statement, user=request.user, at=form.cleaned_data["at"])[0],
        f"Statement {statement.position + 1} split in two.",
    )


@require_POST
@role_required(policy.can_curate)
def statement_merge(request, pk: int):
    statement = get_object_or_404(Statement, pk=pk)
    return _run(
        request,
        statement,
        lambda: curation.statement_merge_with_next(statement=statement, user=request.user),
        f"Statements {statement.position + 1} and {statement.position + 2} merged.",
    )


@require_POST
@role_required(policy.can_curate)
def statement_mark(request, pk: int):
    statement = get_object_or_404(Statement, pk=pk)
    form = StatementMarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _article_anchor(statement)
    checkability = form.cleaned_data["checkability"]
    try:
        curation.statement_mark(statement=statement, user=request.user, checkability=checkability)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        label = CHECKABILITY_LABELS[checkability].lower()
        messages.success(request, f"Statement {statement.position + 1} marked {label}.")
    return _article_anchor(statement)
