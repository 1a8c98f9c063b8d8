"""Editor curation pages: one GET page per statement and the POST endpoints behind its forms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from factcheck.accounts import policy
from factcheck.accounts.decorators import role_required

from ..audit_actions import CHECKABILITY_LABELS
from ..forms import StatementMarkForm, StatementSplitForm, StatementTextForm
from ..models import Statement
from ..selectors import curation as selectors
from ..selectors.statements import statements
from ..services import curation as services

REVISIONS_PAGE_SIZE = 20


def _article_anchor(statement: Statement):
    # The article page belongs to the desk (reviews); only its address is used here.
    return redirect(f"{reverse('reviews:article_detail', args=[statement.article_id])}#statement-{statement.pk}")


@role_required(policy.can_curate)
def statement_curate(request, pk: int):
    statement = get_object_or_404(statements(), pk=pk)
    page = selectors.curation_page(statement=statement)
    revisions = Paginator(selectors.curation_history(article=page.article), REVISIONS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "statement": statement,
        "article": page.article,
        "page": page,
        "text_form": StatementTextForm(initial={"text": statement.text}),
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


def _with_form(request, pk: int, form_class, action, success: str):
    """Validate the curation form; refused input goes back to the curate page with the reasons."""
    statement = get_object_or_404(Statement, pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("articles:statement_curate", pk=pk)
    success = success.format(n=statement.position + 1)
    return _run(request, statement, lambda: action(statement, form.cleaned_data), success)


@require_POST
@role_required(policy.can_curate)
def statement_edit(request, pk: int):
    def edit(statement, data):
        return services.statement_edit_text(statement=statement, user=request.user, text=data["text"])

    return _with_form(request, pk, StatementTextForm, edit, "Statement {n} edited; reviewers will see the new text.")


@require_POST
@role_required(policy.can_curate)
def statement_split(request, pk: int):
    def split(statement, data):
        return services.statement_split(statement=statement, user=request.user, at=data["at"])[0]

    return _with_form(request, pk, StatementSplitForm, split, "Statement {n} split in two.")


@require_POST
@role_required(policy.can_curate)
def statement_merge(request, pk: int):
    statement = get_object_or_404(Statement, pk=pk)
    return _run(
        request,
        statement,
        lambda: services.statement_merge_with_next(statement=statement, user=request.user),
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
        services.statement_mark(statement=statement, user=request.user, checkability=checkability)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"Statement {statement.position + 1} marked {CHECKABILITY_LABELS[checkability].lower()}."
        )
    return _article_anchor(statement)
