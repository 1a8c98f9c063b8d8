"""Text normalisation for claim matching: one key per claim up to quotes and punctuation, index terms, query terms.

Terms are lower-cased, accent-folded words without English stop words, with a light plural stemmer. Handles and
hashtags in camel case (``@SenJohnMcCain``, ``#DraftOurDaughters``) add their parts, since tweets and posts glue
names together that the claims spell apart; ``query_terms`` also splits glued words it does not know
(``poisonwaterbottles``) into words the index knows, and joins neighbours the index knows as one word
(``Direct TV`` -> ``directtv``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | {"s", "t", "ll", "ve", "d", "m", "re"}
_WORD = re.compile(r"[^\W_]+")
_URL = re.compile(r"https?://\S+|\bpic\.twitter\.com/\S+|\bwww\.\S+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NUMBER = re.compile(r"\d")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# The first letter of a text, or after sentence punctuation or an opening quote: a capital there says nothing.
_SENTENCE_START = re.compile(r"(?:^|[.!?:\n\"“])[\W_]*?([^\W_])")
# Glued words shorter than this are left alone: splitting short ones finds too many accidental words.
MIN_GLUED_LENGTH = 6
MIN_PIECE_LENGTH = 3


def fold(text: str) -> str:
    """Accents off (``Kandó`` -> ``Kando``), compatibility forms unified."""
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def claim_key(text: str) -> str:
    """The same key for texts that differ only in case, accents, quotes, punctuation or spacing."""
    return " ".join(_WORD.findall(fold(text or "").lower()))


def strip_urls(text: str) -> str:
    return _URL.sub(" ", text or "")


def stem(word: str) -> str:
    """Plural ``s`` off, ``ies`` -> ``y``; words ending in ss/us/is keep theirs (``isis``, ``potus``, ``business``)."""
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1]


def _camel_parts(word: str) -> list[str]:
    parts = [part for part in _CAMEL.split(word) if part]
    merged: list[str] = []
    for part in parts:
        if merged and merged[-1] in ("Mc", "Mac"):  # McCain is one name, not Mc + Cain
            merged[-1] += part
        else:
            merged.append(part)
    return merged


def tokens(text: str) -> list[tuple[str, bool]]:
    """Lower-cased words (URLs dropped), each with whether it was written capitalised inside a sentence.

    A camel-case word gives itself and then its parts.
    """
    out: list[tuple[str, bool]] = []
    cleaned = fold(strip_urls(text))
    sentence_starts = {match.start(1) for match in _SENTENCE_START.finditer(cleaned)}
    for match in _WORD.finditer(cleaned):
        word = match.group()
        out.append((word.lower(), word[0].isupper() and match.start() not in sentence_starts))
        if not word.isupper() and not word.islower():
            parts = _camel_parts(word)
            if len(parts) > 1:
                out.extend((part.lower(), part[0].isupper()) for part in parts)
    return out


def words(text: str) -> list[str]:
    return [word for word, _ in tokens(text)]


def terms(text: str) -> list[str]:
    """Index terms of a text, in order, repeats kept (term frequencies count them)."""
    return [stem(word) for word in words(text) if word not in STOP_WORDS]


def is_number(term: str) -> bool:
    return bool(_NUMBER.search(term))


def segment(word: str, known: Callable[[str], bool]) -> list[str] | None:
    """Split a glued word into the fewest known pieces (each at least MIN_PIECE_LENGTH long), or None."""
    n = len(word)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for start in range(n):
        pieces = best[start]
        if pieces is None:
            continue
        for end in range(start + MIN_PIECE_LENGTH, n + 1):
            piece = word[start:end]
            candidate = best[end]
            if (candidate is None or len(candidate) > len(pieces) + 1) and known(piece):
                best[end] = [*pieces, piece]
    result = best[n]
    return result if result is not None and len(result) > 1 else None


def query_terms(text: str, vocabulary: Callable[[str], bool]) -> list[str]:
    """Terms of a query, plus known pieces of glued words and known joins of neighbouring words.

    ``vocabulary(term)`` says whether the index knows a term.
    """
    query_words = words(text)
    out = [stem(word) for word in query_words if word not in STOP_WORDS]

    def known_word(piece: str) -> bool:
        return piece in STOP_WORDS or vocabulary(stem(piece))

    for word in set(query_words):
        if len(word) >= MIN_GLUED_LENGTH and not vocabulary(stem(word)) and not is_number(word):
            pieces = segment(word, known_word)
            if pieces:
                out.extend(stem(piece) for piece in pieces if piece not in STOP_WORDS)
    for left, right in zip(query_words, query_words[1:], strict=False):
        joined = stem(left + right)
        if left not in STOP_WORDS and right not in STOP_WORDS and vocabulary(joined):
            out.append(joined)
    return out


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
