"""The re-ranker: a model over ``features.FEATURE_NAMES`` that scores candidates as P(same claim).

``train_reranker(index, examples)`` learns it from (query, claim id, is_match) examples: the CLEF training pairs
or a desk's confirmed and rejected suggestions. For each query it takes the index's candidates plus every
labelled claim; unlabelled candidates count as "not the same claim" for a query that has a confirmed match
(the desk said which one it is), and are left out for a query that only has rejections. Cross-validation
(folds by query) gives honest MAP@5, P@1 and recall@5 before the final fit, as ``train_scorer`` does for
check-worthiness. ``TrainedReranker.to_bytes()`` / ``from_bytes()`` store and load it.

Without a trained model, ``DEFAULT_RERANKER`` ranks by a fixed blend of BM25, character n-gram and embedding
similarity, so a new desk gets sensible suggestions before it has confirmed anything.
"""

from __future__ import annotations

import hashlib
import pickle
import warnings
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from .evaluation import ranking_metrics
from .features import FEATURE_NAMES, FEATURES_VERSION, candidate_features
from .index import ClaimIndex

CANDIDATES = 100
MIN_MATCHED_QUERIES = 10
MIN_NON_MATCHES = 5
_FORMAT = "factcheck-claim-reranker/1"


class MatchExample(NamedTuple):
    """A labelled pair: ``query`` is (or is not, ``is_match=False``) the same claim as the index's ``claim_id``."""

    query: str
    claim_id: Hashable
    is_match: bool = True


class DefaultReranker:
    """Untrained: the mean of BM25 relative to the best candidate, the best character n-gram cosine (claim or
    title) and the claim embedding cosine. Chosen among a few such blends on the CLEF training queries only."""

    version = "default-v1"
    candidates = CANDIDATES
    metrics: dict[str, float] = {}  # noqa: RUF012 - read-only

    _bm25_ratio = FEATURE_NAMES.index("bm25_ratio")
    _char_claim = FEATURE_NAMES.index("char_claim")
    _char_title = FEATURE_NAMES.index("char_title")
    _emb_claim = FEATURE_NAMES.index("emb_claim")

    def score(self, features: np.ndarray) -> np.ndarray:
        chars = np.maximum(features[:, self._char_claim], features[:, self._char_title])
        meaning = np.maximum(features[:, self._emb_claim], 0.0)
        return np.clip((features[:, self._bm25_ratio] + chars + meaning) / 3, 0.0, 1.0)


DEFAULT_RERANKER = DefaultReranker()


def build_model(kind: str = "logistic"):
    if kind == "logistic":
        return Pipeline([("scale", StandardScaler()), ("model", LogisticRegression(C=1.0, max_iter=5000))])
    if kind == "boosting":
        return HistGradientBoostingClassifier(
            max_iter=300, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=20, random_state=0
        )
    raise ValueError(f"Unknown re-ranker model {kind!r}: use 'logistic' or 'boosting'.")


@dataclass
class TrainedReranker:
    version: str
    models: list = field(default_factory=list, repr=False)  # their probabilities are averaged
    metrics: dict[str, float] = field(default_factory=dict)
    feature_names: tuple[str, ...] = FEATURE_NAMES
    candidates: int = CANDIDATES  # list length it was trained on: rank and ratio features depend on it

    def score(self, features: np.ndarray) -> np.ndarray:
        if not len(features):
            return np.zeros(0)
        linear = self._linear()
        if linear is not None:  # the same numbers as predict_proba, without its input checks (~2 ms per query)
            weights, bias = linear
            return 1.0 / (1.0 + np.exp(-(features @ weights + bias)))
        return np.mean([model.predict_proba(features)[:, 1] for model in self.models], axis=0)

    def _linear(self) -> tuple[np.ndarray, float] | None:
        """A single scaled logistic regression as one weight vector and bias, or None for other models."""
        if "_linear_form" not in self.__dict__:
            form = None
            if len(self.models) == 1 and isinstance(self.models[0], Pipeline):
                steps = self.models[0].named_steps
                scale, model = steps.get("scale"), steps.get("model")
                if isinstance(scale, StandardScaler) and isinstance(model, LogisticRegression):
                    weights = model.coef_[0] / scale.scale_
                    form = (weights, float(model.intercept_[0] - scale.mean_ @ weights))
            self.__dict__["_linear_form"] = form
        return self.__dict__["_linear_form"]

    def to_bytes(self) -> bytes:
        payload = {
            "format": _FORMAT,
            "sklearn": sklearn.__version__,
            "features_version": FEATURES_VERSION,
            "feature_names": self.feature_names,
            "version": self.version,
            "metrics": dict(self.metrics),
            "models": self.models,
            "candidates": self.candidates,
        }
        return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def from_bytes(cls, data: bytes) -> TrainedReranker:
        """Load a re-ranker saved by to_bytes. Pickle runs code: only load bytes this app stored itself."""
        try:
            payload = pickle.loads(data)  # noqa: S301 - our own stored models, never user uploads
        except Exception as exc:
            raise ValueError(f"Could not read the stored claim re-ranker: {exc}") from exc
        if not isinstance(payload, dict) or payload.get("format") != _FORMAT:
            raise ValueError("These bytes are not a claim re-ranker saved by this app.")
        if payload["features_version"] != FEATURES_VERSION or tuple(payload["feature_names"]) != FEATURE_NAMES:
            raise ValueError(
                f"Re-ranker {payload['version']} was trained on other similarity features "
                f"(version {payload['features_version']}, now {FEATURES_VERSION}); train it again."
            )
        if payload["sklearn"] != sklearn.__version__:
            warnings.warn(
                f"Re-ranker {payload['version']} was saved with scikit-learn {payload['sklearn']} and is loaded "
                f"with {sklearn.__version__}; retrain it if rankings look wrong.",
                stacklevel=2,
            )
        return cls(
            version=payload["version"],
            models=payload["models"],
            metrics=payload["metrics"],
            candidates=payload["candidates"],
        )


@dataclass
class TrainingTable:
    features: np.ndarray
    labels: np.ndarray
    queries: np.ndarray  # query number per row
    docs: np.ndarray  # document per row
    retrieved: np.ndarray  # False for a labelled claim that the candidates missed (trained on, never ranked)
    skipped_unknown: int = 0


def training_table(
    index: ClaimIndex, examples: Iterable[MatchExample], *, candidates: int = CANDIDATES
) -> TrainingTable:
    """Feature rows for the labelled pairs and their queries' candidates (see the module docstring)."""
    labels_by_query: dict[str, dict[int, bool]] = defaultdict(dict)
    skipped = 0
    for example in examples:
        query, claim_id, is_match = MatchExample(*example)
        if claim_id not in index:
            skipped += 1
            continue
        doc = index.doc_of(claim_id)
        labels = labels_by_query[str(query)]
        labels[doc] = labels.get(doc, False) or bool(is_match)  # a confirmation outweighs a rejection
    blocks, label_blocks, query_blocks, doc_blocks, retrieved_blocks = [], [], [], [], []
    for number, (query, labels) in enumerate(labels_by_query.items()):
        prepared = index.prepare(query)
        docs, _ = index.candidates(prepared, candidates)
        found = set(docs.tolist())
        extra = [doc for doc in labels if doc not in found and index.alive(np.asarray([doc]))[0]]
        retrieved = np.concatenate([np.ones(len(docs), bool), np.zeros(len(extra), bool)])
        docs = np.concatenate([docs, np.asarray(extra, dtype=np.int64)])
        if not len(docs):
            continue
        rows = candidate_features(index, prepared, docs)
        has_match = any(labels.values())
        keep = np.asarray([doc in labels or has_match for doc in docs.tolist()])
        blocks.append(rows[keep])
        label_blocks.append(np.asarray([labels.get(doc, False) for doc in docs[keep].tolist()], dtype=np.int64))
        query_blocks.append(np.full(int(keep.sum()), number))
        doc_blocks.append(docs[keep])
        retrieved_blocks.append(retrieved[keep])
    if not blocks:
        empty = np.zeros(0, np.int64)
        return TrainingTable(np.zeros((0, len(FEATURE_NAMES))), empty, empty, empty, empty.astype(bool), skipped)
    return TrainingTable(
        features=np.vstack(blocks),
        labels=np.concatenate(label_blocks),
        queries=np.concatenate(query_blocks),
        docs=np.concatenate(doc_blocks),
        retrieved=np.concatenate(retrieved_blocks),
        skipped_unknown=skipped,
    )


def _validated(table: TrainingTable) -> None:
    matched_queries = len(set(table.queries[table.labels == 1].tolist()))
    if matched_queries < MIN_MATCHED_QUERIES or (table.labels == 0).sum() < MIN_NON_MATCHES:
        raise ValueError(
            f"Too little to train a claim re-ranker: {matched_queries} queries with a confirmed match "
            f"(need at least {MIN_MATCHED_QUERIES}) and {int((table.labels == 0).sum())} non-matching pairs "
            f"(need {MIN_NON_MATCHES})."
        )


def _fit(table: TrainingTable, rows: np.ndarray, kinds: tuple[str, ...]) -> list:
    return [build_model(kind).fit(table.features[rows], table.labels[rows]) for kind in kinds]


def _table_metrics(table: TrainingTable, scores: np.ndarray) -> dict[str, float]:
    # A labelled claim the candidates missed counts as a miss, as it would be when matching.
    rankings, gold = {}, {}
    for query in np.unique(table.queries):
        rows = np.flatnonzero(table.queries == query)
        positives = set(table.docs[rows][table.labels[rows] == 1].tolist())
        if not positives:
            continue
        rows = rows[table.retrieved[rows]]
        order = rows[np.argsort(-scores[rows], kind="stable")]
        rankings[query] = table.docs[order].tolist()
        gold[query] = positives
    return ranking_metrics(rankings, gold, depth=5)


def cross_validate_table(
    table: TrainingTable, *, folds: int = 5, kinds: tuple[str, ...] = ("logistic",)
) -> dict[str, float]:
    """Out-of-fold ranking figures, folds by query. Same metrics as ``ranking_metrics``."""
    _validated(table)
    folds = max(2, min(folds, len(np.unique(table.queries))))
    out_of_fold = np.zeros(len(table.labels))
    for train_rows, test_rows in GroupKFold(folds).split(table.features, table.labels, table.queries):
        models = _fit(table, train_rows, kinds)
        out_of_fold[test_rows] = np.mean([m.predict_proba(table.features[test_rows])[:, 1] for m in models], axis=0)
    metrics = _table_metrics(table, out_of_fold)
    metrics["folds"] = float(folds)
    return metrics


def _default_version(table: TrainingTable) -> str:
    digest = hashlib.sha256(table.features.tobytes() + table.labels.tobytes()).hexdigest()[:6]
    return f"desk-{datetime.now(UTC):%Y-%m-%dT%H:%M:%S}-{digest}"


def train_reranker(
    index: ClaimIndex,
    examples: Iterable[MatchExample],
    *,
    version: str | None = None,
    folds: int = 5,
    candidates: int = CANDIDATES,
    kinds: tuple[str, ...] = ("logistic",),
) -> TrainedReranker:
    """Cross-validate (``folds`` = 0 skips it), then fit on all examples. Raises ValueError on unusable data."""
    table = training_table(index, examples, candidates=candidates)
    _validated(table)
    metrics = cross_validate_table(table, folds=folds, kinds=kinds) if folds else {}
    metrics.update(
        {
            "queries": float(len(np.unique(table.queries))),
            "pairs": float(len(table.labels)),
            "matches": float(table.labels.sum()),
            "skipped_unknown_claims": float(table.skipped_unknown),
        }
    )
    models = _fit(table, np.arange(len(table.labels)), kinds)
    return TrainedReranker(
        version=version or _default_version(table), models=models, metrics=metrics, candidates=candidates
    )
