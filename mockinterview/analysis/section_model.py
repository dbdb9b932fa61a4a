"""What each sentence of an answer does (sets the context, states the scope, acts, reports a result, draws
a lesson), read by a small classifier learned from data over sentence embeddings, not from cue words.

The classifier is a softmax regression over the embedder's L2-normalised vectors, trained by
`bench/train_sections.py` on sentences whose section is known (its docstring lists them); its weights ship
in `section_model.npz` beside this module. The embedder is passed in, so this stays testable. Readings are
not cached here: `sections.evidence` keeps each sentence's evidence row, so a sentence is read once.
"""

from __future__ import annotations

from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import MockInterviewError
from .credit.embeddings import Embedder

WEIGHTS_PATH = Path(__file__).with_name("section_model.npz")
SECTION_NAMES = ("situation", "task", "action", "result", "reflection")


@dataclass(frozen=True)
class SectionWeights:
    """Softmax regression: scores = vectors @ weights + bias, one column per name."""

    names: tuple[str, ...]
    weights: np.ndarray  # (dimensions, len(names))
    bias: np.ndarray  # (len(names),)
    embedder: str  # the embedder the weights were trained on

    def log_probabilities(self, vectors: np.ndarray) -> np.ndarray:
        scores = vectors @ self.weights + self.bias
        scores -= scores.max(axis=1, keepdims=True)
        return scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))


def load_weights(path: Path = WEIGHTS_PATH) -> SectionWeights:
    try:
        with np.load(path, allow_pickle=False) as data:
            return SectionWeights(tuple(str(n) for n in data["names"]), data["weights"].astype(np.float32),
                                  data["bias"].astype(np.float32), str(data["embedder"]))
    except (OSError, KeyError, ValueError) as exc:
        raise MockInterviewError(f"{path}: the section classifier's weights are unreadable ({exc}); reinstall") from exc


def train(vectors: np.ndarray, labels: Sequence[int], n_classes: int, *, l2: float = 1e-3, steps: int = 3000,
          rate: float = 4.0) -> tuple[np.ndarray, np.ndarray]:
    """Class-balanced softmax regression by full-batch gradient descent: deterministic, no seed."""
    y = np.zeros((len(labels), n_classes), np.float64)
    y[np.arange(len(labels)), labels] = 1.0
    counts = y.sum(axis=0)
    sample_weight = (y / np.clip(counts, 1, None)).sum(axis=1) * len(labels) / n_classes
    x = vectors.astype(np.float64)
    w = np.zeros((x.shape[1], n_classes))
    b = np.zeros(n_classes)
    for _ in range(steps):
        scores = x @ w + b
        scores -= scores.max(axis=1, keepdims=True)
        p = np.exp(scores)
        p /= p.sum(axis=1, keepdims=True)
        grad = (p - y) * sample_weight[:, None] / len(labels)
        w -= rate * (x.T @ grad + l2 * w)
        b -= rate * grad.sum(axis=0)
    return w, b


class SentenceReader:
    """Reads sentences for what they do: per sentence, the log-probability of each section name."""

    def __init__(self, embedder: Embedder, weights: SectionWeights):
        if embedder.name != weights.embedder:
            raise MockInterviewError(f"the section classifier was trained on {weights.embedder}, not {embedder.name}")
        self.embedder = embedder
        self.weights = weights

    def read(self, texts: Sequence[str]) -> list[dict[str, float]]:
        rows = self.weights.log_probabilities(self.embedder.encode(texts))
        return [{name: float(v) for name, v in zip(self.weights.names, row)} for row in rows]


@lru_cache(maxsize=1)
def default_reader() -> SentenceReader:
    """The shipped classifier over its embedder, loaded once per process (the embedder is shared with
    crediting by meaning)."""
    from .credit.embeddings import load_embedder

    weights = load_weights()
    return SentenceReader(load_embedder(weights.embedder), weights)
