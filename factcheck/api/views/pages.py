"""My settings: a member's API tokens (create, see when each was last used, revoke); admins also see and
revoke every member's. A new token is shown on the page that answers its creation, once. And whether
published reports may name the member in their bylines."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from factcheck.accounts import policy
from factcheck.accounts.selectors import member_named_in_bylines
from factcheck.accounts.services import member_byline_consent_set

from .. import selectors
from ..forms import BylineForm, TokenForm
from ..services import tokens as services


def _page(request, *, form=None, new_token=None, status=200):
    user = request.user
    context = {
        "form": form or TokenForm(),
        "byline_form": BylineForm(initial={"named_in_bylines": member_named_in_bylines(user=user)}),
        "tokens": selectors.tokens_of(user=user),
        "new_token": new_token,
        "desk_tokens": selectors.tokens_active() if policy.can_manage_members(user) else None,
    }
    return render(request, "api/settings.html", context, status=status)


@login_required
def my_settings(request):
    if request.method != "POST":
        return _page(request)
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            new = services.token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error(None, exc)  # a message about the name lands on the name field
        else:
            return _page(request, new_token=new)
    return _page(request, form=form)


@require_POST
@login_required
def token_revoke(request, pk: int):
    user = request.user
    visible = selectors.tokens_visible_to(user=user, can_see_all=policy.can_manage_members(user))
    token = get_object_or_404(visible, pk=pk)
    services.token_revoke(token=token, revoked_by=user)
    owner = "" if token.user_id == user.pk else f" of {token.user.username}"
    messages.success(request, f"Token “{token.name}”{owner} revoked: it no longer works.")
    return redirect("api:settings")


@require_POST
@login_required
def byline_consent(request):
    form = BylineForm(request.POST)
    form.is_valid()  # a lone checkbox: absent means no
    named = bool(form.cleaned_data.get("named_in_bylines"))
    member_byline_consent_set(member=request.user, named=named)
    if named:
        messages.success(request, "Published fact-checks carrying your verdicts may now name you.")
    else:
        messages.success(request, "Published fact-checks will not name you.")
    return redirect("api:settings")
