"""Feed pages: subscribe, see a feed's entries, poll now, pause or resume."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from factcheck.accounts import policy
from factcheck.accounts.decorators import role_required

from ..forms import FeedForm
from ..models import Feed
from ..selectors import feeds as selectors
from ..services import feeds as services

ENTRIES_PAGE_SIZE = 50


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
    return render(request, "articles/feed_list.html", {"form": form, "feeds": selectors.feeds_with_counts()})


@role_required(policy.can_import)
def feed_detail(request, pk: int):
    feed = get_object_or_404(Feed, pk=pk)
    entries = Paginator(selectors.feed_entries(feed=feed), ENTRIES_PAGE_SIZE).get_page(request.GET.get("page"))
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
    # Neutral: a feed resumed after errors still shows its last error beside this banner.
    messages.info(request, f"{feed} is {'active' if feed.active else 'paused'}.")
    return redirect("articles:feed_detail", pk=pk)
