"""A check-worthiness classifier trained on a desk's own labelled statements.

Word 1-2-grams and character 2-5-grams (TF-IDF, sublinear tf) catch the wording of claims; the
hand-written rule cues from ``articles.checkworthiness`` add what n-grams see poorly (any number,
any capitalised name, sentence length). A logistic regression on top keeps the scores usable as
probabilities, so the same threshold works for the rules and a trained model.
"""

from __future__ import annotations

import hashlib
import pickle
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import sklearn
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, f1_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from .checkworthiness import Score, feature_hits, score_statement

MIN_EXAMPLES = 20
MIN_PER_CLASS = 5
DEFAULT_THRESHOLD = 0.5
# Chosen by 5-fold cross-validation on a public dev set (see bench/checkworthiness.py): 3 and 10 tie,
# 0.3 loses about 0.02 average precision. Unweighted classes keep the probabilities calibrated.
REGULARISATION_C = 3.0
_FORMAT = "factcheck-checkworthiness/1"


def rule_feature_matrix(texts: Sequence[str]) -> np.ndarray:
    """The rule cues as 0/1 columns plus sentence length (capped, scaled to [0, 1])."""
    rows = [[*map(float, feature_hits(text)), min(len((text or "").split()), 60) / 60] for text in texts]
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), -1)


def _as_text_list(texts) -> list[str]:
    return ["" if text is None else str(text) for text in texts]


def build_pipeline(*, c: float = REGULARISATION_C) -> Pipeline:
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
            ("rules", FunctionTransformer(_rule_features_sparse, accept_sparse=True)),
        ]
    )
    return Pipeline([("features", features), ("model", LogisticRegression(C=c, max_iter=3000))])


def _rule_features_sparse(texts) -> sparse.csr_matrix:
    # Module-level so that a pickled pipeline refers to it by name.
    return sparse.csr_matrix(rule_feature_matrix(_as_text_list(texts)))


@dataclass
class TrainedScorer:
    version: str
    metrics: dict[str, float] = field(default_factory=dict)
    pipeline: Pipeline | None = field(default=None, repr=False)

    def score_statements(self, texts: Sequence[str]) -> list[Score]:
        """Probabilities from the trained model; reasons are the rule cues that fired, for editors."""
        texts = _as_text_list(texts)
        if not texts:
            return []
        if self.pipeline is None:
            raise ValueError("This scorer has no trained model; train one with train_scorer().")
        probabilities = self.pipeline.predict_proba(np.asarray(texts, dtype=object))[:, 1]
        return [
            Score(score=float(min(1.0, max(0.0, p))), reasons=score_statement(text).reasons)
            for text, p in zip(texts, probabilities, strict=True)
        ]

    def to_bytes(self) -> bytes:
        payload = {
            "format": _FORMAT,
            "sklearn": sklearn.__version__,
            "version": self.version,
            "metrics": dict(self.metrics),
            "pipeline": self.pipeline,
        }
        return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def from_bytes(cls, data: bytes) -> TrainedScorer:
        """Load a scorer saved by to_bytes. Pickle runs code: only load bytes this app stored itself."""
        try:
            payload = pickle.loads(data)  # noqa: S301 - our own stored models, never user uploads
        except Exception as exc:
            raise ValueError(f"Could not read the stored check-worthiness model: {exc}") from exc
        if not isinstance(payload, dict) or payload.get("format") != _FORMAT:
            raise ValueError("These bytes are not a check-worthiness model saved by this app.")
        if payload["sklearn"] != sklearn.__version__:
            warnings.warn(
                f"Model {payload['version']} was saved with scikit-learn {payload['sklearn']} and is loaded "
                f"with {sklearn.__version__}; retrain it if scores look wrong.",
                stacklevel=2,
            )
        return cls(version=payload["version"], metrics=payload["metrics"], pipeline=payload["pipeline"])


def _validated(texts: Sequence[str], labels: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    texts = _as_text_list(texts)
    labels = list(labels)
    if len(texts) != len(labels):
        raise ValueError(f"Got {len(texts)} statements but {len(labels)} labels; give one label per statement.")
    if any(label not in (0, 1) for label in labels):
        raise ValueError("Labels must be 0 (not check-worthy) or 1 (check-worthy).")
    n_positive = sum(labels)
    n_negative = len(labels) - n_positive
    if len(texts) < MIN_EXAMPLES or min(n_positive, n_negative) < MIN_PER_CLASS:
        raise ValueError(
            f"Too little labelled data to train: {len(texts)} statements, {n_positive} check-worthy and "
            f"{n_negative} not. Label at least {MIN_EXAMPLES} statements with at least {MIN_PER_CLASS} "
            "of each kind."
        )
    return np.asarray(texts, dtype=object), np.asarray(labels, dtype=np.int64)


def _effective_folds(y: np.ndarray, folds: int) -> int:
    if folds < 2:
        raise ValueError(f"Cross-validation needs at least 2 folds, got {folds}.")
    # Stratified folds need at least one example of each class per fold.
    return min(folds, int(np.bincount(y, minlength=2).min()))


def _cross_validate_arrays(x: np.ndarray, y: np.ndarray, folds: int, seed: int) -> dict[str, float]:
    folds = _effective_folds(y, folds)
    out_of_fold = np.zeros(len(y))
    for train_index, test_index in StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, y):
        pipeline = build_pipeline().fit(x[train_index], y[train_index])
        out_of_fold[test_index] = pipeline.predict_proba(x[test_index])[:, 1]
    return {
        "average_precision": float(average_precision_score(y, out_of_fold)),
        "roc_auc": float(roc_auc_score(y, out_of_fold)),
        "f1": float(f1_score(y, out_of_fold >= DEFAULT_THRESHOLD, zero_division=0.0)),
        "n_train": float(len(y)),
        "n_positive": float(y.sum()),
        "folds": float(folds),
    }


def cross_validate(texts: Sequence[str], labels: Sequence[int], *, folds: int = 5, seed: int = 0) -> dict[str, float]:
    """Out-of-fold average precision, ROC-AUC and F1 at DEFAULT_THRESHOLD, with the data's size."""
    x, y = _validated(texts, labels)
    return _cross_validate_arrays(x, y, folds, seed)


def _default_version(x: np.ndarray, y: np.ndarray) -> str:
    digest = hashlib.sha256()
    for text, label in zip(x, y, strict=True):
        digest.update(f"{label}\t{text}\n".encode())
    return f"desk-{datetime.now(UTC):%Y-%m-%dT%H:%M:%S}-{digest.hexdigest()[:6]}"


def train_scorer(
    texts: Sequence[str],
    labels: Sequence[int],
    *,
    version: str | None = None,
    folds: int = 5,
    seed: int = 0,
) -> TrainedScorer:
    """Cross-validate for honest metrics, then fit on all the data. Raises ValueError on unusable data."""
    x, y = _validated(texts, labels)
    metrics = _cross_validate_arrays(x, y, folds, seed)
    pipeline = build_pipeline().fit(x, y)
    return TrainedScorer(version=version or _default_version(x, y), metrics=metrics, pipeline=pipeline)
