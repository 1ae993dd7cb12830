"""The ``plover-gsr`` set: PLOVER gold-standard records (the CAMEO manual's examples).

Each record is one sentence with the gold PLOVER event category (version 0.5b1 names) and
the gold source and target actors (codes whose first three letters are a country, ISO-3166
alpha-3, or a non-state primary code such as IGO).  A sentence that carries several events
appears in several records; each record is one evaluation item.

What counts (per record):

* ``category_first``: the PLOVER category of our FIRST event in the sentence equals the gold
  category, after mapping the gold 0.5b1 name to its draft 0.8 name
  (``plover_0_5_to_0_8.tsv``) -- our codebook's ``plover`` column uses 0.8 names.  Stricter,
  and what a user who takes one event per sentence gets.
* ``category_any``: some event of the sentence has the gold category.
* ``source_first`` / ``source_any``: our first (any) event's source country -- or its
  three-letter non-state primary code (IGO, NGO...) when it has no country -- is one of the
  gold source actors' codes (first three letters, known gold typos fixed by
  ``plover_gsr_country_aliases.tsv``).  Only records with a gold source count.
* ``target_first`` / ``target_any``: the same for targets, over records with a gold target;
  an event without a target is wrong.
* ``coverage``: records whose sentence has at least one event.

A sentence with no event is wrong on every measure.  Events of every modality count (the
gold records code negated and future events too).

``heldout_*``: the same first-event measures over the records whose sentence is in the
deterministic held-out split (:func:`tidings.coding.in_heldout_split`, 20% by a hash of the
text).  The event-class model (``scripts/train_event_classifier.py``) trains on the other
records' sentences, so only the held-out scores are free of training data.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tidings.coding import in_heldout_split
from tidings.errors import InputError
from tidings.evaluation._common import (
    MAX_ERRORS,
    code_sentences,
    codebook,
    event_summary,
    plover_of,
    primary_code,
    read_gold_text,
    read_tsv_resource,
)
from tidings.evaluation._metrics import ratio

if TYPE_CHECKING:
    from tidings.pipeline import Pipeline

__all__ = [
    "PloverRecord",
    "country_aliases",
    "evaluate_plover",
    "gold_country",
    "load_plover_records",
    "plover_0_5_to_0_8",
    "to_plover_0_8",
]

MAPPING_FILE = "plover_0_5_to_0_8.tsv"
ALIASES_FILE = "plover_gsr_country_aliases.tsv"


@functools.lru_cache(maxsize=1)
def plover_0_5_to_0_8() -> dict[str, str | None]:
    """PLOVER 0.5b1 category -> draft 0.8 category (None: not evaluated)."""
    return {
        row["plover_0_5"].upper(): (row["plover_0_8"].upper() or None)
        for row in read_tsv_resource(MAPPING_FILE)
    }


def to_plover_0_8(name: str) -> str | None:
    """The draft 0.8 name of a 0.5b1 category; ``KeyError`` for a name the table lacks."""
    return plover_0_5_to_0_8()[name.strip().upper()]


@functools.lru_cache(maxsize=1)
def country_aliases() -> dict[str, str]:
    return {
        row["gold_code"].upper(): row["code"].upper() for row in read_tsv_resource(ALIASES_FILE)
    }


def gold_country(code: str) -> str | None:
    """The country (or non-state primary) part of a gold actor code: ``"JAP"`` -> ``"JPN"``."""
    head = (code or "").strip().upper()[:3]
    if len(head) != 3 or not head.isalpha():
        return None
    return country_aliases().get(head, head)


@dataclass(frozen=True, slots=True)
class PloverRecord:
    id: str
    text: str
    category_0_5: str
    category: str  # draft 0.8
    sources: tuple[str, ...]  # country / primary codes
    targets: tuple[str, ...]


def _actor_codes(value: Any) -> tuple[str, ...]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):  # None, "" (no actor)
        return ()
    codes = []
    for actor in value:
        code = gold_country(actor.get("code", "")) if isinstance(actor, dict) else None
        if code and code not in codes:
            codes.append(code)
    return tuple(codes)


def load_plover_records(path: Path) -> tuple[list[PloverRecord], Counter[str]]:
    """Evaluable records of ``PLOVER_GSR_CAMEO.txt`` and the counts of skipped ones by reason."""
    try:
        data = json.loads(read_gold_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON list of records")
    records: list[PloverRecord] = []
    skipped: Counter[str] = Counter()
    for i, rec in enumerate(data):
        if not isinstance(rec, dict):
            raise InputError(f"{path}: record {i} is not a JSON object")
        event = str(rec.get("event", "")).strip().upper()
        try:
            category = to_plover_0_8(event)
        except KeyError:
            raise InputError(
                f"{path}: record {rec.get('id', i)} has PLOVER category {event!r}, "
                f"which {MAPPING_FILE} does not map"
            ) from None
        text = " ".join(str(rec.get("text") or "").split())
        if category is None:
            skipped[f"category {event} not evaluated"] += 1
            continue
        if not text:
            skipped["no text"] += 1
            continue
        records.append(
            PloverRecord(
                id=str(rec.get("id", i)),
                text=text,
                category_0_5=event,
                category=category,
                sources=_actor_codes(rec.get("source")),
                targets=_actor_codes(rec.get("target")),
            )
        )
    if not records:
        raise InputError(f"{path}: no evaluable PLOVER records")
    return records, skipped


def evaluate_plover(pipeline: Pipeline, path: Path, *, limit: int | None = None) -> dict:
    """Score ``pipeline`` on the PLOVER gold-standard records at ``path``."""
    records, skipped = load_plover_records(Path(path))
    if limit is not None:
        records = records[:limit]
    texts = list(dict.fromkeys(r.text for r in records))  # code each sentence once
    coded = dict(zip(texts, code_sentences(pipeline, texts, prefix="plover-gsr"), strict=True))
    book = codebook()

    hits: Counter[str] = Counter()
    n_source = n_target = 0
    per_category: dict[str, Counter[str]] = {}
    predicted_first: Counter[str] = Counter()
    errors: list[dict[str, object]] = []
    for rec in records:
        events = coded[rec.text]
        cats = [plover_of(e, book) for e in events]
        srcs = [primary_code(e.source) for e in events]
        tgts = [primary_code(e.target) for e in events]
        wrong: list[str] = []

        first_ok = bool(cats) and cats[0] == rec.category
        heldout = in_heldout_split(rec.text)
        hits["heldout"] += heldout
        hits["heldout_category_first"] += heldout and first_ok
        hits["category_first"] += first_ok
        hits["category_any"] += rec.category in cats
        hits["covered"] += bool(events)
        predicted_first[(cats[0] or "unmapped") if cats else "none"] += 1
        cat_counts = per_category.setdefault(rec.category, Counter())
        cat_counts["n"] += 1
        cat_counts["first"] += first_ok
        if not first_ok:
            wrong.append("category")
        if rec.sources:
            n_source += 1
            ok = bool(srcs) and srcs[0] in rec.sources
            hits["heldout_with_source"] += heldout
            hits["heldout_source_first"] += heldout and ok
            hits["source_first"] += ok
            hits["source_any"] += any(s in rec.sources for s in srcs)
            if not ok:
                wrong.append("source")
        if rec.targets:
            n_target += 1
            ok = bool(tgts) and tgts[0] in rec.targets
            hits["heldout_with_target"] += heldout
            hits["heldout_target_first"] += heldout and ok
            hits["target_first"] += ok
            hits["target_any"] += any(t in rec.targets for t in tgts)
            if not ok:
                wrong.append("target")
        if wrong and len(errors) < MAX_ERRORS:
            errors.append(
                {
                    "id": rec.id,
                    "sentence": rec.text,
                    "wrong": wrong,
                    "gold": {
                        "category": rec.category,
                        "category_0_5": rec.category_0_5,
                        "sources": list(rec.sources),
                        "targets": list(rec.targets),
                    },
                    "predicted": [
                        {**event_summary(e), "plover": c} for e, c in zip(events, cats, strict=True)
                    ],
                }
            )

    n = len(records)
    return {
        "set": "plover-gsr",
        "gold_file": "/".join(Path(path).parts[-2:]),
        "counts": {
            "records": n,
            "sentences": len(texts),
            "records_with_source": n_source,
            "records_with_target": n_target,
            "records_with_events": hits["covered"],
            "events": sum(len(v) for v in coded.values()),
            "skipped": dict(sorted(skipped.items())),
        },
        "scores": {
            "category_first": ratio(hits["category_first"], n),
            "category_any": ratio(hits["category_any"], n),
            "source_first": ratio(hits["source_first"], n_source),
            "source_any": ratio(hits["source_any"], n_source),
            "target_first": ratio(hits["target_first"], n_target),
            "target_any": ratio(hits["target_any"], n_target),
            "coverage": ratio(hits["covered"], n),
            "heldout_category_first": ratio(hits["heldout_category_first"], hits["heldout"]),
            "heldout_source_first": ratio(
                hits["heldout_source_first"], hits["heldout_with_source"]
            ),
            "heldout_target_first": ratio(
                hits["heldout_target_first"], hits["heldout_with_target"]
            ),
        },
        "diagnostics": {
            "heldout_records": hits["heldout"],
            "category_first_by_gold": {
                cat: {"n": c["n"], "accuracy": ratio(c["first"], c["n"])}
                for cat, c in sorted(per_category.items())
            },
            "predicted_first_category": dict(predicted_first.most_common()),
        },
        "errors": errors,
    }
