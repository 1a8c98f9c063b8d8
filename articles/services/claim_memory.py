"""The claim memory: every settled statement, searchable, so a new statement that makes a claim the desk has
already checked gets a suggestion ("already checked") for an editor to confirm or reject.

* What the memory holds is data: one ``RememberedClaim`` row per settled statement. The desk event for a statement
  settling adds it (``remember_settled``, connected in ``ArticlesConfig.ready``); ``claim_memory_sync`` puts
  right what events missed (set-based, daily and with every full summary recompute).
* Each process keeps the matching engine's index (``articles.matching.ClaimIndex``) in memory and catches up
  by reading the rows after the last ``RememberedClaim`` id it has folded in. A statement that left the memory
  (no longer settled) is dropped from the index when a match turns it up.
* ``statements_match(ids)`` looks pending statements up and stores ``ClaimMatch`` suggestions above the
  thresholds; it stamps ``matched_at``, so running it twice suggests nothing twice.
* Editors decide suggestions (``claim_match_decide``); those decisions train a re-ranker (``matcher_train``)
  that replaces the engine's default blend.

``articles.matching`` (numpy, scipy, scikit-learn and the embeddings) is imported where it is used, so web
processes that never match start as fast as before.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from factcheck.accounts import policy
from factcheck.audit.services import Ref
from factcheck.audit.transitions import transition
from factcheck.core import events
from factcheck.core.enqueue import enqueue_on_commit

from ..audit_actions import CLAIM_MATCH_CONFIRMED, CLAIM_MATCH_REJECTED
from ..models import ClaimMatch, MatcherModel, RememberedClaim, Statement
from ..selectors.claim_memory import MATCHES_PER_STATEMENT, statements_unmatched
from .trained_models import trained_model_store

if TYPE_CHECKING:
    from ..matching import ClaimIndex, TrainedReranker

logger = logging.getLogger(__name__)

MATCH_TASK = "articles.tasks.statements_match_pending_task"
TRAIN_TASK = "articles.tasks.matcher_train_task"
CATCH_UP_BATCH = 20_000  # memory rows folded into the index per add (one segment each)
MATCH_BATCH = 500  # pending statements read and matched per round of a drain
DESK_SOURCE = "desk decisions"

Decision = str  # "confirm" or "reject"
_DECISIONS = {
    "confirm": (ClaimMatch.Status.CONFIRMED, CLAIM_MATCH_CONFIRMED),
    "reject": (ClaimMatch.Status.REJECTED, CLAIM_MATCH_REJECTED),
}


@dataclass
class _Memory:
    index: ClaimIndex
    last_id: int = 0  # the highest RememberedClaim id folded into the index
    matcher_key: tuple[int, str] | None = None  # the active MatcherModel (pk, version) loaded, or None
    reranker: TrainedReranker | None = None


# One memory per process, built on first use and caught up before each use; the index is not thread-safe for
# writes, so every use holds the lock (a worker process matches one batch at a time anyway).
_lock = threading.RLock()
_memory: _Memory | None = None


def forget() -> None:
    """Drop this process's index (tests; after a restore). The next use rebuilds it from the memory rows."""
    global _memory
    with _lock:
        _memory = None


def _current() -> _Memory:
    """This process's memory, caught up with the rows added since it last looked, and the active matcher.
    Call with the lock held."""
    global _memory
    if _memory is None:
        from ..matching import ClaimIndex

        _memory = _Memory(index=ClaimIndex())
    _catch_up(_memory)
    _load_matcher(_memory)
    return _memory


def _catch_up(memory: _Memory) -> int:
    rows = (
        RememberedClaim.objects.filter(pk__gt=memory.last_id)
        .order_by("pk")
        .values_list("pk", "statement_id", "statement__text")
    )
    added, batch = 0, []
    for pk, statement_id, text in rows.iterator(chunk_size=5000):
        memory.last_id = pk
        if text and text.strip():
            batch.append((statement_id, text))
        if len(batch) >= CATCH_UP_BATCH:
            memory.index.add(batch)
            added, batch = added + len(batch), []
    if batch:
        memory.index.add(batch)
        added += len(batch)
    if added:
        logger.info("claim memory: %s statements added, %s distinct claims held", added, len(memory.index))
    return added


def _load_matcher(memory: _Memory) -> None:
    active = MatcherModel.objects.filter(is_active=True).values_list("pk", "version").first()
    key = (active[0], active[1]) if active else None
    if key == memory.matcher_key:
        return
    memory.matcher_key, memory.reranker = key, None
    if key is None:
        return
    from ..matching import TrainedReranker

    payload = MatcherModel.objects.filter(pk=key[0]).values_list("payload", flat=True).first()
    try:
        memory.reranker = TrainedReranker.from_bytes(bytes(payload)) if payload is not None else None
    except ValueError:
        # A broken model must not stop matching: the default blend and its threshold take over.
        logger.exception("claim matcher %s could not be loaded; matching with the default blend", key[1])


def memory_size() -> int:
    """Distinct claims this process's memory holds (after catching up)."""
    with _lock:
        return len(_current().index)


# --- what the memory holds ---------------------------------------------------------------------------------


def remember_settled(sender=None, *, name: str, data: dict, **kwargs) -> None:
    """Receiver of ``factcheck.core.events.desk_event``: a statement that settles joins the memory, in the
    transaction that settled it."""
    if name != events.STATEMENT_SETTLED:
        return
    RememberedClaim.objects.bulk_create([RememberedClaim(statement_id=data["statement_id"])], ignore_conflicts=True)


def claim_memory_sync() -> tuple[int, int]:
    """Make the memory hold exactly the settled statements (set-based): add the settled ones an event missed,
    drop the ones no longer settled. Returns (added, dropped)."""
    remembered = RememberedClaim._meta.db_table
    statement = Statement._meta.db_table
    with transaction.atomic():
        dropped, _ = RememberedClaim.objects.exclude(statement__review_status=Statement.ReviewStatus.SETTLED).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {remembered} (statement_id, remembered_at)
                SELECT s.id, %s FROM {statement} s
                WHERE s.review_status = %s
                  AND NOT EXISTS (SELECT 1 FROM {remembered} r WHERE r.statement_id = s.id)
                ORDER BY s.id
                ON CONFLICT (statement_id) DO NOTHING
                """,  # noqa: S608 - table names from the models, values as parameters
                [timezone.now(), Statement.ReviewStatus.SETTLED],
            )
            added = max(cursor.rowcount, 0)
    if added or dropped:
        logger.info("claim memory sync: %s settled statements added, %s unsettled dropped", added, dropped)
    return added, dropped


# --- looking statements up ---------------------------------------------------------------------------------


def statements_match_soon(statement_ids: Iterable[int]) -> None:
    """Ask a worker to look these statements up once the caller's transaction commits. If the message is lost,
    the statements stay unmatched and beat's drain finds them."""
    ids = sorted(set(statement_ids))
    if ids:
        enqueue_on_commit(MATCH_TASK, ids)


def statements_rematch(statement_ids: Iterable[int]) -> int:
    """A statement's text changed (curation): drop its open suggestions, which described the old text, and look
    it up again after the caller's transaction commits. Confirmed and rejected pairs stay: they are the desk's
    decisions (a rejected pair is never suggested again) and its history. Returns how many suggestions went."""
    ids = sorted(set(statement_ids))
    dropped, _ = ClaimMatch.objects.filter(statement_id__in=ids, status=ClaimMatch.Status.SUGGESTED).delete()
    Statement.objects.filter(pk__in=ids).update(matched_at=None)
    statements_match_soon(ids)
    return dropped


def _thresholds(memory: _Memory) -> float:
    # A trained re-ranker's score is a probability, the default blend's a similarity: each has its own floor.
    if memory.reranker is not None:
        return settings.CLAIM_MATCH_MIN_PROBABILITY
    return settings.CLAIM_MATCH_MIN_SCORE


def statements_match(statement_ids: Sequence[int]) -> int:
    """Look each of these statements still pending up in the memory; store up to MATCHES_PER_STATEMENT
    suggestions above the threshold and stamp them matched. Returns how many suggestions were new."""
    pending = list(
        Statement.objects.filter(pk__in=list(statement_ids), matched_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "text")
    )
    if not pending:
        return 0
    from ..matching import ClaimMatcher

    with _lock:
        memory = _current()
        found = _match_all(memory, ClaimMatcher(memory.index, memory.reranker), pending)
        method = memory.reranker.version if memory.reranker is not None else "default"
    rows = [
        ClaimMatch(statement_id=pk, earlier_id=earlier, score=round(score, 4), method=method[:100])
        for pk, matches in found.items()
        for earlier, score in matches
    ]
    with transaction.atomic():
        # A statement edited while it was being matched keeps waiting: its suggestions would describe the old
        # text, and the edit queued a lookup of the new one.
        current = dict(
            Statement.objects.select_for_update()
            .filter(pk__in=[pk for pk, _ in pending], matched_at__isnull=True)
            .order_by("pk")
            .values_list("pk", "text")
        )
        unchanged = {pk for pk, text in pending if current.get(pk) == text}
        rows = [row for row in rows if row.statement_id in unchanged]
        if rows:
            # A pair already there (a repeated task, a rejected pair looked up again after an edit) stays as it is.
            known = set(
                ClaimMatch.objects.filter(statement_id__in=list(found)).values_list("statement_id", "earlier_id")
            )
            rows = [row for row in rows if (row.statement_id, row.earlier_id) not in known]
            ClaimMatch.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        Statement.objects.filter(pk__in=sorted(unchanged)).update(matched_at=timezone.now())
    return len(rows)


def _match_all(memory: _Memory, matcher, pending: list[tuple[int, str]]) -> dict[int, list[tuple[int, float]]]:
    floor = _thresholds(memory)
    found: dict[int, list[tuple[int, float]]] = {}
    for pk, text in pending:
        matches = [
            (int(m.id), m.score)
            for m in matcher.match(text, k=MATCHES_PER_STATEMENT + 1)
            if m.id != pk and m.score >= floor
        ]
        found[pk] = matches[:MATCHES_PER_STATEMENT]
    _drop_forgotten(memory, found)
    return found


def _drop_forgotten(memory: _Memory, found: dict[int, list[tuple[int, float]]]) -> None:
    """Statements the index still holds but the memory no longer does (unsettled since) are suggested to nobody
    and leave the index. One query for the whole batch."""
    earlier = {e for matches in found.values() for e, _ in matches}
    if not earlier:
        return
    held = set(
        RememberedClaim.objects.filter(
            statement_id__in=earlier, statement__review_status=Statement.ReviewStatus.SETTLED
        ).values_list("statement_id", flat=True)
    )
    gone = earlier - held
    if gone:
        memory.index.remove([e for e in gone if e in memory.index])
        for pk, matches in found.items():
            found[pk] = [(e, s) for e, s in matches if e not in gone]


def statements_match_pending(*, limit: int = 5000) -> int:
    """Drain the lookup queue: statements never matched (a lost message, an import before a worker ran), oldest
    first, in batches. Returns how many suggestions were new."""
    created, left = 0, limit
    while left > 0:
        ids = statements_unmatched(limit=min(MATCH_BATCH, left))
        if not ids:
            break
        created += statements_match(ids)
        left -= len(ids)
    return created


# --- editors' decisions ------------------------------------------------------------------------------------


@transaction.atomic
def claim_match_decide(*, match: ClaimMatch, user, decision: Decision, note: str = "") -> ClaimMatch:
    """An editor says the two statements make the same claim ("confirm") or not ("reject"); recorded with who
    and when. A decided pair may be decided the other way later; it is never suggested again."""
    policy.require(policy.can_settle, user)
    if decision not in _DECISIONS:
        raise ValidationError("Choose whether the statements make the same claim (confirm) or not (reject).")
    to, action = _DECISIONS[decision]
    match = ClaimMatch.objects.select_for_update().select_related("statement").get(pk=match.pk)
    if match.status == to:
        return match  # the same decision twice (a double click) changes nothing
    moved = transition(
        match,
        to=to,
        by=user,
        action=action,
        parent=Ref("articles.article", match.statement.article_id),
        before={"earlier": match.earlier_id, "score": match.score},
        after={"earlier": match.earlier_id},
        note=note,
        values={"decided_by": user, "decided_at": timezone.now()},
    )
    if not moved:
        raise ValidationError("Someone decided this match meanwhile; reload the page to see their decision.")
    return match


# --- training the matcher ----------------------------------------------------------------------------------


def matcher_train_soon(*, requested_by) -> None:
    """Queue training from the desk's decided matches on a worker, after the transaction commits."""
    policy.require(policy.can_curate, requested_by)
    logger.info("claim matcher training requested by %s", getattr(requested_by, "pk", None))
    enqueue_on_commit(TRAIN_TASK, getattr(requested_by, "pk", None))


def matcher_train_from_desk(*, trained_by_id: int | None = None) -> int | None:
    """Train and activate a matcher on the desk's decisions (a worker's entry point); None, logged, when there
    are too few decisions. Returns the new model's id."""
    from django.contrib.auth import get_user_model

    trained_by = get_user_model().objects.filter(pk=trained_by_id).first() if trained_by_id else None
    try:
        return matcher_train(trained_by=trained_by).pk
    except ValidationError as exc:
        logger.info("claim matcher training skipped: %s", " ".join(exc.messages))
        return None


def matcher_train(*, trained_by=None, activate: bool = True) -> MatcherModel:
    """Train a re-ranker on the desk's confirmed and rejected matches over the current memory, store it with its
    cross-validated figures and make it the active one. Raises ValidationError when there is too little."""
    from ..matching import MatchExample, train_reranker

    decided = (
        ClaimMatch.objects.exclude(status=ClaimMatch.Status.SUGGESTED)
        .order_by("pk")
        .values_list("statement__text", "earlier_id", "status")
    )
    examples = [MatchExample(text, earlier, status == ClaimMatch.Status.CONFIRMED) for text, earlier, status in decided]
    with _lock:
        memory = _current()
        try:
            # Outside any transaction: cross-validation takes seconds and needs no rows locked.
            reranker = train_reranker(memory.index, examples)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
    model = trained_model_store(
        MatcherModel,
        reranker,
        activate=activate,
        trained_by=trained_by,
        source=f"{DESK_SOURCE} ({len(examples)} pairs)",
    )
    logger.info(
        "claim matcher %s trained on %s decided pairs (MAP@5 %.3f)%s",
        model.version,
        len(examples),
        reranker.metrics.get("map@5", float("nan")),
        ", now active" if activate else "",
    )
    return model
