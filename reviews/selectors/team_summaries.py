"""Reads of the team summaries for the editor overview."""

from django.contrib.auth import get_user_model

from .. import agreement
from ..models import TeamSummary
from ..verdicts import Verdict

_NAME_COLUMNS = {"username", "first_name", "last_name"}


def _reviewer_columns_not_shown() -> list[str]:
    user = get_user_model()._meta
    return [f"reviewer__{f.name}" for f in user.concrete_fields if not f.primary_key and f.name not in _NAME_COLUMNS]


def team_overview() -> dict:
    """The desk's and each reviewer's team summary for the editor overview, in one query."""
    # Of each reviewer only the name the overview shows.
    rows = list(
        TeamSummary.objects.select_related("reviewer")
        .defer(*_reviewer_columns_not_shown())
        .order_by("scope", "reviewer__username")
    )
    desk = next((row for row in rows if row.scope == TeamSummary.Scope.DESK), None)
    distribution = desk.distribution if desk else {}
    total = sum(distribution.values())
    return {
        "desk": desk,
        "reading": agreement.alpha_reading(desk.alpha_ordinal if desk else None),
        # Scale order (True ... Pants on fire, then the non-ordinal verdicts), not alphabetical.
        "distribution": [
            {"verdict": v.value, "count": distribution[v.value], "share": distribution[v.value] / total}
            for v in Verdict
            if distribution.get(v.value)
        ],
        "reviewers": [row for row in rows if row.scope == TeamSummary.Scope.REVIEWER],
    }
