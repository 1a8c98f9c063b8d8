"""Reads about check-worthiness models and editors' checkability decisions."""

from django.db.models import Exists, OuterRef, QuerySet

from factcheck.audit.selectors import events_about

from ..audit_actions import STATEMENT_MARKED
from ..models import ScorerModel


def editor_marked() -> Exists:
    """For a statement queryset: a person (not the scorer) set its checkability by hand."""
    return Exists(events_about("articles.statement", OuterRef("pk"), action=STATEMENT_MARKED, by_person=True))


def scorer_models() -> QuerySet[ScorerModel]:
    """Every stored model, newest first, without the pickled payload."""
    return ScorerModel.objects.select_related("trained_by").defer("payload").order_by("-trained_at", "-pk")
