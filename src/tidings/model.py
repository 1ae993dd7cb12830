"""The typed records every stage exchanges.

All records are frozen dataclasses so that a stage can never mutate what an
earlier stage produced: a stage returns new records instead.  They hold plain
Python values only (no spaCy objects), which keeps them picklable for worker
processes and trivially serialisable for the store and the JSONL contract.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

ParagraphKind = Literal["body", "caption", "embed"]
Modality = Literal["asserted", "negated", "future", "hypothetical", "reported", "uncertain"]
DatePrecision = Literal["day", "month", "year", "publication"]

MODALITIES: tuple[str, ...] = (
    "asserted",
    "negated",
    "future",
    "hypothetical",
    "reported",
    "uncertain",
)
#: Modalities counted by default in counts, time series and exports.
DEFAULT_MODALITIES: tuple[str, ...] = ("asserted", "reported")
#: Events whose calibrated confidence is below this stay stored but are left out of the
#: default view (CLI output, queries, exports, the HTTP API), as other modalities are.
#: Chosen for precision on judged blind samples and the realnews tune split by
#: ``scripts/fit_confidence.py`` and recorded in ``data/models/confidence.json`` (a test
#: keeps the two equal).
DEFAULT_MIN_CONFIDENCE: float = 0.4049


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One block of article text.

    ``kind`` separates the body from photo captions and embedded posts, which
    are kept (captions often carry the best-dated statement of an event) but
    must stay distinguishable from the author's own prose.
    """

    text: str
    kind: ParagraphKind = "body"


@dataclass(frozen=True, slots=True)
class Article:
    """A news article as ingested, before any language processing."""

    doc_id: str
    title: str
    paragraphs: tuple[Paragraph, ...]
    authors: tuple[str, ...] = ()
    date: _dt.date | None = None
    url: str | None = None
    outlet: str | None = None
    language: str = "en"
    embeds: tuple[Paragraph, ...] = ()
    source: str | None = None  # where it was read from (path, "-", URL)

    @property
    def text(self) -> str:
        """Title and paragraphs joined by blank lines (embeds excluded)."""
        parts = [self.title] if self.title else []
        parts.extend(p.text for p in self.paragraphs)
        return "\n\n".join(parts)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article, addressed by its index within the article."""

    doc_id: str
    index: int
    paragraph_index: int  # -1 for the title
    text: str
    kind: str = "body"  # "title", "body", "caption", "embed"


@dataclass(frozen=True, slots=True)
class Actor:
    """A coded participant of an event.

    ``code`` is the full CAMEO actor code (``RUSGOV``); ``country`` and
    ``agent`` are its parts, kept separately because analysts filter on them.
    ``entry`` names the dictionary entry that matched, for explainability.
    """

    code: str
    text: str
    country: str | None = None
    agent: str | None = None
    entry: str | None = None
    role_start: str | None = None
    role_end: str | None = None
    # The country came from the sentence around a bare role word ("President X
    # said Vietnam..."), not from the phrase itself; not stored, not compared.
    country_from_context: bool = field(default=False, compare=False)
    # The phrase names a state as a whole ("the U.S.", "Scotland"), not its people
    # ("Americans"), a city, an office or a thing of it; not stored, not compared.
    names_state: bool = field(default=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "country": self.country, "agent": self.agent, "text": self.text}


@dataclass(frozen=True, slots=True)
class Place:
    """Where an event happened. Unresolved places keep only ``name``."""

    name: str
    country: str | None = None
    adm1: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature_id: str | None = None
    type: str | None = None  # "country", "city", "adm1", ...

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why an event was coded: the words that triggered it and the rule."""

    trigger: str
    rule: str
    cues: tuple[str, ...] = ()  # modality cue words
    date_text: str | None = None  # the temporal expression used for the date
    place_text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "trigger": self.trigger,
            "rule": self.rule,
            "cues": list(self.cues),
            "date_text": self.date_text,
            "place_text": self.place_text,
        }


@dataclass(frozen=True, slots=True)
class Event:
    """A CAMEO-coded event: who did what to whom, with its evidence."""

    event_id: str
    doc_id: str
    sentence_index: int
    sentence: str
    source: Actor
    target: Actor | None
    code: str
    root_code: str
    quad_class: int
    goldstein: float
    modality: str = "asserted"
    evidence: Evidence = field(default_factory=lambda: Evidence(trigger="", rule=""))
    date: str | None = None  # ISO date, "YYYY-MM" or "YYYY" depending on precision
    date_precision: str | None = None
    location: Place | None = None
    # Calibrated probability that the event is right (root and dyad), from the
    # confidence stage; 1.0 for events no stage scored (imports, hand-built ones).
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """The JSONL contract (see README, "Event JSONL contract")."""
        return {
            "event_id": self.event_id,
            "doc_id": self.doc_id,
            "sentence_index": self.sentence_index,
            "sentence": self.sentence,
            "date": self.date,
            "date_precision": self.date_precision,
            "source": self.source.to_dict(),
            "target": self.target.to_dict() if self.target else None,
            "code": self.code,
            "root_code": self.root_code,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "modality": self.modality,
            "confidence": self.confidence,
            "location": self.location.to_dict() if self.location else None,
            "evidence": self.evidence.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class CodedArticle:
    """An article with its sentences and the events coded from them."""

    article: Article
    sentences: tuple[Sentence, ...]
    events: tuple[Event, ...]
