"""Training the check-worthiness scorer from the desk's own decisions (settled verdicts, editors' marks)."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model

from articles.models import ScorerModel
from articles.services.scoring import scorer_train
from factcheck.core.enqueue import enqueue_on_commit

from ..selectors.desk_decisions import desk_training_examples, training_shortfall

logger = logging.getLogger(__name__)

DESK_SOURCE = "desk decisions"
TRAIN_TASK = "reviews.tasks.checkworthiness_train_task"


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


def scorer_train_soon(*, requested_by) -> None:
    """Queue training from the desk's decisions (then re-scoring) on a worker, after the transaction commits;
    the trained model records who asked for it."""
    logger.info("check-worthiness training requested by %s", getattr(requested_by, "pk", None))
    enqueue_on_commit(TRAIN_TASK, getattr(requested_by, "pk", None))
