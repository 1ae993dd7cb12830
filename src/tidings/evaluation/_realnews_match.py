"""The real-news scoring rule, as pure functions: no spaCy, no files, no pipeline.

``../shared/data/gold/realnews/GUIDELINES.md`` (section *Scoring*) defines it:

* a coder reads the original article; its events are placed in the gold sentences by
  sentence text (:func:`align_sentences`: normalised text equal, else one containing the
  other, else the best word overlap -- the coder's sentence split may differ from the
  gold split);
* a coder event matches a gold event of the same sentence when the roots are equal, the
  source keys are equal and the target keys are equal, in either order when the gold event
  is symmetric; an actor's key is its country, else its kind (IGO, NGO, IMG, MNC), else
  None (:func:`actor_key`, :func:`coder_actor_key`); no target matches no target;
* matching is one-to-one (:func:`match_sentence`, a maximum bipartite matching);
* precision and recall count the default view only (modalities ``asserted`` and
  ``reported``, and -- for the coder -- events at or above a confidence threshold).

Everything a report needs (error classes, per-root counts, accuracy on matched events) is
computed from :class:`SentenceScore` records by :mod:`tidings.evaluation.realnews`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tidings.model import DEFAULT_MODALITIES, Actor, Event

__all__ = [
    "KINDS",
    "GoldEvent",
    "SentenceScore",
    "actor_key",
    "align_sentences",
    "coder_actor_agent",
    "coder_actor_key",
    "match_sentence",
    "normalize_sentence",
    "place_event",
]

#: Non-state actor kinds that stand for an actor's key when it has no country.
KINDS: frozenset[str] = frozenset({"IGO", "NGO", "IMG", "MNC"})

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def normalize_sentence(text: str) -> str:
    """Text compared when aligning sentences: NFKC, straight quotes and dashes, one space
    between words, lower case."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip().lower()


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


# ------------------------------------------------------------------------------ actor keys


def actor_key(actor: dict[str, Any] | None) -> str | None:
    """A gold actor's key: its country, else its kind, else None (also for no actor)."""
    if not actor:
        return None
    return actor.get("country") or actor.get("kind") or None


def coder_actor_key(actor: Actor | None) -> str | None:
    """A coded actor's key: its country, else the kind its code starts with (``IGOUNO``
    -> IGO; ``NGO``, ``IMG``, ``MNC`` likewise), else None (``---``, a bare agent)."""
    if actor is None:
        return None
    if actor.country:
        return actor.country
    prefix = (actor.code or "").lstrip("-")[:3].upper()
    return prefix if prefix in KINDS else None


def coder_actor_agent(actor: Actor | None) -> str | None:
    """A coded actor's sector, the guidelines' ``agent``: its agent, except for a
    non-state actor whose "agent" is only the kind its code starts with (``IGOUNO``,
    ``MNC``: the kind is its key, its sector is none, as the guidelines annotate it)."""
    if actor is None:
        return None
    agent = actor.agent or None
    if agent is not None and not actor.country and agent == coder_actor_key(actor):
        return None
    return agent


# ------------------------------------------------------------------------------ gold events


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One gold event, addressed by article id, sentence and position in the sentence."""

    article_id: str
    sentence: int
    position: int
    source: dict[str, Any]
    target: dict[str, Any] | None
    root: str
    code: str
    symmetric: bool
    modality: str
    trigger: str
    date: str | None
    place: str | None

    @classmethod
    def from_record(
        cls, article_id: str, sentence: int, position: int, raw: dict[str, Any]
    ) -> GoldEvent:
        root = str(raw.get("root") or "").zfill(2)
        return cls(
            article_id=article_id,
            sentence=sentence,
            position=position,
            source=dict(raw.get("source") or {}),
            target=dict(raw["target"]) if raw.get("target") else None,
            root=root,
            code=str(raw.get("code") or root + "0"),
            symmetric=bool(raw.get("symmetric")),
            modality=str(raw.get("modality") or "asserted"),
            trigger=str(raw.get("trigger") or ""),
            date=raw.get("date") or None,
            place=raw.get("place") or None,
        )

    @property
    def id(self) -> str:
        return f"{self.article_id}:{self.sentence}:{self.position}"

    @property
    def in_view(self) -> bool:
        return self.modality in DEFAULT_MODALITIES

    @property
    def keys(self) -> tuple[str | None, str | None]:
        return actor_key(self.source), actor_key(self.target)


def coder_keys(event: Event) -> tuple[str | None, str | None]:
    return coder_actor_key(event.source), coder_actor_key(event.target)


def _dyad_matches(gold: GoldEvent, keys: tuple[str | None, str | None]) -> bool:
    if gold.keys == keys:
        return True
    return gold.symmetric and gold.keys == (keys[1], keys[0])


def event_matches(gold: GoldEvent, event: Event) -> bool:
    """The scoring rule: same root, same source and target keys (either order when the gold
    event is symmetric)."""
    return gold.root == event.root_code and _dyad_matches(gold, coder_keys(event))


# ------------------------------------------------------------------------------ alignment


def align_sentences(
    gold: Sequence[str], coded: Sequence[str], titles: Sequence[bool] = ()
) -> list[tuple[int, ...]]:
    """For each coded sentence, the gold sentences it covers (indices into ``gold``).

    A coded sentence flagged in ``titles`` (part of the headline) that the gold headline
    (sentence 0) contains goes there: articles often repeat the headline as their first
    paragraph.  Otherwise, tried in order: the same normalised text; a gold sentence
    containing the coded one (the coder split finer); gold sentences contained in the
    coded one (it split coarser: several candidates, :func:`place_event` picks one per
    event); the gold sentence sharing the most words (Dice >= 0.6).  Among equal
    candidates the one nearest after the previous alignment wins, so repeated sentences
    ("Advertisement") align in order.  An empty tuple: the coded sentence is not in the
    gold article.
    """
    gnorm = [normalize_sentence(t) for t in gold]
    gwords = [set(_words(t)) for t in gnorm]
    by_text: dict[str, list[int]] = {}
    for i, text in enumerate(gnorm):
        by_text.setdefault(text, []).append(i)
    out: list[tuple[int, ...]] = []
    cursor = 0
    used: set[int] = set()  # gold sentences already taken by an equal coded sentence

    def nearest(candidates: Sequence[int]) -> int:
        after = [i for i in candidates if i >= cursor]
        return min(after) if after else max(candidates)

    for k, text in enumerate(map(normalize_sentence, coded)):
        found: tuple[int, ...] = ()
        if k < len(titles) and titles[k] and gnorm and text and text in gnorm[0]:
            found = (0,)
        elif text in by_text:
            fresh = [i for i in by_text[text] if i not in used] or by_text[text]
            found = (nearest(fresh),)
            used.add(found[0])
        elif len(text) >= 8 and (inside := [i for i, g in enumerate(gnorm) if text in g]):
            found = (nearest(inside),)
        elif parts := [i for i, g in enumerate(gnorm) if len(g) >= 8 and g in text]:
            found = tuple(parts)
        else:
            words = set(_words(text))
            best, best_score = -1, 0.0
            for i, gw in enumerate(gwords):
                if words and gw:
                    score = 2 * len(words & gw) / (len(words) + len(gw))
                    if score > best_score or (score == best_score and best < cursor <= i):
                        best, best_score = i, score
            if best_score >= 0.6:
                found = (best,)
        if found:
            cursor = found[0]
        out.append(found)
    return out


def place_event(event: Event, candidates: Sequence[int], gold: Sequence[str]) -> int | None:
    """The gold sentence of an event whose coded sentence covers ``candidates``: the one
    holding most of its trigger and actor words (the first on a tie)."""
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    cues = [event.evidence.trigger, event.source.text, event.target.text if event.target else ""]
    cue_words = [set(_words(normalize_sentence(c))) for c in cues if c]

    def support(i: int) -> tuple[int, int]:
        words = set(_words(normalize_sentence(gold[i])))
        trigger_in = int(bool(cue_words) and bool(cue_words[0]) and cue_words[0] <= words)
        return trigger_in, sum(len(c & words) for c in cue_words)

    return max(candidates, key=lambda i: (support(i), -candidates.index(i)))


# ------------------------------------------------------------------------------ matching


@dataclass(slots=True)
class SentenceScore:
    """The outcome in one gold sentence: which coded events matched which gold events.

    ``coded`` and ``gold`` hold every event placed in the sentence (any modality or
    confidence); ``coded_view`` and ``gold_view`` flag those in the default view;
    ``pairs`` are (coded index, gold index) of the one-to-one matching over the view.
    """

    article_id: str
    index: int
    text: str
    gold: list[GoldEvent] = field(default_factory=list)
    coded: list[Event] = field(default_factory=list)
    coded_view: list[bool] = field(default_factory=list)
    pairs: list[tuple[int, int]] = field(default_factory=list)
    aligned: bool = True  # some coded sentence was placed here

    @property
    def gold_view(self) -> list[bool]:
        return [g.in_view for g in self.gold]


def _agreement(gold: GoldEvent, event: Event) -> int:
    """How many details besides the key agree; prefers the closer pair among equal keys."""
    same_order = gold.keys == coder_keys(event)
    return (
        int(same_order)
        + int(gold.code == event.code)
        + int(gold.modality == event.modality)
        + int((gold.source.get("agent") or None) == coder_actor_agent(event.source))
    )


def match_sentence(score: SentenceScore) -> None:
    """Fill ``score.pairs``: a maximum one-to-one matching of coded to gold events in the
    view (Kuhn's augmenting paths; candidates tried best-agreeing first)."""
    golds = [j for j, g in enumerate(score.gold) if g.in_view]
    options: dict[int, list[int]] = {}
    for i, event in enumerate(score.coded):
        if not score.coded_view[i]:
            continue
        fits = [j for j in golds if event_matches(score.gold[j], event)]
        fits.sort(key=lambda j: -_agreement(score.gold[j], event))
        if fits:
            options[i] = fits
    owner: dict[int, int] = {}  # gold index -> coded index

    def augment(i: int, seen: set[int]) -> bool:
        for j in options[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in options:
        augment(i, set())
    score.pairs = sorted((i, j) for j, i in owner.items())


# ------------------------------------------------------------------------------ error classes

#: Why a coded event in the view matched no gold event (checked in this order).
FP_CLASSES = (
    "unaligned sentence",
    "no gold event in sentence",
    "duplicate",
    "gold event outside view",
    "missing target",
    "wrong target",
    "wrong source",
    "wrong root",
    "wrong actors",
    "other",
)
#: Why a gold event in the view matched no coded event (checked in this order).
FN_CLASSES = (
    "sentence not in output",
    "no event in sentence",
    "coded event outside view",
    "missing target",
    "wrong target",
    "wrong source",
    "wrong root",
    "wrong actors",
    "other",
)


def _near_miss(gold: GoldEvent, event: Event) -> str | None:
    """How a coded event differs from a gold event in exactly one part of the rule."""
    keys = coder_keys(event)
    same_root = gold.root == event.root_code
    source_ok = gold.keys[0] == keys[0] or (gold.symmetric and gold.keys[0] == keys[1])
    target_ok = gold.keys[1] == keys[1] or (gold.symmetric and gold.keys[1] == keys[0])
    if same_root and _dyad_matches(gold, keys):
        return None  # a full match
    if same_root and gold.keys[0] == keys[0]:
        return "missing target" if keys[1] is None and gold.keys[1] is not None else "wrong target"
    if same_root and gold.keys[1] == keys[1]:
        return "wrong source"
    if not same_root and source_ok and target_ok:
        return "wrong root"
    if same_root:
        return "wrong actors"
    return None


def _closest(kinds: list[str | None], order: Sequence[str]) -> str:
    found = {k for k in kinds if k}
    return next((k for k in order if k in found), "other")


def false_positive_class(score: SentenceScore, i: int) -> str:
    """The error class of unmatched coded event ``i`` (in the view)."""
    if not score.aligned:
        return "unaligned sentence"
    if not score.gold:
        return "no gold event in sentence"
    event = score.coded[i]
    matched_gold = {j for _, j in score.pairs}
    if any(event_matches(score.gold[j], event) for j in matched_gold):
        return "duplicate"
    if any(event_matches(g, event) for g in score.gold if not g.in_view):
        return "gold event outside view"
    free = [g for j, g in enumerate(score.gold) if g.in_view and j not in matched_gold]
    return _closest([_near_miss(g, event) for g in free], FP_CLASSES)


def false_negative_class(score: SentenceScore, j: int) -> str:
    """The error class of unmatched gold event ``j`` (in the view)."""
    if not score.aligned:
        return "sentence not in output"
    if not score.coded:
        return "no event in sentence"
    gold = score.gold[j]
    if any(event_matches(gold, e) for i, e in enumerate(score.coded) if not score.coded_view[i]):
        return "coded event outside view"
    matched = {i for i, _ in score.pairs}
    free = [e for i, e in enumerate(score.coded) if score.coded_view[i] and i not in matched]
    return _closest([_near_miss(gold, e) for e in free], FN_CLASSES)
