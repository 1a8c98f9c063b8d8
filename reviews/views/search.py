"""The search page: one box over statements, articles and published reports, scoped to the member's role."""

from django.shortcuts import render

from factcheck.accounts import policy
from factcheck.accounts.decorators import role_required

from ..forms import SearchForm
from ..selectors.search import SearchFilters, kinds_for, search


@role_required(policy.can_search)
def search_page(request):
    kinds = kinds_for(request.user)
    form = SearchForm(request.GET or None, kinds=kinds, desk_filters=policy.can_view_articles(request.user))
    results = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        filters = SearchFilters(
            state=data.get("state", ""),
            verdict=data.get("verdict", ""),
            site=data.get("site", "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        results = search(user=request.user, text=data["q"].strip(), kind=data["kind"], filters=filters)
    return render(request, "reviews/search.html", {"form": form, "results": results, "kinds": kinds})
