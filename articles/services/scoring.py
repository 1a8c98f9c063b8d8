"""Check-worthiness in the app: scoring statements with the active model, storing trained models, re-scoring.

The scorers themselves are pure (``articles.checkworthiness`` for the rules, ``articles.checkworthiness_training``
for the trained model). Which statements the desk has decided on is the reviews app's knowledge: it trains
from them through ``scorer_train`` here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from ..checkworthiness import DEFAULT_MODEL_NAME, Score, score_statements
from ..models import ScorerModel, Statement
from ..selectors.scoring import editor_marked
from .trained_models import trained_model_store

if TYPE_CHECKING:
    from ..checkworthiness_training import TrainedScorer

# checkworthiness_training is imported where it is used: scikit-learn takes most of a second to import,
# and web processes scoring with the rules never need it.

logger = logging.getLogger(__name__)

# The active model, unpickled once per process: (pk, version) -> scorer, or None when its bytes were unusable.
_cache_lock = threading.Lock()
_cached: tuple[tuple[int, str], TrainedScorer | None] | None = None


def _clear_scorer_cache() -> None:
    global _cached
    with _cache_lock:
        _cached = None


def _active_scorer() -> TrainedScorer | None:
    """The active trained scorer, or None to use the rules. One small query per call to see if it changed."""
    global _cached
    active = ScorerModel.objects.filter(is_active=True).values_list("pk", "version").first()
    if active is None:
        return None
    key = (active[0], active[1])
    with _cache_lock:
        if _cached is not None and _cached[0] == key:
            return _cached[1]
        from ..checkworthiness_training import TrainedScorer

        payload = ScorerModel.objects.filter(pk=key[0]).values_list("payload", flat=True).first()
        try:
            scorer = TrainedScorer.from_bytes(bytes(payload)) if payload is not None else None
        except ValueError:
            # A broken model must not stop imports; statements say they were scored by the rules.
            logger.exception("check-worthiness model %s could not be loaded; scoring with the rules", key[1])
            scorer = None
        _cached = (key, scorer)
        return scorer


def scorer_in_use() -> str:
    """The name of the scorer that scores new statements now: the active model's version, or the rules' name
    when there is no active model or it could not be loaded (e.g. fitted on an older set of rule cues)."""
    scorer = _active_scorer()
    return scorer.version if scorer is not None else DEFAULT_MODEL_NAME


def score_texts(texts: Sequence[str]) -> tuple[list[Score], str]:
    """Score sentences with the active trained model if there is one, else the rules; return the model name."""
    scorer = _active_scorer()
    if scorer is None:
        return score_statements(texts), DEFAULT_MODEL_NAME
    return scorer.score_statements(list(texts)), scorer.version


def apply_scores(statements: Sequence[Statement]) -> None:
    """Score the statements with the active model and set score, reasons and model name on them (unsaved).
    The one place a score lands on a statement: import and re-scoring both come here."""
    if not statements:
        return
    scores, model_name = score_texts([s.text for s in statements])
    for statement, score in zip(statements, scores, strict=True):
        statement.score = min(1.0, max(0.0, float(score.score)))
        statement.score_reasons = list(score.reasons)
        statement.scored_by = model_name


def initial_checkability(score: float) -> str:
    """A new statement under the threshold starts as "probably not checkable", for an editor to decide."""
    if score >= settings.CHECKWORTHINESS_THRESHOLD:
        return Statement.Checkability.CHECKABLE
    return Statement.Checkability.CANDIDATE_NOT_CHECKABLE


def scorer_train(
    *, texts: Sequence[str], labels: Sequence[int], source: str, trained_by=None, activate=True
) -> ScorerModel:
    """Train a scorer, store it with its cross-validated metrics and, by default, make it the active one.

    Raises ValidationError when the data can't train a model (too little, one class only, bad labels).
    """
    from ..checkworthiness_training import train_scorer

    try:
        # Outside the transaction: cross-validation takes seconds to minutes and needs no rows locked.
        scorer = train_scorer(list(texts), list(labels))
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    model = trained_model_store(
        ScorerModel,
        scorer,
        activate=activate,
        trained_by=trained_by,
        source=source[:200],
    )
    logger.info(
        "check-worthiness model %s trained on %s (%s examples, average precision %.3f)%s",
        model.version,
        model.source,
        len(labels),
        scorer.metrics.get("average_precision", float("nan")),
        ", now active" if activate else "",
    )
    return model


def _undecided() -> Q:
    """Statements nobody has rated or settled and whose checkability no editor set by hand."""
    unreviewed = Q(review_status__in=[Statement.ReviewStatus.NEW, Statement.ReviewStatus.ASSIGNED])
    return unreviewed & ~Q(editor_marked())


def statements_rescore(*, only_unreviewed=True, batch_size=1000) -> int:
    """Re-score statements with the active model; returns how many were re-scored.

    By default only statements nobody has rated and whose checkability no editor marked. Checkability moves
    between checkable and candidate by the threshold only for such statements: an editor's decision, a
    "not checkable" and a rated statement keep theirs. A few queries per batch, never one per statement.
    """
    undecided = _undecided()
    statements = Statement.objects.filter(undecided) if only_unreviewed else Statement.objects.all()
    threshold = settings.CHECKWORTHINESS_THRESHOLD
    candidate, checkable = Statement.Checkability.CANDIDATE_NOT_CHECKABLE, Statement.Checkability.CHECKABLE
    done = 0
    last_pk = 0
    while True:
        batch = list(statements.filter(pk__gt=last_pk).order_by("pk").only("pk", "text")[:batch_size])
        if not batch:
            break
        last_pk = batch[-1].pk
        apply_scores(batch)
        in_batch = Q(pk__in=[s.pk for s in batch])
        with transaction.atomic():
            Statement.objects.bulk_update(batch, ["score", "score_reasons", "scored_by"])
            # Set-based and re-checked here, so a mark or rating made during the run is never overridden.
            Statement.objects.filter(in_batch, undecided, checkability=candidate, score__gte=threshold).update(
                checkability=checkable
            )
            Statement.objects.filter(in_batch, undecided, checkability=checkable, score__lt=threshold).update(
                checkability=candidate
            )
        done += len(batch)
    logger.info("re-scored %s statements (only unreviewed: %s)", done, only_unreviewed)
    return done
