"""The scoring page: which check-worthiness model scores new statements, how well each validated, how many
desk decisions there are to learn from, and Train now."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render

from articles.checkworthiness import DEFAULT_MODEL_NAME
from articles.selectors.scoring import scorer_models
from factcheck.accounts import policy
from factcheck.accounts.decorators import role_required

from ..selectors.desk_decisions import desk_decision_counts
from ..services.scorer_training import scorer_train_soon

MODELS_SHOWN = 50


@role_required(policy.can_view_articles)
def scoring_models(request):
    if request.method == "POST":
        policy.require(policy.can_curate, request.user)
        scorer_train_soon(requested_by=request.user)
        messages.success(
            request, "Training from the desk's decisions has been queued; unreviewed statements are re-scored after."
        )
        return redirect("reviews:scoring_models")
    context = {
        "models": scorer_models()[:MODELS_SHOWN],
        "decisions": desk_decision_counts(),
        "threshold": settings.CHECKWORTHINESS_THRESHOLD,
        "default_model": DEFAULT_MODEL_NAME,
    }
    return render(request, "reviews/scoring_models.html", context)
