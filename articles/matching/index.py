"""The claim index: near-duplicate groups, a BM25 inverted index for candidates, and what the re-ranker reads.

Each distinct claim (texts equal up to case, accents, quotes, punctuation and spacing: ``text.claim_key``) is one
*document*; every id added with that text joins the document's group, and the group answers with its smallest
id (the oldest, for auto-increment keys and for the CLEF data, whose 2020 copies got larger ids).

Documents live in *segments*, as in Lucene: ``add`` writes a new segment, ``remove`` marks documents dead,
and segments are merged (matrices stacked, nothing re-read) when there are more than ``MAX_SEGMENTS``.
``compact()`` merges everything and drops the dead. Per segment we keep, as sparse matrices:

* the term counts of the claim and of its title (documents x terms), for per-field BM25 and term overlap;
* the inverted index (terms x documents) of BM25 term weights over claim + title: candidates for a query are
  the sum of a few rows of it (``q @ inverted``), so a query costs its terms' posting lists, not a scan;
* character 3-5-gram counts (hashed into 2**20 columns, sublinear) of the claim and the title, with each row's
  TF-IDF length, so a cosine with the query uses the current IDF;
* WordLlama static embeddings of the claim and the title (float16, unit length).

Term document frequencies and field lengths are kept globally and updated by ``add``/``remove``, so IDF is
always current (how often each term is written capitalised, which marks names, only grows: a statistic of all
text seen); a segment's precomputed BM25 length normalisation and
character vector lengths are those of the moment it was written or last merged (merging refreshes them).
"""

from __future__ import annotations

import pickle
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
from scipy import sparse

from . import text as textlib
from .chargrams import COLUMNS as CHAR_FEATURES
from .chargrams import char_ngram_counts
from .embedding import load_embedder

MAX_SEGMENTS = 8
# Bump when the stored layout or the text processing changes: an index saved before must be rebuilt.
_FORMAT = "factcheck-claim-index/1"
BM25_K1 = 1.2
BM25_B = 0.75


class Claim(NamedTuple):
    """One verified claim or earlier statement to match against; ``title`` is optional (a report's headline)."""

    id: Hashable
    text: str
    title: str = ""


def char_counts(texts: Sequence[str]) -> sparse.csr_matrix:
    """Hashed character 3-5-gram counts of texts, URLs dropped and accents folded."""
    if not any(texts):  # statements have no titles: nothing to cut
        return sparse.csr_matrix((len(texts), CHAR_FEATURES), dtype=np.float32)
    return char_ngram_counts([textlib.fold(textlib.strip_urls(t)) for t in texts])


def _sublinear(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    matrix = matrix.copy()
    np.log(matrix.data, out=matrix.data)
    matrix.data += 1.0
    return matrix


@dataclass
class Segment:
    start: int  # global number of this segment's first document
    claim_tf: sparse.csr_matrix  # documents x terms (terms known when written; later terms are absent)
    title_tf: sparse.csr_matrix
    inverted: sparse.csr_matrix  # terms x documents, BM25 weight without IDF
    char_claim: sparse.csr_matrix  # documents x hashed n-grams, 1 + log(count)
    char_title: sparse.csr_matrix
    char_claim_norm: np.ndarray  # each row's TF-IDF length
    char_title_norm: np.ndarray
    emb_claim: np.ndarray
    emb_title: np.ndarray

    @property
    def stop(self) -> int:
        return self.start + self.claim_tf.shape[0]


@dataclass
class PreparedQuery:
    text: str
    term_ids: np.ndarray  # distinct terms the index knows, sorted
    term_count: int  # distinct query terms, known or not
    char_vector: (
        sparse.csr_matrix
    )  # 1 x CHAR_FEATURES: TF-IDF / length * IDF, so that row . it / row length is the cosine
    _embedding: np.ndarray | None = field(default=None, repr=False)

    @property
    def embedding(self) -> np.ndarray:
        if self._embedding is None:
            self._embedding = load_embedder().embed([textlib.fold(textlib.strip_urls(self.text))])[0]
        return self._embedding


class ClaimIndex:
    """Distinct claims, searchable by BM25 candidates; see the module docstring."""

    def __init__(self, items: Iterable[Claim | tuple] = ()) -> None:
        self.vocabulary: dict[str, int] = {}
        self._df = np.zeros(0, dtype=np.int64)  # documents containing the term (claim or title), alive only
        self._capitalised = np.zeros(0, dtype=np.int64)  # occurrences written capitalised inside a sentence
        self._occurrences = np.zeros(0, dtype=np.int64)
        self._numeric = np.zeros(0, dtype=bool)  # terms with a digit in them
        self._entities: np.ndarray | None = None
        self._char_df = np.zeros(CHAR_FEATURES, dtype=np.int32)
        self._claim_length_total = 0
        self._title_length_total = 0
        self.segments: list[Segment] = []
        self._members: list[list[Hashable]] = []  # per document, ids sharing its text; [] once removed
        self._texts: list[str] = []
        self._titles: list[str] = []
        self._alive = np.zeros(0, dtype=bool)
        self._alive_count = 0
        self._doc_by_key: dict[str, int] = {}
        self._doc_by_id: dict[Hashable, int] = {}
        self.add(items)

    # --- storing ----------------------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """The whole index, to cache it (a file, a blob) instead of rebuilding it in every process."""
        return pickle.dumps({"format": _FORMAT, "index": self.__dict__}, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def from_bytes(cls, data: bytes) -> ClaimIndex:
        """Load an index saved by to_bytes. Pickle runs code: only load bytes this app stored itself."""
        try:
            payload = pickle.loads(data)  # noqa: S301 - our own stored index, never user uploads
        except Exception as exc:
            raise ValueError(f"Could not read the stored claim index: {exc}") from exc
        if not isinstance(payload, dict) or payload.get("format") != _FORMAT:
            raise ValueError("These bytes are not a claim index saved by this version of the app; rebuild it.")
        index = cls.__new__(cls)
        index.__dict__.update(payload["index"])
        return index

    # --- size and lookups -------------------------------------------------------------------------------------
    def __len__(self) -> int:
        """Distinct claims (near-duplicate groups) currently searchable."""
        return self._alive_count

    def __contains__(self, claim_id: Hashable) -> bool:
        return claim_id in self._doc_by_id

    @property
    def ids_count(self) -> int:
        return len(self._doc_by_id)

    @property
    def has_titles(self) -> bool:
        return self._title_length_total > 0

    def group(self, claim_id: Hashable) -> list[Hashable]:
        """All ids whose text is the same claim as ``claim_id``'s, smallest first (KeyError if unknown)."""
        return _sorted_ids(self._members[self._doc_by_id[claim_id]])

    def representative(self, doc: int) -> Hashable:
        return _sorted_ids(self._members[doc])[0]

    def doc_of(self, claim_id: Hashable) -> int:
        return self._doc_by_id[claim_id]

    def text_of(self, doc: int) -> str:
        return self._texts[doc]

    def title_of(self, doc: int) -> str:
        return self._titles[doc]

    @property
    def documents(self) -> int:
        return len(self._members)

    def alive(self, docs: np.ndarray) -> np.ndarray:
        return self._alive[docs]

    # --- writing ----------------------------------------------------------------------------------------------
    def add(self, items: Iterable[Claim | tuple]) -> None:
        """Add claims; an id already present is replaced, a text already present joins that claim's group."""
        new_docs: list[int] = []
        for item in items:
            claim = item if isinstance(item, Claim) else Claim(*item)
            text, title = str(claim.text or ""), str(claim.title or "")
            if not text.strip():
                raise ValueError(f"Claim {claim.id!r} has no text.")
            if claim.id in self._doc_by_id:
                self.remove([claim.id])
            key = textlib.claim_key(text)
            doc = self._doc_by_key.get(key)
            if doc is None:
                doc = len(self._members)
                self._doc_by_key[key] = doc
                self._members.append([])
                self._texts.append(text)
                self._titles.append(title)
                new_docs.append(doc)
            self._members[doc].append(claim.id)
            self._doc_by_id[claim.id] = doc
        if new_docs:
            self._write_segment(new_docs)

    def remove(self, ids: Iterable[Hashable]) -> int:
        """Forget ids; a claim stops matching when its last id goes. Returns how many ids were known."""
        removed = 0
        for claim_id in ids:
            doc = self._doc_by_id.pop(claim_id, None)
            if doc is None:
                continue
            removed += 1
            self._members[doc].remove(claim_id)
            if not self._members[doc]:
                self._kill(doc)
        return removed

    def compact(self) -> None:
        """Merge all segments into one, dropping removed claims and refreshing length norms and character IDF."""
        if not self.segments:
            return
        keep = np.flatnonzero(self._alive)
        merged = self._stack(self.segments, rows=keep)
        self._members = [self._members[d] for d in keep]
        self._texts = [self._texts[d] for d in keep]
        self._titles = [self._titles[d] for d in keep]
        self._alive = np.ones(len(keep), dtype=bool)
        self._alive_count = len(keep)
        self._doc_by_key = {textlib.claim_key(t): d for d, t in enumerate(self._texts)}
        self._doc_by_id = {claim_id: d for d, members in enumerate(self._members) for claim_id in members}
        self.segments = [merged]

    def _kill(self, doc: int) -> None:
        self._alive[doc] = False
        self._alive_count -= 1
        del self._doc_by_key[textlib.claim_key(self._texts[doc])]
        segment = self._segment_of(doc)
        local = doc - segment.start
        claim_row, title_row = segment.claim_tf[local], segment.title_tf[local]
        present = np.union1d(claim_row.indices, title_row.indices)
        self._df[present] -= 1
        self._claim_length_total -= int(claim_row.sum())
        self._title_length_total -= int(title_row.sum())
        for chars in (segment.char_claim[local], segment.char_title[local]):
            self._char_df[chars.indices] -= 1

    def _grow_vocabulary(self, size: int) -> None:
        extra = size - len(self._df)
        if extra > 0:
            pad = np.zeros(extra, dtype=np.int64)
            self._df = np.concatenate([self._df, pad])
            self._capitalised = np.concatenate([self._capitalised, pad])
            self._occurrences = np.concatenate([self._occurrences, pad])
            terms = list(self.vocabulary)[len(self._numeric) :]
            self._numeric = np.concatenate([self._numeric, np.asarray([textlib.is_number(t) for t in terms], bool)])

    def _count_terms(self, texts: Sequence[str]) -> sparse.csr_matrix:
        vocabulary = self.vocabulary
        indptr, indices = [0], []
        capitalised: list[int] = []
        for text in texts:
            for word, upper in textlib.tokens(text):
                if word in textlib.STOP_WORDS:
                    continue
                term = textlib.stem(word)
                term_id = vocabulary.get(term)
                if term_id is None:
                    term_id = vocabulary[term] = len(vocabulary)
                indices.append(term_id)
                if upper:
                    capitalised.append(term_id)
            indptr.append(len(indices))
        self._grow_vocabulary(len(vocabulary))
        index_array = np.asarray(indices, dtype=np.int32)
        self._occurrences += np.bincount(index_array, minlength=len(self._df))
        self._entities = None
        self._capitalised += np.bincount(np.asarray(capitalised, dtype=np.int64), minlength=len(self._df))
        counts = sparse.csr_matrix(
            (np.ones(len(index_array), dtype=np.float32), index_array, np.asarray(indptr, dtype=np.int64)),
            shape=(len(texts), len(vocabulary)),
        )
        counts.sum_duplicates()
        return counts

    def _write_segment(self, docs: list[int]) -> None:
        texts = [self._texts[d] for d in docs]
        titles = [self._titles[d] for d in docs]
        claim_tf = self._count_terms(texts)
        title_tf = self._count_terms(titles)
        width = len(self.vocabulary)
        claim_tf.resize((len(docs), width))
        present = (claim_tf + title_tf).tocsc()
        self._df += np.diff(present.indptr)
        self._claim_length_total += int(claim_tf.sum())
        self._title_length_total += int(title_tf.sum())
        char_claim, char_title = _sublinear(char_counts(texts)), _sublinear(char_counts(titles))
        self._char_df += np.bincount(char_claim.indices, minlength=CHAR_FEATURES).astype(np.int32)
        self._char_df += np.bincount(char_title.indices, minlength=CHAR_FEATURES).astype(np.int32)
        embedder = load_embedder()
        prepared = [textlib.fold(textlib.strip_urls(t)) for t in texts]
        has_titles = any(t.strip() for t in titles)
        emb_claim = embedder.embed(prepared).astype(np.float16)
        emb_title = (
            embedder.embed([textlib.fold(textlib.strip_urls(t)) for t in titles]).astype(np.float16)
            if has_titles
            else np.zeros((len(docs), 0), dtype=np.float16)
        )
        self._alive = np.concatenate([self._alive, np.ones(len(docs), dtype=bool)])
        self._alive_count += len(docs)
        segment = Segment(
            start=docs[0],
            claim_tf=claim_tf,
            title_tf=title_tf,
            inverted=self._inverted(claim_tf + title_tf),
            char_claim=char_claim,
            char_title=char_title,
            char_claim_norm=self._char_lengths(char_claim),
            char_title_norm=self._char_lengths(char_title),
            emb_claim=emb_claim,
            emb_title=emb_title,
        )
        self.segments.append(segment)
        if len(self.segments) > MAX_SEGMENTS:
            # The first segment (usually the initial build, the largest) is rewritten only by compact();
            # the later ones are adjacent, so stacking them keeps documents numbered as they are.
            self.segments = [self.segments[0], self._stack(self.segments[1:])]

    def _avg_length(self) -> float:
        alive = max(1, len(self))
        return max(1.0, (self._claim_length_total + self._title_length_total) / alive)

    def _inverted(self, tf: sparse.csr_matrix) -> sparse.csr_matrix:
        lengths = np.asarray(tf.sum(axis=1)).ravel()
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / self._avg_length())
        weights = tf.tocoo()
        data = weights.data * (BM25_K1 + 1) / (weights.data + norm[weights.row])
        matrix = sparse.csr_matrix((data.astype(np.float32), (weights.col, weights.row)), shape=tf.shape[::-1])
        return matrix

    def char_idf(self, columns: np.ndarray) -> np.ndarray:
        n = max(1, len(self))
        return (np.log((1 + n) / (1 + self._char_df[columns].astype(np.float64))) + 1).astype(np.float32)

    def _char_lengths(self, weighted_tf: sparse.csr_matrix) -> np.ndarray:
        squared = weighted_tf.copy()
        squared.data = (squared.data * self.char_idf(squared.indices)) ** 2
        lengths = np.sqrt(np.asarray(squared.sum(axis=1)).ravel()).astype(np.float32)
        lengths[lengths == 0] = 1.0
        return lengths

    def char_query_vector(self, text: str) -> sparse.csr_matrix:
        weighted = _sublinear(char_counts([text]))
        idf = self.char_idf(weighted.indices)
        length = float(np.sqrt(((weighted.data * idf) ** 2).sum())) or 1.0
        weighted.data *= idf * idf / length
        return weighted

    def _stack(self, segments: list[Segment], rows: np.ndarray | None = None) -> Segment:
        width = len(self.vocabulary)

        def stacked(name: str, columns: int | None = None) -> sparse.csr_matrix:
            parts = []
            for segment in segments:
                matrix = getattr(segment, name).copy()
                if columns is not None:
                    matrix.resize((matrix.shape[0], columns))
                parts.append(matrix)
            out = sparse.vstack(parts, format="csr")
            return out[rows] if rows is not None else out

        claim_tf, title_tf = stacked("claim_tf", width), stacked("title_tf", width)
        emb_claim = np.concatenate([s.emb_claim for s in segments])
        title_width = max(s.emb_title.shape[1] for s in segments)
        emb_title = np.concatenate(
            [
                s.emb_title if s.emb_title.shape[1] == title_width else np.zeros((len(s.emb_claim), title_width))
                for s in segments
            ]
        ).astype(np.float16)
        char_claim, char_title = stacked("char_claim"), stacked("char_title")
        if rows is not None:
            emb_claim, emb_title = emb_claim[rows], emb_title[rows]
        return Segment(
            start=segments[0].start if rows is None else 0,
            claim_tf=claim_tf,
            title_tf=title_tf,
            inverted=self._inverted(claim_tf + title_tf),
            char_claim=char_claim,
            char_title=char_title,
            char_claim_norm=self._char_lengths(char_claim),
            char_title_norm=self._char_lengths(char_title),
            emb_claim=emb_claim,
            emb_title=emb_title,
        )

    def _segment_of(self, doc: int) -> Segment:
        for segment in self.segments:
            if segment.start <= doc < segment.stop:
                return segment
        raise IndexError(doc)

    # --- reading ----------------------------------------------------------------------------------------------
    def idf(self, term_ids: np.ndarray) -> np.ndarray:
        n = max(1, len(self))
        df = self._df[term_ids].astype(np.float64)
        return np.log(1 + (n - df + 0.5) / (df + 0.5))

    def knows(self, term: str) -> bool:
        term_id = self.vocabulary.get(term)
        return term_id is not None and self._df[term_id] > 0

    def entity_terms(self) -> np.ndarray:
        """Per term: written capitalised inside a sentence more often than not (names, places, organisations)."""
        if self._entities is None or len(self._entities) != len(self._capitalised):
            self._entities = self._capitalised * 2 > self._occurrences
        return self._entities

    def numeric_terms(self) -> np.ndarray:
        """Per term: has a digit in it (years, amounts, percentages)."""
        return self._numeric

    def prepare(self, query: str) -> PreparedQuery:
        all_terms = textlib.unique(textlib.query_terms(query, self.knows))
        known = [self.vocabulary[t] for t in all_terms if t in self.vocabulary]
        term_ids = np.asarray(sorted(set(known)), dtype=np.int64)
        chars = self.char_query_vector(query)
        return PreparedQuery(
            text=query,
            term_ids=term_ids,
            term_count=len(all_terms),
            char_vector=chars,
        )

    def candidates(self, query: PreparedQuery | str, k: int = 100) -> tuple[np.ndarray, np.ndarray]:
        """The k best living documents by BM25 over claim and title: (document numbers, scores), best first."""
        if isinstance(query, str):
            query = self.prepare(query)
        term_ids = query.term_ids
        found_docs, found_scores = [], []
        if len(term_ids):
            idf = self.idf(term_ids).astype(np.float32)
            for segment in self.segments:
                usable = term_ids < segment.inverted.shape[0]
                if not usable.any():
                    continue
                weights = sparse.csr_matrix(
                    (idf[usable], (np.zeros(int(usable.sum()), dtype=np.int64), term_ids[usable])),
                    shape=(1, segment.inverted.shape[0]),
                )
                scores = weights @ segment.inverted
                local, values = scores.indices, scores.data
                if self._alive_count < len(self._alive):  # some claims were removed: drop them first
                    living = self._alive[segment.start : segment.stop][local]
                    local, values = local[living], values[living]
                if len(values) > k:  # the segment's own best k, before any copying
                    best = np.argpartition(-values, k - 1)[:k]
                    local, values = local[best], values[best]
                found_docs.append(local.astype(np.int64) + segment.start)
                found_scores.append(values)
        if not found_docs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        docs, scores = np.concatenate(found_docs), np.concatenate(found_scores)
        if len(docs) > k:
            top = np.argpartition(-scores, k - 1)[:k]
            docs, scores = docs[top], scores[top]
        order = np.lexsort((docs, -scores))
        return docs[order], scores[order]

    def locate(self, docs: np.ndarray) -> list[tuple[Segment, np.ndarray, np.ndarray]]:
        """(segment, positions in docs, rows in the segment) for each segment holding some of docs."""
        docs = np.asarray(docs, dtype=np.int64)
        starts = np.asarray([segment.start for segment in self.segments])
        segment_of = np.searchsorted(starts, docs, side="right") - 1
        located = []
        for number in np.unique(segment_of):
            positions = np.flatnonzero(segment_of == number)
            segment = self.segments[number]
            located.append((segment, positions, docs[positions] - segment.start))
        return located

    def gather(self, docs: np.ndarray | list, name: str) -> Any:
        """Rows of one per-document matrix (``claim_tf``, ``char_title``, ``emb_claim``, ...) for docs, in order.

        ``docs`` may be what ``locate(docs)`` returned, to locate them once for several matrices. Sparse rows
        are copied with array arithmetic rather than scipy's fancy indexing, whose fixed cost per call adds up
        over eight matrices and several segments per query.
        """
        located = docs if isinstance(docs, list) else self.locate(docs)
        n = sum(len(positions) for _, positions, _ in located)
        first = getattr(self.segments[0], name)
        if sparse.issparse(first):
            width = len(self.vocabulary) if name in ("claim_tf", "title_tf") else first.shape[1]
            lengths = np.zeros(n, dtype=np.int64)
            for segment, positions, local in located:
                matrix = getattr(segment, name)
                lengths[positions] = matrix.indptr[local + 1] - matrix.indptr[local]
            indptr = np.concatenate([[0], np.cumsum(lengths)])
            data = np.empty(int(indptr[-1]), dtype=first.data.dtype)
            indices = np.empty(int(indptr[-1]), dtype=first.indices.dtype)
            for segment, positions, local in located:
                matrix = getattr(segment, name)
                chosen = positions
                counts = lengths[chosen]
                total = int(counts.sum())
                offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
                source = np.repeat(matrix.indptr[local], counts) + offsets
                target = np.repeat(indptr[chosen], counts) + offsets
                data[target] = matrix.data[source]
                indices[target] = matrix.indices[source]
            return sparse.csr_matrix((data, indices, indptr), shape=(n, width))
        if first.ndim == 1:
            out = np.empty(n, dtype=first.dtype)
        else:
            widest = max(getattr(segment, name).shape[1] for segment, _, _ in located)
            out = np.zeros((n, widest), dtype=first.dtype)
        for segment, positions, local in located:
            values = getattr(segment, name)
            if values.ndim == 2 and values.shape[1] != out.shape[1]:
                continue  # a segment without titles: zero rows
            out[positions] = values[local]
        return out

    def title_length_average(self) -> float:
        return max(1.0, self._title_length_total / max(1, len(self)))

    def claim_length_average(self) -> float:
        return max(1.0, self._claim_length_total / max(1, len(self)))

    def memory_bytes(self) -> int:
        """Bytes held by the matrices and arrays (not the Python lists of texts and ids)."""
        total = self._df.nbytes * 3 + self._char_df.nbytes + self._alive.nbytes
        for segment in self.segments:
            for matrix in (
                segment.claim_tf,
                segment.title_tf,
                segment.inverted,
                segment.char_claim,
                segment.char_title,
            ):
                total += matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes
            total += segment.emb_claim.nbytes + segment.emb_title.nbytes
            total += segment.char_claim_norm.nbytes + segment.char_title_norm.nbytes
        return total


def _sorted_ids(ids: list[Hashable]) -> list[Hashable]:
    try:
        return sorted(ids)
    except TypeError:
        return list(ids)
