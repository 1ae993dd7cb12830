"""Conversion between model records and table rows, and their validation.

Kept apart from the connection handling so that the mapping (the part that
must stay exactly in step with ``migrations/``) can be read in one place.
The rule throughout is *faithful round-trip*: every field of a record has a
column, and ``None`` is stored as NULL rather than folded into a default, so
reading a row back yields a record equal to the one saved.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tidings.errors import StoreError
from tidings.model import (
    Actor,
    Article,
    CodedArticle,
    Event,
    Evidence,
    Paragraph,
    Place,
    Sentence,
)

ARTICLE_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "title",
    "authors",
    "date",
    "url",
    "outlet",
    "language",
    "source",
    "content_hash",
    "paragraphs",
    "embeds",
    "ingested_at",
)

SENTENCE_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "sentence_index",
    "paragraph_index",
    "kind",
    "text",
)

_ACTOR_FIELDS: tuple[str, ...] = (
    "code",
    "country",
    "agent",
    "text",
    "entry",
    "role_start",
    "role_end",
)

EVENT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "doc_id",
    "sentence_index",
    *(f"source_{name}" for name in _ACTOR_FIELDS),
    *(f"target_{name}" for name in _ACTOR_FIELDS),
    "code",
    "root_code",
    "quad_class",
    "goldstein",
    "modality",
    "trigger",
    "rule",
    "cues",
    "date",
    "date_precision",
    "date_start",
    "date_text",
    "place_text",
    "location_name",
    "location_country",
    "location_adm1",
    "location_lat",
    "location_lon",
    "location_feature_id",
    "location_type",
    "confidence",  # migration 0005
)

#: Columns added by migration 0002 for imported event data (see its comments).
IMPORT_COLUMNS: tuple[str, ...] = (
    "provenance",
    "sentence_text",
    "external_id",
    "source_url",
    "intensity",
    "extras",
)

#: Every column of ``events``, in the order bulk imports must select them.
ALL_EVENT_COLUMNS: tuple[str, ...] = (*EVENT_COLUMNS, *IMPORT_COLUMNS)

#: The flat, one-row-per-event layout of the CSV and Parquet exports: the
#: events table without ``date_start`` (derived from ``date``), with the
#: sentence text in place after ``sentence_index``.  Importing it back is
#: lossless.
FLAT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "doc_id",
    "sentence_index",
    "sentence",
    *(name for name in EVENT_COLUMNS[3:] if name != "date_start"),
    *(name for name in IMPORT_COLUMNS if name != "sentence_text"),
)

#: Provenance of events coded by Tidings itself.
CODED_PROVENANCE = "tidings"

# Accepts exactly the three precisions the event contract allows; stricter
# than date.fromisoformat, which would also take "20240102" or week dates.
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


# --------------------------------------------------------------------- dates


def period_bounds(value: _dt.date | str) -> tuple[_dt.date, _dt.date]:
    """First day of the period ``value`` names and first day after it.

    ``"2024"`` → (2024-01-01, 2025-01-01); ``"2024-03"`` → March; a full
    date or a ``date`` object is a one-day period.  Raises ValueError for
    anything else.
    """
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value, value + _dt.timedelta(days=1)
    match = _PERIOD.match(value.strip()) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"expected a date or 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY', got {value!r}")
    year, month, day = match.groups()
    try:
        if day is not None:
            start = _dt.date(int(year), int(month), int(day))
            return start, start + _dt.timedelta(days=1)
        if month is not None:
            start = _dt.date(int(year), int(month), 1)
            end = _dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
            return start, end
        start = _dt.date(int(year), 1, 1)
        return start, _dt.date(start.year + 1, 1, 1)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"not a valid date: {value!r} ({exc})") from None


# ----------------------------------------------------------------- validation


def validate(coded: CodedArticle) -> None:
    """Refuse an article whose parts do not belong together.

    Done before the transaction starts so that the message can say what is
    wrong in model terms instead of surfacing a constraint error.  Events
    point at their sentence by index and are read back with that sentence's
    text, so an event whose index or text does not match a sentence of the
    same article could not round-trip and is rejected.  Surrounding
    whitespace is the one tolerated difference (spaCy's ``Span.text`` may
    keep a leading space the pipeline strips from ``Sentence.text``): such an
    event is read back with the sentence's stripped text.
    """
    doc_id = coded.article.doc_id
    if not isinstance(doc_id, str) or not doc_id:
        raise StoreError(f"cannot save an article without a doc_id (got {doc_id!r})")
    texts: dict[int, str] = {}
    for sentence in coded.sentences:
        if sentence.doc_id != doc_id:
            raise StoreError(
                f"article {doc_id!r}: sentence {sentence.index} belongs to {sentence.doc_id!r}"
            )
        if sentence.index in texts:
            raise StoreError(f"article {doc_id!r}: duplicate sentence index {sentence.index}")
        texts[sentence.index] = sentence.text
    seen: set[str] = set()
    for event in coded.events:
        where = f"article {doc_id!r}, event {event.event_id!r}"
        if event.doc_id != doc_id:
            raise StoreError(f"{where}: belongs to {event.doc_id!r}")
        if event.event_id in seen:
            raise StoreError(f"{where}: duplicate event_id")
        seen.add(event.event_id)
        if event.sentence_index not in texts:
            raise StoreError(f"{where}: no sentence with index {event.sentence_index}")
        if event.sentence.strip() != texts[event.sentence_index].strip():
            raise StoreError(
                f"{where}: text differs from sentence {event.sentence_index} of the article"
            )
        if event.date is not None:
            if not isinstance(event.date, str):
                raise StoreError(f"{where}: date must be text, got {type(event.date).__name__}")
            try:
                period_bounds(event.date)
            except (ValueError, AttributeError) as exc:
                raise StoreError(f"{where}: bad date: {exc}") from None


# ------------------------------------------------------------------ to rows


def _paragraphs_json(paragraphs: Sequence[Paragraph]) -> str:
    return json.dumps([{"text": p.text, "kind": p.kind} for p in paragraphs], ensure_ascii=False)


def article_row(article: Article, content_hash: str | None, ingested_at: _dt.datetime) -> tuple:
    """The ``articles`` row, in ARTICLE_COLUMNS order."""
    return (
        article.doc_id,
        article.title,
        list(article.authors),
        article.date,
        article.url,
        article.outlet,
        article.language,
        article.source,
        content_hash,
        _paragraphs_json(article.paragraphs),
        _paragraphs_json(article.embeds),
        ingested_at,
    )


def sentence_row(sentence: Sentence) -> tuple:
    """A ``sentences`` row, in SENTENCE_COLUMNS order."""
    return (sentence.doc_id, sentence.index, sentence.paragraph_index, sentence.kind, sentence.text)


def _actor_values(actor: Actor | None) -> list[Any]:
    if actor is None:
        return [None] * len(_ACTOR_FIELDS)
    return [getattr(actor, name) for name in _ACTOR_FIELDS]


def _place_values(place: Place | None) -> tuple[Any, ...]:
    if place is None:
        return (None,) * 7
    return (
        place.name,
        place.country,
        place.adm1,
        place.lat,
        place.lon,
        place.feature_id,
        place.type,
    )


def event_row(event: Event) -> tuple:
    """An ``events`` row, in EVENT_COLUMNS order (validate() must have passed)."""
    place = event.location
    evidence = event.evidence
    date_start = period_bounds(event.date)[0] if event.date is not None else None
    return (
        event.event_id,
        event.doc_id,
        event.sentence_index,
        *_actor_values(event.source),
        *_actor_values(event.target),
        event.code,
        event.root_code,
        event.quad_class,
        event.goldstein,
        event.modality,
        evidence.trigger,
        evidence.rule,
        list(evidence.cues),
        event.date,
        event.date_precision,
        date_start,
        evidence.date_text,
        evidence.place_text,
        *_place_values(place),
        event.confidence,
    )


# ---------------------------------------------------------------- from rows


def _paragraphs(text: str) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(text=item["text"], kind=item["kind"]) for item in json.loads(text))


def article_from_row(row: Sequence[Any]) -> Article:
    """Rebuild an Article from a row selected in ARTICLE_COLUMNS order."""
    values = dict(zip(ARTICLE_COLUMNS, row, strict=True))
    return Article(
        doc_id=values["doc_id"],
        title=values["title"],
        paragraphs=_paragraphs(values["paragraphs"]),
        authors=tuple(values["authors"]),
        date=values["date"],
        url=values["url"],
        outlet=values["outlet"],
        language=values["language"],
        embeds=_paragraphs(values["embeds"]),
        source=values["source"],
    )


def sentence_from_row(row: Sequence[Any]) -> Sentence:
    """Rebuild a Sentence from a row selected in SENTENCE_COLUMNS order."""
    doc_id, index, paragraph_index, kind, text = row
    return Sentence(
        doc_id=doc_id, index=index, paragraph_index=paragraph_index, text=text, kind=kind
    )


def _actor(values: dict[str, Any], prefix: str) -> Actor:
    return Actor(**{name: values[f"{prefix}_{name}"] for name in _ACTOR_FIELDS})


def event_from_row(row: Sequence[Any]) -> Event:
    """Rebuild an Event from EVENT_COLUMNS followed by the sentence text."""
    values = dict(zip((*EVENT_COLUMNS, "sentence"), row, strict=True))
    location = None
    if values["location_name"] is not None:
        location = Place(
            name=values["location_name"],
            country=values["location_country"],
            adm1=values["location_adm1"],
            lat=values["location_lat"],
            lon=values["location_lon"],
            feature_id=values["location_feature_id"],
            type=values["location_type"],
        )
    return Event(
        event_id=values["event_id"],
        doc_id=values["doc_id"],
        sentence_index=values["sentence_index"],
        sentence=values["sentence"],
        source=_actor(values, "source"),
        # Actor.code is required, so a NULL target code can only mean "no target".
        target=None if values["target_code"] is None else _actor(values, "target"),
        code=values["code"],
        root_code=values["root_code"],
        quad_class=values["quad_class"],
        goldstein=values["goldstein"],
        modality=values["modality"],
        evidence=Evidence(
            trigger=values["trigger"],
            rule=values["rule"],
            cues=tuple(values["cues"]),
            date_text=values["date_text"],
            place_text=values["place_text"],
        ),
        date=values["date"],
        date_precision=values["date_precision"],
        location=location,
        # NULL: imported, or coded before confidences existed (never hidden).
        confidence=1.0 if values["confidence"] is None else values["confidence"],
    )


# ------------------------------------------------------------- full records


@dataclass(frozen=True, slots=True)
class EventRecord:
    """An event with everything the store knows around it, for exports.

    :class:`~tidings.model.Event` is the coding contract and knows nothing
    of imports; exports also need the event's provenance, the fields kept
    from an imported source, and the article context (URL, outlet, dates,
    paragraph) that GDELT and ICEWS rows carry.  ``url``, ``outlet``,
    ``published`` and ``ingested_at`` come from the event's article and are
    None for imported events; ``paragraph_index`` from its sentence.
    """

    event: Event
    provenance: str = CODED_PROVENANCE
    external_id: str | None = None
    source_url: str | None = None
    intensity: float | None = None
    extras: dict[str, Any] | None = None
    url: str | None = None
    outlet: str | None = None
    published: _dt.date | None = None
    ingested_at: _dt.datetime | None = None
    paragraph_index: int | None = None


#: What the record query selects after EVENT_COLUMNS and the sentence text.
RECORD_CONTEXT_COLUMNS: tuple[str, ...] = (
    "e.provenance",
    "e.external_id",
    "e.source_url",
    "e.intensity",
    "e.extras",
    "a.url",
    "a.outlet",
    "a.date",
    "a.ingested_at",
    "s.paragraph_index",
)


def record_from_row(row: Sequence[Any]) -> EventRecord:
    """Rebuild an EventRecord from EVENT_COLUMNS, the sentence, RECORD_CONTEXT_COLUMNS."""
    width = len(EVENT_COLUMNS) + 1
    event = event_from_row(row[:width])
    (provenance, external_id, source_url, intensity, extras, url, outlet, published,
     ingested_at, paragraph_index) = row[width:]  # fmt: skip
    return EventRecord(
        event=event,
        provenance=provenance or CODED_PROVENANCE,
        external_id=external_id,
        source_url=source_url,
        intensity=intensity,
        extras=json.loads(extras) if extras is not None else None,
        url=url,
        outlet=outlet,
        published=published,
        ingested_at=ingested_at,
        paragraph_index=paragraph_index,
    )
