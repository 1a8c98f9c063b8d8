from django.shortcuts import redirect, render

from factcheck.accounts import policy
from reviews.publishing.views import front_page


def home(request):
    """Readers get the published fact-checks; members go where their work is: admins to imports, editors to
    the triage board, reviewers to their queue."""
    user = request.user
    if not user.is_authenticated:
        return front_page(request)
    if policy.can_import(user):
        return redirect("articles:import_list")
    if policy.can_view_articles(user):
        return redirect("reviews:triage")
    if policy.can_rate(user):
        return redirect("reviews:queue")
    return render(request, "no_role.html", status=403)
