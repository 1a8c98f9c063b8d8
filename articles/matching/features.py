"""Similarity features of (query, candidate claim) pairs, all computed from the index's matrices at once.

Each candidate list is scored as a whole: besides raw similarities, a feature says how a candidate compares with
the best candidate for the same query (ratio to the best, gap to the best, rank), which is what tells the
re-ranker whether a similarity of 0.4 is high for this query or not.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from .index import BM25_B, BM25_K1, ClaimIndex, PreparedQuery

FEATURE_NAMES = (
    "bm25",
    "bm25_ratio",
    "bm25_rank",
    "bm25_claim",
    "bm25_claim_ratio",
    "bm25_title",
    "bm25_title_ratio",
    "char_claim",
    "char_claim_ratio",
    "char_claim_gap",
    "char_claim_rank",
    "char_title",
    "char_title_ratio",
    "char_title_gap",
    "emb_claim",
    "emb_claim_gap",
    "emb_claim_rank",
    "emb_title",
    "emb_title_gap",
    "term_coverage",
    "term_jaccard",
    "numbers_shared",
    "numbers_missing",
    "entities_shared",
    "entities_missing",
    "length_ratio",
    "query_length",
)
# Bump when a feature changes meaning: a re-ranker saved with another version refuses to load.
FEATURES_VERSION = 1


def _row_numbers(matrix: sparse.csr_matrix) -> np.ndarray:
    return np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))


def _bm25(tf: sparse.csr_matrix, query_weights: np.ndarray, average_length: float) -> np.ndarray:
    if tf.nnz == 0:
        return np.zeros(tf.shape[0])
    rows = _row_numbers(tf)
    lengths = np.bincount(rows, weights=tf.data, minlength=tf.shape[0])
    norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / average_length)
    weights = tf.data * (BM25_K1 + 1) / (tf.data + norm[rows]) * query_weights[tf.indices]
    return np.bincount(rows, weights=weights, minlength=tf.shape[0])


def _sparse_dot(rows: sparse.csr_matrix, vector: sparse.csr_matrix) -> np.ndarray:
    """rows . vector for a 1 x n sparse vector, by looking each stored column up in the vector's sorted columns."""
    if rows.nnz == 0 or vector.nnz == 0:
        return np.zeros(rows.shape[0])
    vector = vector.tocsr()
    vector.sort_indices()
    columns, values = vector.indices, vector.data
    where = np.minimum(np.searchsorted(columns, rows.indices), len(columns) - 1)
    hit = columns[where] == rows.indices
    products = np.where(hit, rows.data * values[where], 0.0)
    return np.bincount(_row_numbers(rows), weights=products, minlength=rows.shape[0])


def _ratio(values: np.ndarray) -> np.ndarray:
    best = values.max()
    return values / best if best > 0 else np.zeros_like(values)


def _gap(values: np.ndarray) -> np.ndarray:
    return values.max() - values


def _rank(values: np.ndarray) -> np.ndarray:
    """0 for the best candidate up to 1 for the worst (ties share the better rank)."""
    if len(values) < 2:
        return np.zeros(len(values))
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    return ranks / (len(values) - 1)


def candidate_features(index: ClaimIndex, query: PreparedQuery, docs: np.ndarray) -> np.ndarray:
    """One row of FEATURE_NAMES per candidate document, in the order given."""
    n = len(docs)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)))
    width = len(index.vocabulary)
    docs = index.locate(docs)
    query_weights = np.zeros(width)
    query_weights[query.term_ids] = index.idf(query.term_ids)
    claim_tf = index.gather(docs, "claim_tf")
    title_tf = index.gather(docs, "title_tf")
    both_tf = (claim_tf + title_tf).tocsr()

    bm25 = _bm25(both_tf, query_weights, index.claim_length_average() + index.title_length_average())
    bm25_claim = _bm25(claim_tf, query_weights, index.claim_length_average())
    bm25_title = _bm25(title_tf, query_weights, index.title_length_average())

    char_claim = _sparse_dot(index.gather(docs, "char_claim"), query.char_vector) / index.gather(
        docs, "char_claim_norm"
    )
    char_title = _sparse_dot(index.gather(docs, "char_title"), query.char_vector) / index.gather(
        docs, "char_title_norm"
    )

    emb_claim = index.gather(docs, "emb_claim").astype(np.float32) @ query.embedding
    title_vectors = index.gather(docs, "emb_title")
    emb_title = (
        title_vectors.astype(np.float32) @ query.embedding if title_vectors.shape[1] else np.zeros(n, np.float32)
    )

    # Term overlap on distinct terms: claim_tf + title_tf has one stored entry per distinct term of a document.
    rows = _row_numbers(both_tf)
    terms = both_tf.indices
    in_query = query_weights[terms] > 0
    numeric = index.numeric_terms()[terms]
    entity = index.entity_terms()[terms]
    doc_terms = np.bincount(rows, minlength=n).astype(np.float64)
    shared = np.bincount(rows, weights=in_query, minlength=n)
    doc_numbers = np.bincount(rows, weights=numeric, minlength=n)
    shared_numbers = np.bincount(rows, weights=numeric & in_query, minlength=n)
    doc_entities = np.bincount(rows, weights=entity, minlength=n)
    shared_entities = np.bincount(rows, weights=entity & in_query, minlength=n)
    query_terms = max(1, query.term_count)

    columns = [
        bm25,
        _ratio(bm25),
        _rank(bm25),
        bm25_claim,
        _ratio(bm25_claim),
        bm25_title,
        _ratio(bm25_title),
        char_claim,
        _ratio(char_claim),
        _gap(char_claim),
        _rank(char_claim),
        char_title,
        _ratio(char_title),
        _gap(char_title),
        emb_claim,
        _gap(emb_claim),
        _rank(emb_claim),
        emb_title,
        _gap(emb_title),
        shared / np.maximum(doc_terms, 1),
        shared / np.maximum(doc_terms + len(query.term_ids) - shared, 1),
        shared_numbers,
        doc_numbers - shared_numbers,
        shared_entities,
        (doc_entities - shared_entities) / np.maximum(doc_entities, 1),
        np.log((doc_terms + 1) / (query_terms + 1)),
        np.full(n, np.log(query_terms)),
    ]
    return np.column_stack(columns).astype(np.float64)
