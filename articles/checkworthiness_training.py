"""A check-worthiness classifier trained on a desk's own labelled statements.

Word 1-2-grams (TF-IDF, sublinear tf) catch the wording of claims; the hand-written rule cues from
``articles.checkworthiness`` add what n-grams see poorly (any figure, any capitalised name, sentence length)
and carry over to text unlike the training data. A logistic regression with balanced class weights sits on
top, and a sigmoid fitted on out-of-fold scores turns its output into calibrated probabilities, so the
app's threshold means the same for the rules and a trained model.

Honest figures: the regularisation C is chosen by cross-validation inside the training data, and the
stored metrics come from nested cross-validation (an outer split scores each fold with a model whose C was
chosen on the other folds only). When the caller passes ``groups`` (the article or debate of each
statement) every split keeps a group on one side, so the figures say how the model does on articles it
has not seen; without groups the folds are stratified and the metrics say so. Character n-grams were
dropped: on the public bench they added under 0.005 average precision at about fifty times the training
cost.
"""

from __future__ import annotations

import hashlib
import math
import pickle
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import sklearn
from scipy import sparse
from scipy.optimize import minimize
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, f1_score, roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from .checkworthiness import Score, feature_hits, score_statement

MIN_EXAMPLES = 20
MIN_PER_CLASS = 5
DEFAULT_THRESHOLD = 0.5
# The regularisation strengths cross-validation chooses from; the default is used when the data is too
# small to choose (on the public bench, grouped CV picks 3 most of the time).
C_GRID = (0.3, 1.0, 3.0, 10.0)
DEFAULT_C = 3.0
INNER_FOLDS = 3
MIN_DF_FROM = 200
CLASS_WEIGHT = "balanced"
_FORMAT = "factcheck-checkworthiness/1"


def rule_feature_matrix(texts: Sequence[str]) -> np.ndarray:
    """The rule cues as 0/1 columns plus sentence length (capped, scaled to [0, 1])."""
    rows = [[*map(float, feature_hits(text)), min(len((text or "").split()), 60) / 60] for text in texts]
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), -1)


def _as_text_list(texts) -> list[str]:
    return ["" if text is None else str(text) for text in texts]


def build_pipeline(*, c: float = DEFAULT_C, n_train: int = 0) -> Pipeline:
    """Features and a class-weighted logistic regression; its scores are calibrated separately."""
    features = FeatureUnion(
        [
            ("words", _word_vectorizer(n_train)),
            ("rules", FunctionTransformer(_rule_features_sparse, accept_sparse=True)),
        ]
    )
    return Pipeline([("features", features), ("model", _model(c))])


def _word_vectorizer(n_train: int) -> TfidfVectorizer:
    # Words seen in one statement only carry no pattern; dropping them makes training about four times faster on a few
    # thousand statements. Small sets keep them, so that some vocabulary is always left.
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2 if n_train >= MIN_DF_FROM else 1)


def _model(c: float) -> LogisticRegression:
    # liblinear: same optimum as lbfgs here, an order of magnitude faster on sparse text features.
    return LogisticRegression(C=c, class_weight=CLASS_WEIGHT, solver="liblinear", random_state=0)


def _rule_features_sparse(texts) -> sparse.csr_matrix:
    # Module-level so that a pickled pipeline refers to it by name.
    return sparse.csr_matrix(rule_feature_matrix(_as_text_list(texts)))


class CalibratedPipeline:
    """A fitted pipeline whose decision scores pass through a fitted sigmoid (Platt scaling).

    Class weights make the raw probabilities run high; the sigmoid, fitted on out-of-fold scores, maps them
    back to how often statements with that score were check-worthy.
    """

    def __init__(self, pipeline: Pipeline, slope: float, intercept: float) -> None:
        self.pipeline = pipeline
        self.slope = slope
        self.intercept = intercept

    def predict_proba(self, texts) -> np.ndarray:
        positive = _sigmoid(self.slope * self.pipeline.decision_function(texts) + self.intercept)
        return np.column_stack([1.0 - positive, positive])


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -500, 500)))


def _fit_sigmoid(decision: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling: slope and intercept of a sigmoid from decision score to probability.

    Platt's smoothed targets ((n+1)/(n+2) for positives, 1/(n+2) for negatives) keep the fit finite when the
    scores separate the classes, as they do on small desk data; a plain logistic fit would then say 0 and 1.
    """
    decision = np.asarray(decision, dtype=np.float64)
    n_positive = float(y.sum())
    n_negative = float(len(y) - n_positive)
    target = np.where(y == 1, (n_positive + 1) / (n_positive + 2), 1 / (n_negative + 2))

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        z = params[0] * decision + params[1]
        residual = _sigmoid(z) - target
        return float(np.sum(np.logaddexp(0.0, z) - target * z)), np.array([residual @ decision, residual.sum()])

    fitted = minimize(loss, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B")
    return float(fitted.x[0]), float(fitted.x[1])


@dataclass
class TrainedScorer:
    version: str
    metrics: dict[str, float | str | bool] = field(default_factory=dict)
    pipeline: CalibratedPipeline | Pipeline | None = field(default=None, repr=False)

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
        pipeline = payload["pipeline"]
        _check_rule_columns(pipeline, payload["version"])
        return cls(version=payload["version"], metrics=payload["metrics"], pipeline=pipeline)


def _check_rule_columns(pipeline: CalibratedPipeline | Pipeline | None, version: str) -> None:
    """Refuse a model fitted on another set of rule cues: when the rules gain or lose a cue, a stored model's
    weights no longer line up with the columns the features give, and scoring with it would fail."""
    inner = pipeline.pipeline if isinstance(pipeline, CalibratedPipeline) else pipeline
    if inner is None:
        return
    expected = inner.named_steps["model"].n_features_in_
    given = inner.named_steps["features"].transform(np.asarray([""], dtype=object)).shape[1]
    if expected != given:
        raise ValueError(
            f"Model {version} was trained on another set of rule cues ({expected} columns, the features now give "
            f"{given}); train it again."
        )


def _validated(
    texts: Sequence[str], labels: Sequence[int], groups: Sequence | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    texts = _as_text_list(texts)
    labels = list(labels)
    if len(texts) != len(labels):
        raise ValueError(f"Got {len(texts)} statements but {len(labels)} labels; give one label per statement.")
    if groups is not None and len(groups) != len(texts):
        raise ValueError(f"Got {len(texts)} statements but {len(groups)} groups; give one group per statement.")
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
    group_array = None if groups is None else np.asarray([str(g) for g in groups], dtype=object)
    return np.asarray(texts, dtype=object), np.asarray(labels, dtype=np.int64), group_array


def _effective_folds(y: np.ndarray, folds: int) -> int:
    if folds < 2:
        raise ValueError(f"Cross-validation needs at least 2 folds, got {folds}.")
    # Stratified folds need at least one example of each class per fold.
    return min(folds, int(np.bincount(y, minlength=2).min()))


def _splits(y: np.ndarray, groups: np.ndarray | None, folds: int, seed: int) -> tuple[list, bool]:
    """Train/test index pairs, grouped when groups allow it; and whether they are grouped.

    Grouped folds keep each group (article) on one side. They fall back to stratified folds when there are
    fewer than two groups, or when a training side would lack a class.
    """
    folds = _effective_folds(y, folds)
    if groups is not None:
        n_groups = len(set(groups.tolist()))
        if n_groups >= 2:
            k = min(folds, n_groups)
            splitter = StratifiedGroupKFold(k, shuffle=True, random_state=seed)
            with warnings.catch_warnings():
                # "The least populated class has only n members": the splits are checked just below.
                warnings.simplefilter("ignore", UserWarning)
                splits = list(splitter.split(np.zeros(len(y)), y, groups))
            if all(len(test) and len(np.unique(y[train])) == 2 for train, test in splits):
                return splits, True
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(y)), y)), False


def _out_of_fold(x: np.ndarray, rules: np.ndarray, y: np.ndarray, splits: list, grid: Sequence[float]):
    """Out-of-fold decision scores for each C: the word features are fitted once per fold, the rule cues
    (``rules``, one row per statement) are computed once for all folds."""
    scores = {c: np.zeros(len(y)) for c in grid}
    for train, test in splits:
        words = _word_vectorizer(len(train)).fit(x[train])
        train_matrix = sparse.hstack([words.transform(x[train]), rules[train]]).tocsr()
        test_matrix = sparse.hstack([words.transform(x[test]), rules[test]]).tocsr()
        for c in grid:
            model = _model(c).fit(train_matrix, y[train])
            scores[c][test] = model.decision_function(test_matrix)
    return scores


def _choose_c(x: np.ndarray, rules: np.ndarray, y: np.ndarray, groups: np.ndarray | None, folds: int, seed: int):
    """C with the best out-of-fold average precision, and the sigmoid fitted on that C's out-of-fold scores.

    Returns (C, (slope, intercept)); falls back to DEFAULT_C and no sigmoid when the data is too small to split.
    """
    if min(np.bincount(y, minlength=2)) < 2:
        return DEFAULT_C, None
    splits, _ = _splits(y, groups, folds, seed)
    scores = _out_of_fold(x, rules, y, splits, C_GRID)
    best = max(C_GRID, key=lambda c: (average_precision_score(y, scores[c]), -abs(math.log(c / DEFAULT_C))))
    return best, _fit_sigmoid(scores[best], y)


def _fit(x: np.ndarray, rules: np.ndarray, y: np.ndarray, groups: np.ndarray | None, folds: int, seed: int):
    """Choose C inside (x, y), fit on all of it, calibrate. Returns (CalibratedPipeline, C)."""
    c, sigmoid = _choose_c(x, rules, y, groups, folds, seed)
    pipeline = build_pipeline(c=c, n_train=len(y))
    # Fit the pipeline's own steps, reusing the rule cues already computed: same columns as transform().
    words = pipeline.named_steps["features"].named_transformers["words"].fit(x)
    pipeline.named_steps["features"].named_transformers["rules"].fit(x[:1])
    matrix = sparse.hstack([words.transform(x), rules]).tocsr()
    pipeline.named_steps["model"].fit(matrix, y)
    if sigmoid is None:
        # Too small to calibrate out of fold: calibrate in-sample rather than not at all.
        sigmoid = _fit_sigmoid(pipeline.named_steps["model"].decision_function(matrix), y)
    return CalibratedPipeline(pipeline, *sigmoid), c


def _nested_metrics(
    x: np.ndarray, rules: np.ndarray, y: np.ndarray, groups: np.ndarray | None, folds: int, seed: int
) -> dict[str, float | str | bool]:
    splits, grouped = _splits(y, groups, folds, seed)
    probabilities = np.zeros(len(y))
    for train, test in splits:
        inner_groups = None if groups is None else groups[train]
        model, _ = _fit(x[train], rules[train], y[train], inner_groups, INNER_FOLDS, seed)
        probabilities[test] = model.predict_proba(x[test])[:, 1]
    how = "grouped by article" if grouped else "stratified, not grouped by article"
    return {
        "average_precision": float(average_precision_score(y, probabilities)),
        "roc_auc": float(roc_auc_score(y, probabilities)),
        "f1": float(f1_score(y, probabilities >= DEFAULT_THRESHOLD, zero_division=0.0)),
        "brier": float(brier_score_loss(y, probabilities)),
        "mean_probability": float(probabilities.mean()),
        "n_train": float(len(y)),
        "n_positive": float(y.sum()),
        "folds": float(len(splits)),
        "grouped": grouped,
        "n_groups": float(len(set(groups.tolist()))) if groups is not None else 0.0,
        "validation": (
            f"nested {len(splits)}-fold cross-validation, {how}; C chosen inside each training part "
            f"({INNER_FOLDS} inner folds)"
        ),
    }


def cross_validate(
    texts: Sequence[str], labels: Sequence[int], *, folds: int = 5, seed: int = 0, groups: Sequence | None = None
) -> dict[str, float | str | bool]:
    """Out-of-sample figures of the whole training procedure (choice of C and calibration included):
    average precision, ROC-AUC, F1 at DEFAULT_THRESHOLD, Brier score, with the data's size and how the
    folds were made. ``groups`` (an article id per statement) keeps each article on one side of every split.
    """
    x, y, group_array = _validated(texts, labels, groups)
    return _nested_metrics(x, _rule_features_sparse(x), y, group_array, folds, seed)


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
    groups: Sequence | None = None,
) -> TrainedScorer:
    """Measure the training procedure out of sample (nested cross-validation), then choose C, fit on all
    the data and calibrate. ``groups``, one per statement (its article), makes every split keep an article
    on one side. Raises ValueError on unusable data."""
    x, y, group_array = _validated(texts, labels, groups)
    rules = _rule_features_sparse(x)
    metrics = _nested_metrics(x, rules, y, group_array, folds, seed)
    model, c = _fit(x, rules, y, group_array, folds, seed)
    metrics.update(
        {
            "c": float(c),
            "class_weight": CLASS_WEIGHT,
            "calibration": "sigmoid fitted on out-of-fold scores",
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    )
    return TrainedScorer(version=version or _default_version(x, y), metrics=metrics, pipeline=model)
