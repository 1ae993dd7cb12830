"""A small statistical event-class model that ranks the coder's candidates.

Rules say which CAMEO code a trigger *can* have; when a sentence offers
several triggers ("X said Y will provide aid after Z attacked"), which one is
the sentence's event is a matter of news-writing convention that a model
learns better than a hand-written preference.  This module holds a
multinomial logistic regression over hashed features of the parse (content
lemmas and bigrams, the root verb, the classes of the rule candidates) that
predicts the five-way CAMEO class of the sentence (0 = roots 01-02, 1 = 03-05,
2 = 06-08, 3 = 09-13, 4 = 14-20).  The coder never invents a code from it: the
model only orders the events the rules produced and picks the trigger of the
relaxed fallback, and every event still names the rule that coded it.

The weights are trained reproducibly by ``scripts/train_event_classifier.py``
from the ConfliBERT CAMEO training sentences in ``../shared`` (a deterministic
80/20 split; the 20% are held out for evaluation) and stored as a compressed
NumPy file of about 1 MB in ``src/tidings/data/models/``.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

MODEL_NAME = "tidings.event_class.v1"
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "models" / "event_class.npz"
N_CLASSES = 5
_CONTENT_POS = {"NOUN", "VERB", "ADJ", "PROPN", "ADV", "NUM"}


def in_heldout_split(sentence: str) -> bool:
    """The deterministic 20% of training sentences kept out of training."""
    digest = hashlib.sha1(" ".join(sentence.split()).encode("utf-8")).digest()
    return digest[0] % 5 == 0


def features(sent, candidate_classes: Sequence[int] = ()) -> list[str]:
    """Feature strings of a sentence (a spaCy Span) and its candidate classes."""
    feats: list[str] = ["bias"]
    content = [t for t in sent if t.pos_ in _CONTENT_POS and not t.is_stop]
    lemmas = [t.lemma_.lower() for t in content]
    feats.extend(f"w={lemma}" for lemma in lemmas)
    feats.extend(f"b={a}_{b}" for a, b in itertools.pairwise(lemmas))
    root = sent.root
    feats.append(f"root={root.lemma_.lower()}")
    for child in root.children:
        if child.pos_ in {"VERB", "AUX"} and child.dep_ in {"xcomp", "ccomp", "conj", "advcl"}:
            feats.append(f"rc={child.dep_}:{child.lemma_.lower()}")
        if child.dep_ == "neg":
            feats.append("neg")
        if child.dep_ == "aux":
            feats.append(f"aux={child.lower_}")
    for k, cls in enumerate(candidate_classes):
        feats.append(f"cand={cls}")
        if k == 0:
            feats.append(f"cand0={cls}")
    return feats


class EventClassModel:
    """Hashed-feature multinomial logistic regression (inference only)."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray, meta: dict) -> None:
        self.weights = weights
        self.bias = bias
        self.meta = meta
        self.dim = weights.shape[0]

    def _index(self, feats: Iterable[str]) -> np.ndarray:
        return np.fromiter(
            (zlib.crc32(f.encode("utf-8")) % self.dim for f in feats), dtype=np.int64
        )

    def predict_proba(self, feats: Iterable[str]) -> np.ndarray:
        idx = self._index(feats)
        logits = self.weights[idx].sum(axis=0) + self.bias
        logits = logits - logits.max()
        exp = np.exp(logits)
        return exp / exp.sum()

    @classmethod
    def load(cls, path: Path = DEFAULT_MODEL_PATH) -> EventClassModel:
        with np.load(path, allow_pickle=False) as data:
            weights = data["weights"].astype(np.float32)
            bias = data["bias"].astype(np.float32)
            meta = json.loads(str(data["meta"]))
        return cls(weights, bias, meta)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
            meta=np.array(json.dumps(self.meta, sort_keys=True)),
        )


def train(
    samples: Sequence[tuple[list[str], int]],
    *,
    dim: int = 1 << 17,
    epochs: int = 30,
    rate: float = 0.2,
    l2: float = 1e-4,
    seed: int = 13,
) -> EventClassModel:
    """Train by stochastic gradient descent (deterministic for a given seed)."""
    rng = np.random.default_rng(seed)
    weights = np.zeros((dim, N_CLASSES), dtype=np.float32)
    bias = np.zeros(N_CLASSES, dtype=np.float32)
    indexed = [
        (np.array([zlib.crc32(f.encode("utf-8")) % dim for f in feats]), label)
        for feats, label in samples
    ]
    for epoch in range(epochs):
        lr = rate / (1 + epoch * 0.1)
        for n in rng.permutation(len(indexed)):
            idx, label = indexed[n]
            logits = weights[idx].sum(axis=0) + bias
            logits -= logits.max()
            prob = np.exp(logits)
            prob /= prob.sum()
            grad = prob
            grad[label] -= 1.0
            weights[idx] -= lr * (grad + l2 * weights[idx])
            bias -= lr * grad
    return EventClassModel(weights, bias, {"name": MODEL_NAME, "dim": dim})


@functools.lru_cache(maxsize=2)
def load_default_model(path: str | None = None) -> EventClassModel | None:
    """The packaged model, or None when it is not installed (rules still work)."""
    target = Path(path) if path else DEFAULT_MODEL_PATH
    if not target.exists():
        return None
    return EventClassModel.load(target)
