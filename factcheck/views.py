from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from factcheck.accounts import policy


@login_required
def home(request):
    """Send each role where its work is: admins to imports, editors to the triage board, reviewers to their queue."""
    user = request.user
    if policy.can_import(user):
        return redirect("articles:import_list")
    if policy.can_view_articles(user):
        return redirect("reviews:triage")
    if policy.can_rate(user):
        return redirect("reviews:queue")
    return render(request, "no_role.html", status=403)
