"""Matching a text against the index: BM25 candidates, re-ranked, one answer per distinct claim."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import NamedTuple, Protocol

import numpy as np

from .features import candidate_features
from .index import ClaimIndex
from .reranker import CANDIDATES, DEFAULT_RERANKER


class Reranker(Protocol):
    version: str
    candidates: int

    def score(self, features: np.ndarray) -> np.ndarray: ...


class Match(NamedTuple):
    id: Hashable  # the smallest id of the matched claim's near-duplicate group
    score: float  # 0..1; with a trained re-ranker, its probability that the texts make the same claim


class ClaimMatcher:
    def __init__(self, index: ClaimIndex, reranker: Reranker | None = None, *, candidates: int | None = None):
        """``candidates`` defaults to the number the re-ranker was trained with (CANDIDATES for the default)."""
        self.index = index
        self.reranker = reranker or DEFAULT_RERANKER
        self.candidates = candidates or getattr(self.reranker, "candidates", CANDIDATES)

    def match(self, query: str, k: int = 5) -> list[Match]:
        """The k claims most likely to be the one ``query`` makes, best first."""
        if k <= 0 or not (query or "").strip():
            return []
        prepared = self.index.prepare(query)
        docs, _ = self.index.candidates(prepared, max(k, self.candidates))
        if not len(docs):
            return []
        scores = self.reranker.score(candidate_features(self.index, prepared, docs))
        order = np.argsort(-scores, kind="stable")[:k]  # ties keep the BM25 order
        return [Match(self.index.representative(int(docs[i])), float(scores[i])) for i in order]

    def match_many(self, queries: Iterable[str], k: int = 5) -> list[list[Match]]:
        return [self.match(query, k) for query in queries]
