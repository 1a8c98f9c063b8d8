"""The scoring page: which check-worthiness model scores new statements, how well each validated, how many
desk decisions there are to learn from, and Train now."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from articles.checkworthiness import DEFAULT_MODEL_NAME
from articles.selectors.claim_memory import matcher_decision_counts, matcher_models
from articles.selectors.scoring import scorer_models
from articles.services.claim_memory import matcher_train_soon
from articles.services.scoring import scorer_in_use
from factcheck.accounts import policy
from factcheck.accounts.decorators import role_required

from ..selectors.desk_decisions import desk_decision_counts
from ..services.scorer_training import scorer_train_soon

MODELS_SHOWN = 50
MATCHERS_SHOWN = 10


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
        "scoring_now": scorer_in_use(),
        "matchers": matcher_models()[:MATCHERS_SHOWN],
        "match_decisions": matcher_decision_counts(),
        "min_score": settings.CLAIM_MATCH_MIN_SCORE,
        "min_probability": settings.CLAIM_MATCH_MIN_PROBABILITY,
    }
    return render(request, "reviews/scoring_models.html", context)


@require_POST
@role_required(policy.can_curate)
def matcher_train(request):
    """Train the claim matcher from the desk's confirmed and rejected matches, on a worker."""
    matcher_train_soon(requested_by=request.user)
    messages.success(request, "Training the claim matcher from the desk's decided matches has been queued.")
    return redirect("reviews:scoring_models")
