"""Calibrated event confidence: how likely a coded event is right (root and dyad).

Rules and dictionaries say what an event *could* be; whether a reader would sign it off
depends on things the rules do not weigh against each other: whether both actors were
identified, whether the strict frame or only the relaxed fallback fired, whether the
sentence is a headline or a quote, how many events the sentence produced, which CAMEO root
it is.  A small logistic regression over such features of each event, fitted on the tune
half of the realnews dev set and on judged events of unannotated articles
(``scripts/fit_confidence.py``), turns them into a probability that is calibrated on data
it was not fitted on (judged articles left out of each fold; see also ``tidings evaluate
realnews --curve``).

The features are computed from model records only (the event, its sentence, the other
events of the sentence), so the stage needs no parse and scores stored events as well as
fresh ones.  The coefficients live in ``src/tidings/data/models/confidence.json`` with
their provenance; a missing file leaves every event at confidence 1.0.

A language other than English has its own file, ``confidence-<lang>.json``: the English
model recalibrated on that language's tune articles (``scripts/fit_confidence.py
--language ru``), because the same features mean a different hit rate in another coder
(the Russian coder is stricter, so its events are right more often).  The default view
keeps its one threshold; only the probabilities move.  A language without its file is
scored by the English model.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tidings.model import Actor, Event, Sentence

__all__ = [
    "CONFIDENCE_MODEL_PATH",
    "ConfidenceModel",
    "article_features",
    "confidence_model_path",
    "event_features",
    "load_confidence_model",
    "score_events",
]

CONFIDENCE_MODEL_NAME = "tidings.confidence"
CONFIDENCE_MODEL_PATH = (
    Path(__file__).resolve().parent.parent / "data" / "models" / "confidence.json"
)

#: Non-state actor kinds that identify an actor without a country.
_KINDS = frozenset({"IGO", "NGO", "IMG", "MNC"})
_QUOTES = frozenset('"“”«»')
#: Speech verbs whose event is a bare statement unless a target is named.
_SPEECH = frozenset(
    {"say", "said", "says", "saying", "tell", "told", "tells", "add", "added", "note", "noted"}
)


def _identified(actor: Actor | None) -> bool:
    """The actor has a key under the real-news guidelines: a country or a non-state kind."""
    if actor is None:
        return False
    if actor.country:
        return True
    return (actor.code or "").lstrip("-")[:3].upper() in _KINDS


def _key(actor: Actor | None) -> str | None:
    if actor is None:
        return None
    return actor.country or (actor.code or "").lstrip("-")[:3].upper() or None


def event_features(event: Event, sentence_kind: str, events_in_sentence: int) -> dict[str, float]:
    """The named features of one event (absent = 0).  ``sentence_kind`` is the kind of its
    sentence (``title``, ``body``, ``caption``); ``events_in_sentence`` counts the events
    coded from that sentence, this one included."""
    rule = event.evidence.rule
    source_ok, target_ok = _identified(event.source), _identified(event.target)
    words = event.sentence.split()
    trigger = event.evidence.trigger.lower().split()
    feats: dict[str, float] = {
        "both_actors": float(source_ok and target_ok),
        "source_only": float(source_ok and not target_ok),
        "target_only": float(target_ok and not source_ok),
        "no_target": float(event.target is None),
        "relaxed": float(rule.endswith("/relaxed")),
        "core_rule": float(rule.startswith("core:")),
        "nominal": float("/nominal" in rule or ":n/" in rule),
        "attributed": float("/attributed" in rule),  # a statement read as praise or blame
        "same_key": float(source_ok and target_ok and _key(event.source) == _key(event.target)),
        "kind_actor": float(
            any(
                a is not None and not a.country and _identified(a)
                for a in (event.source, event.target)
            )
        ),
        "source_agent": float(bool(event.source.agent)),
        "source_from_context": float(event.source.country_from_context),
        "in_quote": float("quote" in event.evidence.cues),  # what a quote reports
        "reported": float(event.modality == "reported"),
        "title": float(sentence_kind == "title"),
        "caption": float(sentence_kind == "caption"),
        "quote": float(any(c in _QUOTES for c in event.sentence)),
        "speech_trigger": float(bool(trigger) and trigger[0] in _SPEECH),
        # Each root's own hit rate: statements (01) and appeals are often read where no
        # reader codes an event, accusations and rejections seldom are.
        f"root_{event.root_code}": 1.0,
        "verbal_conflict": float(event.quad_class == 3),
        "material_conflict": float(event.quad_class == 4),
        "material_cooperation": float(event.quad_class == 2),
        "log_events_in_sentence": math.log(max(1, events_in_sentence)),
        "log_sentence_words": math.log(max(1, len(words))),
        # Deep in an article is background and history more often than the news itself.
        "log_sentence_index": math.log1p(event.sentence_index),
    }
    return {k: v for k, v in feats.items() if v}


@dataclass(frozen=True, slots=True)
class ConfidenceModel:
    """A logistic regression over :func:`event_features`: ``sigmoid(bias + w . x)``,
    with the threshold chosen for the default view when it was fitted."""

    version: str
    bias: float
    weights: Mapping[str, float]
    threshold: float

    def probability(self, features: Mapping[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * v for name, v in features.items())
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    @classmethod
    def from_dict(cls, data: Mapping) -> ConfidenceModel:
        if not str(data.get("name", "")).startswith(CONFIDENCE_MODEL_NAME):
            raise ValueError(f"not a Tidings confidence model: {data.get('name')!r}")
        return cls(
            version=str(data["name"]),
            bias=float(data["bias"]),
            weights={str(k): float(v) for k, v in data["weights"].items()},
            threshold=float(data["threshold"]),
        )

    @classmethod
    def load(cls, path: Path) -> ConfidenceModel:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


@functools.lru_cache(maxsize=4)
def _load_cached(path: Path) -> ConfidenceModel | None:
    return ConfidenceModel.load(path) if path.is_file() else None


def confidence_model_path(language: str = "en") -> Path:
    """The packaged model file of ``language``: its own when it has one, else English's."""
    if language and language != "en":
        own = CONFIDENCE_MODEL_PATH.with_name(f"confidence-{language}.json")
        if own.is_file():
            return own
    return CONFIDENCE_MODEL_PATH


def load_confidence_model(
    path: str | Path | None = None, *, language: str = "en"
) -> ConfidenceModel | None:
    """The packaged confidence model of ``language`` (or the one at ``path``); None when
    absent."""
    return _load_cached(Path(path) if path else confidence_model_path(language))


def article_features(
    events: Sequence[Event], sentences: Sequence[Sentence]
) -> list[dict[str, float]]:
    """:func:`event_features` of each event of one article (its sentences give the kinds)."""
    kinds = {s.index: s.kind for s in sentences}
    per_sentence = Counter(e.sentence_index for e in events)
    dyads = Counter(_dyad(e) for e in events)
    rows = []
    for event in events:
        feats = event_features(
            event, kinds.get(event.sentence_index, "body"), per_sentence[event.sentence_index]
        )
        # An article is about a few dyads: an event between actors it keeps coming back
        # to is likelier to be one a reader codes than a pair met in passing.
        dyad = _dyad(event)
        if dyad is not None and dyads[dyad] > 1:
            feats["log_dyad_support"] = math.log(dyads[dyad])
        rows.append(feats)
    return rows


def _dyad(event: Event) -> frozenset[str] | None:
    """The unordered pair of actor keys of an event with both actors identified."""
    source, target = _key(event.source), _key(event.target)
    if source is None or target is None:
        return None
    return frozenset((source, target))


def score_events(
    events: Sequence[Event], sentences: Sequence[Sentence], model: ConfidenceModel
) -> tuple[Event, ...]:
    """The events of one article with their confidence set by ``model`` (rounded to 4
    places: the stored value is what a reader sees)."""
    return tuple(
        dataclasses.replace(event, confidence=round(model.probability(features), 4))
        for event, features in zip(events, article_features(events, sentences), strict=True)
    )
