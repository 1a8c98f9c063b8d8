"""Claim matching: has this claim been checked before? Pure (no Django, no Celery); see docs in each module.

Build an index of verified claims or earlier statements, optionally train a re-ranker, then match::

    from articles.matching import Claim, ClaimIndex, ClaimMatcher, MatchExample, TrainedReranker, train_reranker

    index = ClaimIndex([Claim(17, "5G towers spread the coronavirus.", "Do 5G Towers Spread COVID-19?"), ...])
    ClaimMatcher(index).match("5G masts are spreading covid", k=5)   # -> [Match(id=17, score=0.83), ...]

    reranker = train_reranker(index, [MatchExample("5G masts cause covid", 17, True), ...])  # desk decisions
    reranker.metrics              # cross-validated map@5, p@1, recall@5, and the data's size
    blob = reranker.to_bytes()    # store it (a BinaryField, a file); TrainedReranker.from_bytes(blob) loads it
    ClaimMatcher(index, reranker).match(...)

* ``ClaimIndex(items)`` takes ``Claim(id, text, title="")`` or plain ``(id, text[, title])`` tuples. Texts equal
  up to case, accents, quotes, punctuation and spacing are one claim: it matches once, under its smallest id;
  ``index.group(id)`` lists the ids that share its text. ``index.add(items)`` and ``index.remove(ids)`` work
  incrementally (a new id replaces an existing one with the same id); ``index.compact()`` rewrites the index in
  one piece after many changes. ``len(index)`` counts distinct claims, ``index.memory_bytes()`` its matrices.
* ``ClaimMatcher(index, reranker=None).match(query, k=5)`` returns ``Match(id, score)`` tuples, best first,
  score in 0..1. Candidates come from a BM25 inverted index (sparse posting lists of the query's terms, never
  a scan of all claims); the re-ranker scores the best ``CANDIDATES`` of them on the similarity features in
  ``features.FEATURE_NAMES``. Without a trained re-ranker a fixed blend (``DEFAULT_RERANKER``) is used.
* ``train_reranker(index, examples, folds=5)`` takes ``MatchExample(query, claim_id, is_match)``: confirmed
  pairs, and rejected ones (``is_match=False``). It needs at least 10 queries with a confirmed match.
* ``formats`` reads the CLEF CheckThat! files; ``evaluation.ranking_metrics`` computes MAP@k, P@1, recall@k.
* Embeddings come from the ``wordllama`` wheel's bundled weights, read offline (``embedding``); loading them
  takes about half a second, once per process.
"""

from .evaluation import ranking_metrics
from .features import FEATURE_NAMES
from .index import Claim, ClaimIndex
from .matcher import ClaimMatcher, Match
from .reranker import CANDIDATES, DEFAULT_RERANKER, MatchExample, TrainedReranker, train_reranker

__all__ = [
    "CANDIDATES",
    "DEFAULT_RERANKER",
    "FEATURE_NAMES",
    "Claim",
    "ClaimIndex",
    "ClaimMatcher",
    "Match",
    "MatchExample",
    "TrainedReranker",
    "ranking_metrics",
    "train_reranker",
]
