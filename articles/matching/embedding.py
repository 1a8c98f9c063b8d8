"""Static sentence embeddings from WordLlama's 256-dimensional token vectors, loaded offline from its wheel.

The ``wordllama`` wheel ships the token embedding table (``weights/l2_supercat_256.safetensors``) and its tokenizer
(``tokenizers/l2_supercat_tokenizer_config.json``). We read both files straight from the installed package instead
of calling ``WordLlama.load()``, which looks for the tokenizer in a folder the wheel does not have and then tries
to download it, and whose import configures the root logger. A text's embedding is the mean of its token
vectors, unit length, as WordLlama computes it.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DIMENSIONS = 256
_WEIGHTS = ("weights", "l2_supercat_256.safetensors")
_TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")
_lock = threading.Lock()
_model: StaticEmbedder | None = None


class EmbeddingsUnavailable(RuntimeError):
    pass


class StaticEmbedder:
    def __init__(self, table: np.ndarray, tokenizer) -> None:
        self.table = np.ascontiguousarray(table, dtype=np.float32)
        self.tokenizer = tokenizer

    def embed(self, texts: Sequence[str], *, batch_size: int = 1024) -> np.ndarray:
        """Unit-length float32 rows, one per text; a text with no known token gets a zero row."""
        out = np.zeros((len(texts), self.table.shape[1]), dtype=np.float32)
        last = self.table.shape[0] - 1
        for start in range(0, len(texts), batch_size):
            batch = [text or "" for text in texts[start : start + batch_size]]
            encodings = self.tokenizer.encode_batch(batch, add_special_tokens=False)
            lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(encodings))
            if not lengths.any():
                continue
            ids = np.clip(np.concatenate([e.ids for e in encodings if e.ids]), 0, last)
            filled = np.flatnonzero(lengths)
            offsets = np.concatenate([[0], np.cumsum(lengths[filled])[:-1]])
            sums = np.add.reduceat(self.table[ids], offsets, axis=0)
            out[start + filled] = sums / lengths[filled, None]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


def _package_dir() -> Path:
    spec = importlib.util.find_spec("wordllama")  # locates the files without importing the package
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingsUnavailable("The wordllama package is not installed; run `make install`.")
    return Path(next(iter(spec.submodule_search_locations)))


def load_embedder() -> StaticEmbedder:
    """The process-wide embedder (loaded once, about half a second). Never touches the network."""
    global _model
    with _lock:
        if _model is None:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer

            base = _package_dir()
            weights, tokenizer_file = base.joinpath(*_WEIGHTS), base.joinpath(*_TOKENIZER)
            if not weights.exists() or not tokenizer_file.exists():
                raise EmbeddingsUnavailable(f"The wordllama package at {base} lacks its bundled weights or tokenizer.")
            tokenizer = Tokenizer.from_file(str(tokenizer_file))
            tokenizer.no_padding()
            tokenizer.no_truncation()
            _model = StaticEmbedder(load_file(str(weights))["embedding.weight"], tokenizer)
        return _model
