"""Editors act on the claim memory's suggestions: confirm or reject an earlier check, settle by reference."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from articles.services.claim_memory import claim_match_decide as decide
from factcheck.accounts import policy
from factcheck.accounts.decorators import role_required

from ..forms import ClaimMatchDecideForm
from ..selectors.claim_memory import claim_matches_for_editors
from ..services.settlement import statement_settle_by_reference as settle_by_reference


def _errors(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", [str(exc)]))


def _back(request, match):
    """Where the decision was taken (the triage board posts ``next``), else the statement's page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("reviews:statement_review", pk=match.statement_id)


@require_POST
@role_required(policy.can_settle)
def claim_match_decide(request, pk: int):
    match = get_object_or_404(claim_matches_for_editors(), pk=pk)
    form = ClaimMatchDecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say whether the statements make the same claim: confirm or reject.")
        return _back(request, match)
    try:
        decide(match=match, user=request.user, decision=form.cleaned_data["decision"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        confirmed = form.cleaned_data["decision"] == "confirm"
        messages.success(
            request,
            f"Recorded: statement #{match.statement_id} is "
            f"{'the same claim as' if confirmed else 'not the same claim as'} statement #{match.earlier_id}.",
        )
    return _back(request, match)


@require_POST
@role_required(policy.can_settle)
def statement_settle_by_reference(request, pk: int):
    match = get_object_or_404(claim_matches_for_editors(), pk=pk)
    try:
        settle_by_reference(statement=match.statement, earlier=match.earlier, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, f"Settled with the verdict of statement #{match.earlier_id}.")
    return redirect("reviews:statement_review", pk=match.statement_id)
