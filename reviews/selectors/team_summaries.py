"""Reads of the team summaries for the editor overview."""

from .. import agreement
from ..models import TeamSummary
from ..verdicts import Verdict


def team_overview() -> dict:
    """The desk's and each reviewer's team summary for the editor overview, in one query."""
    rows = list(TeamSummary.objects.select_related("reviewer").order_by("scope", "reviewer__username"))
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
