"""Plain-language explanations of an event's modality, date, place and rule.

The dashboard promises that every event can be traced to its evidence; the
evidence fields alone (``core:meet/symmetric``, precision ``publication``)
mean little to a reader who has not read the coder, so the event detail
carries one sentence for each, written here once rather than in the page's
JavaScript (where it would have to track the coder's vocabulary separately).
"""

from __future__ import annotations

from typing import Any

MODALITY: dict[str, str] = {
    "asserted": "Stated as fact by the text: counted by default.",
    "reported": "Attributed to someone ('X said that ...'): counted by default.",
    "negated": "The text says it did not happen ('not', 'never'): not counted by default.",
    "future": "Announced, planned or promised, not yet happened ('will', 'agreed to').",
    "hypothetical": "Conditional or possible only ('would', 'could', 'if', 'whether').",
    "uncertain": "Hedged by the text ('appears to', 'reportedly', 'likely').",
}

FRAME: dict[str, str] = {
    "active": "active clause: the subject acts on the object",
    "passive": "passive clause: the agent ('by ...') acts on the subject",
    "symmetric": "symmetric frame: the actors act together (one event per pair)",
    "nominal": "noun trigger: actors taken from the noun's modifiers and arguments",
    "relaxed": "relaxed frame: the full syntactic pattern did not match, "
    "nearest actors used (less reliable)",
}


def _rule(rule: str) -> str:
    name, _, frame = rule.partition("/")
    if name.startswith("core:"):
        origin = f"Tidings' curated rule for '{name[5:].split(':')[0].replace('+', ' ')}'"
    elif name:
        origin = f"PETRARCH-2 verb dictionary pattern {name}"
    else:
        return "No rule recorded (imported event)."
    detail = FRAME.get(frame)
    return f"{origin}; {detail}." if detail else f"{origin}."


def _date(event: dict[str, Any]) -> str:
    date = event["date"]
    precision = event["date_precision"]
    expression = event["evidence"]["date_text"]
    if date is None:
        return "Undated: no date expression and no publication date."
    if precision == "publication":
        return (
            f"No date expression in the sentence dates this event: the article's publication "
            f"date ({date}) stands in for the event date."
        )
    if expression:
        return f"From the expression \u201c{expression}\u201d, resolved to {date} ({precision})."
    return f"Dated {date} ({precision} precision)."


def _place(event: dict[str, Any]) -> str:
    location = event["location"]
    expression = event["evidence"]["place_text"]
    if location is None:
        if expression:
            return f"\u201c{expression}\u201d was not found in the gazetteer."
        return "No place mentioned for this event."
    where = ", ".join(p for p in (location["name"], location["country"]) if p)
    if expression:
        return f"From \u201c{expression}\u201d, resolved to {where}."
    return f"Located at {where}."


#: Names of the datasets an import can come from (the provenance's prefix).
DATASETS: dict[str, str] = {"icews": "ICEWS", "gdelt": "GDELT", "jsonl": "a Tidings JSONL export"}


def _imported(event: dict[str, Any]) -> dict[str, str]:
    """The explanation of an imported event: its origin, not a coding it never had."""
    origin = event["origin"]
    dataset = DATASETS.get(origin["dataset"], origin["dataset"])
    source = f"the file {origin['file']}" if origin["file"] else "a file"
    date = event["date"]
    location = event["location"]
    return {
        "origin": (
            f"Imported from {source} ({dataset} event data), not coded from text by "
            "Tidings: the actors, the CAMEO code and the date are the dataset's own."
        ),
        "modality": "The dataset records it as having happened (kept as asserted).",
        "date": f"Dated {date} by the dataset." if date else "The dataset gives no date.",
        "place": (
            f"Located at {', '.join(p for p in (location['name'], location['country']) if p)} "
            "by the dataset."
            if location
            else "The dataset gives no place."
        ),
    }


def explain(event: dict[str, Any]) -> dict[str, str]:
    """Sentences explaining ``event`` (an API event dict): modality, date, place, rule.

    An imported event (``event["origin"]`` set) is explained by its origin
    instead: it was not read from a sentence, so it has no trigger, rule or
    textual modality to explain.
    """
    if event.get("origin"):
        return _imported(event)
    cues = event["evidence"]["cues"]
    modality = MODALITY.get(event["modality"], event["modality"])
    if cues:
        modality += " Cue words: " + ", ".join(f"\u201c{c}\u201d" for c in cues) + "."
    return {
        "modality": modality,
        "date": _date(event),
        "place": _place(event),
        "rule": _rule(event["evidence"]["rule"] or ""),
    }
