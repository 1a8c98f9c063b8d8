"""Claim matching: has this claim been checked before? Pure (no Django, no Celery).

Build an index of verified claims or earlier statements, optionally train a re-ranker, then match::

    from articles.matching import Claim, ClaimIndex, ClaimMatcher, MatchExample, TrainedReranker, train_reranker

    index = ClaimIndex([Claim(17, "5G towers spread the coronavirus.", "Do 5G Towers Spread COVID-19?"), ...])
    ClaimMatcher(index).match("5G masts are spreading covid", k=5)   # -> [Match(id=17, score=0.83), ...]

    reranker = train_reranker(index, [MatchExample("5G masts cause covid", 17, True), ...])  # desk decisions
    reranker.metrics              # cross-validated map@5, p@1, recall@5, and the data's size
    blob = reranker.to_bytes()    # store it (a BinaryField, a file); TrainedReranker.from_bytes(blob) loads it
    ClaimMatcher(index, reranker).match(...)

* ``ClaimIndex(items)`` takes ``Claim(id, text, title="")`` or plain ``(id, text[, title])`` tuples; ids are any
  hashable, sortable values. Texts equal up to case, accents, quotes, punctuation and spacing are one claim: it
  matches once, under its smallest id; ``index.group(id)`` lists the ids sharing its text. ``index.add(items)``
  and ``index.remove(ids)`` work incrementally (adding an id again replaces its text; a claim goes when its
  last id goes); ``index.compact()`` rewrites it in one piece after many changes. ``len(index)`` counts
  distinct claims, ``index.ids_count`` ids, ``index.memory_bytes()`` the matrices. ``index.to_bytes()`` /
  ``ClaimIndex.from_bytes()`` cache a built index. Not thread-safe for writes: one writer, or a lock.
* ``ClaimMatcher(index, reranker=None).match(query, k=5)`` returns up to k ``Match(id, score)`` tuples, best
  first, score in 0..1 (with a trained re-ranker, its probability of "same claim"). Candidates are the best
  ``CANDIDATES`` (100) claims by BM25 over claim and title, from an inverted index (the posting lists
  of the query's terms, never a scan), so a query sharing no word with any claim gets no match. The
  re-ranker scores them on ``FEATURE_NAMES`` (``features``); without a trained one, ``DEFAULT_RERANKER``
  blends BM25, character n-gram and embedding similarity.
* ``train_reranker(index, examples, folds=5)`` takes ``MatchExample(query, claim_id, is_match)``: confirmed
  pairs and rejected ones (``is_match=False``); it needs 10 queries with a confirmed match. Unlabelled
  candidates of a query with a confirmed match count as non-matches. It raises ValueError on unusable data.
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
