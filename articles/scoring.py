"""Check-worthiness in the app: scoring with the active model, training from the desk, re-scoring.

The scorers themselves are pure (``checkworthiness`` for the rules, ``checkworthiness_training`` for the
trained model); this module stores trained models as ``ScorerModel`` rows and applies them to statements.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from factcheck.audit.models import AuditEvent
from factcheck.core.enqueue import enqueue_on_commit
from reviews.verdicts import ORDINAL_SCALE, Verdict

from .audit_actions import STATEMENT_MARKED
from .checkworthiness import DEFAULT_MODEL_NAME, Score, score_statements
from .models import ScorerModel, Statement

if TYPE_CHECKING:
    from .checkworthiness_training import TrainedScorer

# checkworthiness_training is imported where it is used: scikit-learn takes most of a second to import,
# and web processes scoring with the rules never need it.

logger = logging.getLogger(__name__)

ORDINAL_VERDICTS = tuple(v.value for v in ORDINAL_SCALE)
DESK_SOURCE = "desk decisions"

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
        from .checkworthiness_training import TrainedScorer

        payload = ScorerModel.objects.filter(pk=key[0]).values_list("payload", flat=True).first()
        try:
            scorer = TrainedScorer.from_bytes(bytes(payload)) if payload is not None else None
        except ValueError:
            # A broken model must not stop imports; statements say they were scored by the rules.
            logger.exception("check-worthiness model %s could not be loaded; scoring with the rules", key[1])
            scorer = None
        _cached = (key, scorer)
        return scorer


def score_texts(texts: Sequence[str]) -> tuple[list[Score], str]:
    """Score sentences with the active trained model if there is one, else the rules; return the model name."""
    scorer = _active_scorer()
    if scorer is None:
        return score_statements(texts), DEFAULT_MODEL_NAME
    return scorer.score_statements(list(texts)), scorer.version


def _editor_marked() -> Exists:
    """A statement whose checkability a person changed by hand (not an automatic revision)."""
    return Exists(
        AuditEvent.objects.filter(
            action=STATEMENT_MARKED, target_type="articles.statement", target_id=OuterRef("pk"), actor__isnull=False
        )
    )


def _rated() -> Exists:
    from reviews.models import Rating

    return Exists(Rating.objects.filter(statement=OuterRef("pk")))


def desk_training_examples() -> tuple[list[str], list[int]]:
    """Statement texts with labels learned from the desk: 1 check-worthy, 0 not. One query.

    Per statement, the first rule that applies wins:
    1. a settled verdict (editor's or consensus): an ordinal verdict → 1, "not checkable" → 0;
    2. an editor marked its checkability by hand (a "marked" revision with an actor) and it is now
       checkable → 1 or not checkable → 0;
    3. at least two ratings, of which a strict majority is ordinal → 1, or "not checkable" → 0.
    "Unverifiable" says nothing about check-worthiness either way and is never a label; statements with
    none of these decisions (including the scorer's own "candidate" guesses) are left out.
    """
    not_checkable = Verdict.NOT_CHECKABLE.value
    rows = (
        Statement.objects.annotate(
            marked=_editor_marked(),
            n_ratings=Count("ratings"),
            n_ordinal=Count("ratings", filter=Q(ratings__verdict__in=ORDINAL_VERDICTS)),
            n_not_checkable=Count("ratings", filter=Q(ratings__verdict=not_checkable)),
        )
        .filter(Q(summary__settled=True) | Q(marked=True) | Q(n_ratings__gte=2))
        .order_by("pk")
        .values_list(
            "text",
            "checkability",
            "summary__settled",
            "summary__editor_verdict",
            "summary__consensus",
            "marked",
            "n_ratings",
            "n_ordinal",
            "n_not_checkable",
        )
    )
    texts: list[str] = []
    labels: list[int] = []
    for text, checkability, settled, editor_verdict, consensus, marked, n, n_ordinal, n_not_checkable in rows:
        label = None
        final = editor_verdict or consensus
        if settled and final in ORDINAL_VERDICTS:
            label = 1
        elif settled and final == not_checkable:
            label = 0
        elif marked and checkability == Statement.Checkability.CHECKABLE:
            label = 1
        elif marked and checkability == Statement.Checkability.NOT_CHECKABLE:
            label = 0
        elif n >= 2 and 2 * n_ordinal > n:
            label = 1
        elif n >= 2 and 2 * n_not_checkable > n:
            label = 0
        if label is not None:
            texts.append(text)
            labels.append(label)
    return texts, labels


def training_shortfall(labels: Sequence[int], *, min_examples: int) -> str | None:
    """Why these labels are too few to train on, or None when they are enough."""
    from .checkworthiness_training import MIN_PER_CLASS

    positive = sum(labels)
    negative = len(labels) - positive
    if len(labels) < min_examples or min(positive, negative) < MIN_PER_CLASS:
        return (
            f"Only {len(labels)} decided statements ({positive} check-worthy, {negative} not); training needs "
            f"at least {min_examples}, with at least {MIN_PER_CLASS} of each kind. Mark more statements "
            "checkable or not checkable, or settle more ratings."
        )
    return None


def _free_version(version: str) -> str:
    # The default version has one-second resolution; two trainings on the same data can collide.
    taken = set(ScorerModel.objects.filter(version__startswith=version).values_list("version", flat=True))
    if version not in taken:
        return version
    n = 2
    while f"{version}-{n}" in taken:
        n += 1
    return f"{version}-{n}"


def scorer_train(
    *, texts: Sequence[str], labels: Sequence[int], source: str, trained_by=None, activate=True
) -> ScorerModel:
    """Train a scorer, store it with its cross-validated metrics and, by default, make it the active one.

    Raises ValidationError when the data can't train a model (too little, one class only, bad labels).
    """
    from .checkworthiness_training import train_scorer

    try:
        # Outside the transaction: cross-validation takes seconds to minutes and needs no rows locked.
        scorer = train_scorer(list(texts), list(labels))
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        scorer.version = _free_version(scorer.version)
        if activate:
            # Lock the current active row so two trainings finishing together activate one after the other.
            list(ScorerModel.objects.select_for_update().filter(is_active=True).values_list("pk", flat=True))
            ScorerModel.objects.filter(is_active=True).update(is_active=False)
        model = ScorerModel.objects.create(
            version=scorer.version,
            trained_by=trained_by,
            source=source[:200],
            metrics=scorer.metrics,
            payload=scorer.to_bytes(),
            is_active=activate,
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


def scorer_train_from_desk(*, trained_by=None, trained_by_id=None, min_examples=50) -> ScorerModel | None:
    """Train and activate a scorer on the desk's decisions; None (and a log line) when there are too few."""
    if trained_by is None and trained_by_id is not None:
        trained_by = get_user_model().objects.filter(pk=trained_by_id).first()
    texts, labels = desk_training_examples()
    reason = training_shortfall(labels, min_examples=min_examples)
    if reason:
        logger.info("check-worthiness training skipped: %s", reason)
        return None
    return scorer_train(
        texts=texts, labels=labels, source=f"{DESK_SOURCE} ({len(labels)} statements)", trained_by=trained_by
    )


def statements_rescore(*, only_unreviewed=True, batch_size=1000) -> int:
    """Re-score statements with the active model; returns how many were re-scored.

    By default only statements nobody has rated and whose checkability no editor marked. Checkability moves
    between checkable and candidate by the threshold only for such statements: an editor's decision, a
    "not checkable" and a rated statement keep theirs. A few queries per batch, never one per statement.
    """
    undecided = Q(~_editor_marked(), ~_rated())
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
        scores, model_name = score_texts([s.text for s in batch])
        for statement, score in zip(batch, scores, strict=True):
            statement.score = min(1.0, max(0.0, float(score.score)))
            statement.score_reasons = list(score.reasons)
            statement.scored_by = model_name
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


def scorer_models() -> QuerySet[ScorerModel]:
    """Every stored model, newest first, without the pickled payload."""
    return ScorerModel.objects.select_related("trained_by").defer("payload").order_by("-trained_at", "-pk")


def desk_decision_counts() -> dict[str, int]:
    """How many desk decisions training would learn from now, by label."""
    _, labels = desk_training_examples()
    positive = sum(labels)
    return {"total": len(labels), "checkable": positive, "not_checkable": len(labels) - positive}


def scorer_train_soon(*, requested_by) -> None:
    """Queue training from the desk's decisions (then re-scoring) on a worker, after the transaction commits;
    the trained model records who asked for it."""
    logger.info("check-worthiness training requested by %s", getattr(requested_by, "pk", None))
    enqueue_on_commit("articles.tasks.checkworthiness_train_task", getattr(requested_by, "pk", None))
