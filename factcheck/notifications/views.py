"""Notifications pages: a member's notices (newest first, a keyset page at a time), marking them read, and
the delivery preference form that sits on My settings. Every member has notices, whatever their role."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from . import selectors
from .forms import PreferenceForm
from .links import notice_path
from .services import notices as notice_services
from .services import preferences as preference_services

PAGE_SIZE = 25


def _back(request, default: str = "notifications:list"):
    """Back where the button was pressed (a page of the list), never off this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


@require_GET
@login_required
def notice_list(request):
    page = selectors.notices_page(user=request.user, cursor=request.GET.get("after", ""), size=PAGE_SIZE)
    rows = [(notice, notice_path(notice)) for notice in page]
    return render(request, "notifications/list.html", {"page": page, "rows": rows})


@require_POST
@login_required
def notice_read(request, pk: int):
    notice = get_object_or_404(selectors.notices_of(user=request.user), pk=pk)
    notice_services.notice_mark_read(user=request.user, notice_id=notice.pk)
    return _back(request)


@require_POST
@login_required
def notices_read_all(request):
    marked = notice_services.notices_mark_all_read(user=request.user)
    if marked:
        messages.success(request, f"Marked {marked} notification{'s' if marked != 1 else ''} read.")
    else:
        messages.info(request, "Nothing was unread.")
    return _back(request)


@require_POST
@login_required
def preferences(request):
    form = PreferenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the three ways to be told, then save.")
        return redirect("api:settings")
    try:
        preference = preference_services.preference_set(user=request.user, delivery=form.cleaned_data["delivery"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Saved: notifications {preference.get_delivery_display().lower()}.")
    return redirect("api:settings")
