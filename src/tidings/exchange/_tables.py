"""Rows of the GDELT 2.0 event and mention tables and of ICEWS event files.

Column lists follow the GDELT Event Codebook V2.0 and the ICEWS Coded Event
Data files; conventions (which code goes where, what a missing value looks
like) are documented per function.  Values from an imported row that Tidings
has no field for were kept in the event's ``extras`` under their column name,
and are written back here, so a GDELT or ICEWS file imported and exported
again comes out with the same columns.

Text fields are written with tabs and line breaks turned into spaces: these
formats have no quoting, so a tab would shift every later column.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Mapping
from typing import Any

from tidings.dictionaries.cameo import Codebook
from tidings.exchange._mappings import country_name, iso3_to_fips, sector_name
from tidings.exchange._stamp import IdMap
from tidings.model import Actor, Place
from tidings.store import EventRecord, period_bounds

_ACTOR_FIELDS = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
_GEO_FIELDS = (
    "Type",
    "FullName",
    "CountryCode",
    "ADM1Code",
    "ADM2Code",
    "Lat",
    "Long",
    "FeatureID",
)

#: The 61 columns of a GDELT 2.0 event file (``*.export.CSV``), in order.
GDELT_EVENT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    *(f"Actor1{name}" for name in _ACTOR_FIELDS),
    *(f"Actor2{name}" for name in _ACTOR_FIELDS),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(f"Actor1Geo_{name}" for name in _GEO_FIELDS),
    *(f"Actor2Geo_{name}" for name in _GEO_FIELDS),
    *(f"ActionGeo_{name}" for name in _GEO_FIELDS),
    "DATEADDED",
    "SOURCEURL",
)

#: The 16 columns of a GDELT 2.0 mentions file (``*.mentions.CSV``), in order.
GDELT_MENTION_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
)

#: The columns of an ICEWS event file, in order (its header row).
ICEWS_COLUMNS: tuple[str, ...] = (
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Sectors",
    "Source Country",
    "Event Text",
    "CAMEO Code",
    "Intensity",
    "Target Name",
    "Target Sectors",
    "Target Country",
    "Story ID",
    "Sentence Number",
    "Publisher",
    "City",
    "District",
    "Province",
    "Country",
    "Latitude",
    "Longitude",
)

#: GDELT Geo_Type values: 1 country, 2 US state, 3 US city, 4 world city, 5 world state.
GEO_TYPES: Mapping[int, str] = {1: "country", 2: "adm1", 3: "city", 4: "city", 5: "adm1"}


def clean(text: str | None) -> str:
    """A value safe for an unquoted tab-separated field."""
    if not text:
        return ""
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def number(value: float | int | None) -> str:
    """A float as the shortest text that reads back to the same value."""
    return "" if value is None else repr(float(value))


def day_of(date: str | None) -> _dt.date | None:
    """First day of an event's date period (GDELT and ICEWS carry days only)."""
    return period_bounds(date)[0] if date else None


def ymd(day: _dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _timestamp(value: _dt.datetime | _dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        return ymd(value.date()) + f"{value.hour:02d}{value.minute:02d}{value.second:02d}"
    return ymd(value) + "000000"


# --------------------------------------------------------------------- GDELT


def _actor_columns(actor: Actor | None, n: int, extras: Mapping[str, Any]) -> list[str]:
    """Actor{n}*: code (empty for ``---``), name, CAMEO country, agent as Type1Code."""
    if actor is None:
        return [""] * len(_ACTOR_FIELDS)
    kept = [str(extras.get(f"Actor{n}{name}", "")) for name in _ACTOR_FIELDS]
    kept[0] = "" if actor.code == "---" else actor.code
    kept[1] = clean(actor.text)
    kept[2] = actor.country or ""
    kept[7] = actor.agent or ""
    return kept


def geo_type(place: Place) -> int:
    """GDELT Geo_Type of a place; 0 when it has no GDELT type (regions, unresolved names)."""
    us = place.country == "USA"
    if place.type == "country":
        return 1
    if place.type == "adm1":
        return 2 if us else 5
    if place.type == "city":
        return 3 if us else 4
    return 0


def _geo_columns(place: Place | None, prefix: str, extras: Mapping[str, Any]) -> list[str]:
    """``{prefix}_*`` of a place: FIPS country, GDELT-style US ADM1 (``USTX``), our ids as is."""
    if place is None:
        kept = [str(extras.get(f"{prefix}_{name}", "")) for name in _GEO_FIELDS]
        kept[0] = kept[0] or "0"
        return kept
    kind = geo_type(place)
    fips = iso3_to_fips(place.country) or str(extras.get(f"{prefix}_CountryCode", ""))
    adm1 = place.adm1 or ""
    if kind == 1:
        adm1 = fips
    elif kind in (2, 3) and adm1.startswith("US-") and len(adm1) == 5:
        adm1 = "US" + adm1[3:]
    feature = place.feature_id or ""
    if feature.startswith("gdelt:"):
        feature = feature[len("gdelt:") :]
    return [
        str(kind),
        clean(place.name),
        fips,
        adm1,
        str(extras.get(f"{prefix}_ADM2Code", "")),
        number(place.lat),
        number(place.lon),
        clean(feature),
    ]


def actor_place(actor, action: Place | None, extras: Mapping[str, Any], n: int) -> Place | None:
    """Where the text puts an actor, for GDELT's Actor{n}Geo fields.

    Imported events keep their own fields (None here).  For coded events the
    text places an actor at the event's place when the place lies in the
    actor's country ("Russian and Turkish ministers met in Moscow" puts RUS
    in Moscow); otherwise only its country is known, given as a country-level
    place (GDELT type 1) from the gazetteer.  Actors without a country
    (IGOs, unidentified) have no place.
    """
    if extras or actor is None or not actor.country:  # imported events keep their own
        return None
    if action is not None and action.country == actor.country and action.lat is not None:
        return action
    return _country_place(actor.country)


@functools.lru_cache(maxsize=512)
def _country_place(iso3: str) -> Place | None:
    import pycountry

    from tidings.places import resolve_place

    record = pycountry.countries.get(alpha_3=iso3)
    if record is None:
        return None
    place = resolve_place(getattr(record, "common_name", None) or record.name)
    if place.country != iso3 or place.type != "country":
        return None
    return place


def gdelt_event_row(record: EventRecord, ids: IdMap, now: str) -> list[str]:
    """One row of the GDELT event table.

    Dates are days (a month or year period is written as its first day);
    an undated event has empty date fields.  NumMentions, NumSources and
    NumArticles are 1 (an event is one mention today), AvgTone empty (Tidings
    scores no tone), IsRootEvent 1 for events of the title or first
    paragraph.  DATEADDED is when the article was stored; SOURCEURL the
    article's URL.
    """
    event, extras = record.event, record.extras or {}
    day = day_of(event.date)
    dates = ["", "", "", ""]
    if day is not None:
        fraction = day.year + day.timetuple().tm_yday / 365
        dates = [ymd(day), ymd(day)[:6], f"{day.year:04d}", f"{fraction:.4f}"]
    root = "1" if record.paragraph_index in (-1, 0) else "0"
    code = event.code
    return [
        str(ids.number(event.event_id)),
        *dates,
        *_actor_columns(event.source, 1, extras),
        *_actor_columns(event.target, 2, extras),
        str(extras.get("IsRootEvent", root)),
        code,
        code[:3] if len(code) > 3 else code,
        event.root_code,
        str(event.quad_class),
        number(event.goldstein),
        str(extras.get("NumMentions", "1")),
        str(extras.get("NumSources", "1")),
        str(extras.get("NumArticles", "1")),
        str(extras.get("AvgTone", "")),
        *_geo_columns(actor_place(event.source, event.location, extras, 1), "Actor1Geo", extras),
        *_geo_columns(actor_place(event.target, event.location, extras, 2), "Actor2Geo", extras),
        *_geo_columns(event.location, "ActionGeo", extras),
        str(extras.get("DATEADDED", "")) or _timestamp(record.ingested_at) or now,
        clean(record.source_url or record.url or ""),
    ]


def _xml_text(text: str) -> str:
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def gdelt_mention_row(record: EventRecord, ids: IdMap, now: str) -> list[str]:
    """One row of the GDELT mentions table: the event's article and sentence.

    MentionType 1 (web), SentenceID 1-based (the title is sentence 1),
    character offsets -1 (Tidings keeps sentence, not document, positions),
    InRawText 1; Confidence, document length and tone empty.  Extras holds
    the Tidings event id, modality, rule and trigger as GDELT-style XML tags.
    """
    event = record.event
    day = day_of(event.date)
    url = record.source_url or record.url or ""
    source = record.outlet or (url.split("/")[2] if url.count("/") >= 2 else "")
    when = record.published or record.ingested_at
    tags = (
        f"<TIDINGS_EVENT_ID>{_xml_text(event.event_id)}</TIDINGS_EVENT_ID>"
        f"<TIDINGS_MODALITY>{_xml_text(event.modality)}</TIDINGS_MODALITY>"
        f"<TIDINGS_RULE>{_xml_text(event.evidence.rule)}</TIDINGS_RULE>"
        f"<TIDINGS_TRIGGER>{_xml_text(event.evidence.trigger)}</TIDINGS_TRIGGER>"
    )
    return [
        str(ids.number(event.event_id)),
        _timestamp(day),
        _timestamp(when) or now,
        "1",
        clean(source),
        clean(url or event.doc_id),
        str(event.sentence_index + 1) if event.sentence_index >= 0 else "",
        "-1",
        "-1",
        "-1",
        "1",
        "",
        "",
        "",
        "",
        tags,
    ]


# --------------------------------------------------------------------- ICEWS


def _icews_actor(actor: Actor | None, role: str, extras: Mapping[str, Any]) -> list[str]:
    """Name, sectors (from the agent) and country name of one ICEWS actor."""
    if actor is None:
        return ["", "", ""]
    return [
        clean(actor.text),
        clean(str(extras.get(f"{role} Sectors", "")) or sector_name(actor.agent) or ""),
        clean(str(extras.get(f"{role} Country", "")) or country_name(actor.country) or ""),
    ]


def _icews_place(place: Place | None, extras: Mapping[str, Any]) -> list[str]:
    """City, District, Province, Country, Latitude, Longitude; only typed places fit."""
    city, province = "", str(extras.get("Province", ""))
    country = str(extras.get("Country", ""))
    if place is None or place.type not in ("city", "adm1", "country"):
        return [city, str(extras.get("District", "")), province, country, "", ""]
    if place.type == "city":
        city = place.name
    elif place.type == "adm1":
        province = place.name
    country = country or country_name(place.country) or ""
    return [
        clean(city),
        clean(str(extras.get("District", ""))),
        clean(province),
        clean(country),
        number(place.lat),
        number(place.lon),
    ]


def icews_row(record: EventRecord, ids: IdMap, codebook: Codebook) -> list[str]:
    """One ICEWS row.

    Event ID is an integer (see :class:`IdMap`); Event Date a day; names are
    the actors' text; sectors come from the agent and countries are names
    (see :mod:`._mappings`); Event Text is the CAMEO label; Intensity the
    ICEWS intensity of an imported event, else the Goldstein value; Story ID
    the article's doc_id and Sentence Number its 1-based sentence.
    """
    event, extras = record.event, record.extras or {}
    day = day_of(event.date)
    try:
        label = codebook.nearest(event.code).label
    except KeyError:
        label = ""
    coded = event.sentence_index >= 0
    return [
        str(ids.number(event.event_id)),
        day.isoformat() if day else "",
        *_icews_actor(event.source, "Source", extras),
        clean(str(extras.get("Event Text", "")) or label),
        event.code,
        number(record.intensity if record.intensity is not None else event.goldstein),
        *_icews_actor(event.target, "Target", extras),
        clean(str(extras.get("Story ID", "")) or (event.doc_id if coded else "")),
        str(extras.get("Sentence Number", "")) or (str(event.sentence_index + 1) if coded else ""),
        clean(str(extras.get("Publisher", "")) or record.outlet or ""),
        *_icews_place(event.location, extras),
    ]
