"""The triage board (the editors' landing page) and the filtered statement and article lists behind its
sections."""

from django.shortcuts import render
from django.utils import timezone

from articles.selectors.feeds import feeds_by_name
from factcheck.accounts import policy
from factcheck.accounts.decorators import role_required
from factcheck.core.pagination import keyset_page

from ..forms import BulkActionForm, TriageFilterForm
from ..selectors import triage as selectors
from ..selectors.assignments import desk_reviewers

PAGE_SIZE = 25
CURSOR = "after"
MORE_FILTERS = {
    "statements": ("reviewer", "score_min", "score_max", "site", "feed", "date_from", "date_to", "due", "checkable"),
    "articles": ("score_min", "score_max", "site", "feed", "date_from", "date_to", "checkable"),
}


@role_required(policy.can_view_articles)
def board(request):
    now = timezone.now()
    context = {
        "board": selectors.triage_board(now=now),
        "now": now,
        "can_import": policy.can_import(request.user),
        "can_settle": policy.can_settle(request.user),
    }
    return render(request, "reviews/triage.html", context)


def _filter_form(request, kind: str, *, reviewers: list[tuple[int, str]]) -> TriageFilterForm:
    feeds = [(feed.pk, str(feed)) for feed in feeds_by_name()]
    return TriageFilterForm(request.GET, kind=kind, reviewers=reviewers, feeds=feeds)


def _kept_query(request) -> str:
    """The list's filters as a query string, without the page cursor: what the next page link carries."""
    query = request.GET.copy()
    query.pop(CURSOR, None)
    query.pop("page", None)
    return query.urlencode()


def _filtered_list(request, *, kind: str, template: str):
    # One query for the desk's reviewers serves both the reviewer filter and the bulk action bar.
    reviewers = list(desk_reviewers().order_by("username").values_list("pk", "username"))
    form = _filter_form(request, kind, reviewers=reviewers)
    page = None
    if form.is_valid():
        if kind == "statements":
            rows = selectors.statements_for_triage(filters=form.filters())
            order = selectors.STATEMENT_ORDERS[form.order()]
        else:
            rows = selectors.articles_for_triage(filters=form.filters())
            order = selectors.ARTICLE_ORDER
        page = keyset_page(rows, order=order, cursor=request.GET.get(CURSOR, ""), size=PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "keep": _kept_query(request),
        "param": CURSOR,
        "filtered": any(value for key, value in request.GET.items() if key not in (CURSOR, "page", "sort")),
        # Filters beyond text, state and order sit folded away (long on a phone); open when one is set.
        "more_filters": sum(1 for name in MORE_FILTERS[kind] if request.GET.get(name)),
        # The statement list's bulk action bar (for those who may assign) posts back to this very list.
        "bulk": kind == "statements" and policy.can_assign(request.user),
        "bulk_actions": BulkActionForm.ACTIONS,
        "bulk_reviewers": reviewers,
        "here": request.get_full_path(),
    }
    return render(request, template, context, status=200 if page is not None else 400)


@role_required(policy.can_view_articles)
def statement_list(request):
    return _filtered_list(request, kind="statements", template="reviews/statement_list.html")


@role_required(policy.can_view_articles)
def article_list(request):
    return _filtered_list(request, kind="articles", template="reviews/article_list.html")
