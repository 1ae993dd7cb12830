"""The dashboard's filters: parsed and checked once, turned into bound SQL.

Every endpoint that lists or aggregates events takes the same filters, so
they are validated here into a :class:`Filters` record and compiled by
:func:`where` into a WHERE clause whose values are all ``?`` parameters.
Only names defined in this module (columns, operators) are ever spliced into
SQL; anything that came from a request is a parameter.  Values that could
never match a well-formed store (an actor code with quotes in it, a root
code 99) are refused with a :class:`ParameterError` naming the parameter,
which the app turns into a 422 response.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tidings.model import DEFAULT_MIN_CONFIDENCE, DEFAULT_MODALITIES, MODALITIES
from tidings.store import confidence_clause, near_clause

#: Longest free-text parameter accepted (place names, outlets, search text).
MAX_TEXT = 200
#: Most values a repeatable parameter may carry.
MAX_REPEAT = 20

_ACTOR = re.compile(r"^[A-Z0-9-]{1,32}$")
_COUNTRY = re.compile(r"^[A-Z]{3}$")
_CODE = re.compile(r"^[0-9]{1,4}$")
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class ParameterError(ValueError):
    """A request parameter is invalid; ``name`` is the parameter, for the 422 message."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"invalid parameter {name!r}: {message}")
        self.name = name
        self.message = message


@dataclass(frozen=True, slots=True)
class Near:
    """A circle on the globe: events located within ``km`` of (lat, lon)."""

    lat: float
    lon: float
    km: float


@dataclass(frozen=True, slots=True)
class Filters:
    """Validated filters; ``None``/empty means "no constraint".

    ``since`` and ``until`` are the first day of the earliest period and the
    day after the latest one (``until="2016-12"`` includes all December).
    ``modalities`` is None for all modalities; ``min_confidence`` 0 shows every event.
    """

    since: _dt.date | None = None
    until: _dt.date | None = None
    actor: str | None = None
    source: str | None = None
    target: str | None = None
    dyad: tuple[str, str] | None = None
    directed: bool = False
    code: str | None = None
    roots: tuple[str, ...] = ()
    quad_classes: tuple[int, ...] = ()
    modalities: tuple[str, ...] | None = DEFAULT_MODALITIES
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    place: str | None = None
    country: str | None = None
    near: Near | None = None
    outlet: str | None = None


# ------------------------------------------------------------------ parsing


def period(value: str, name: str) -> tuple[_dt.date, _dt.date]:
    """First day and the day after the last day of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    match = _PERIOD.match(value.strip())
    if not match:
        raise ParameterError(name, f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            return _dt.date(year, 1, 1), _dt.date(year + 1, 1, 1)
        start = _dt.date(year, month, day or 1)
        if day is not None:
            return start, start + _dt.timedelta(days=1)
        end = _dt.date(year + 1, 1, 1) if month == 12 else _dt.date(year, month + 1, 1)
        return start, end
    except (ValueError, OverflowError):
        raise ParameterError(name, f"{value!r} is not a valid date") from None


def actor_code(value: str | None, name: str) -> str | None:
    """An actor code prefix or ISO-3 country: upper-cased letters, digits and dashes."""
    if value is None or not value.strip():
        return None
    text = value.strip().upper()
    if not _ACTOR.match(text):
        raise ParameterError(
            name, "expected a CAMEO actor code or prefix (letters, digits, '-'; at most 32)"
        )
    return text


def text(value: str | None, name: str, *, limit: int = MAX_TEXT) -> str | None:
    """A free-text parameter, stripped; too long or control characters -> error."""
    if value is None or not value.strip():
        return None
    if len(value) > limit:
        raise ParameterError(name, f"at most {limit} characters")
    if any(ord(ch) < 32 for ch in value):
        raise ParameterError(name, "control characters are not allowed")
    return value.strip()


def repeated(values: Sequence[str] | None, name: str) -> list[str]:
    """A repeatable parameter; comma-separated values are accepted too."""
    out: list[str] = []
    for value in values or ():
        out.extend(part.strip() for part in value.split(",") if part.strip())
    if len(out) > MAX_REPEAT:
        raise ParameterError(name, f"at most {MAX_REPEAT} values")
    return out


def _near(value: str | None) -> Near | None:
    if value is None or not value.strip():
        return None
    parts = value.split(",")
    try:
        lat, lon, km = (float(p) for p in parts)
    except ValueError:
        raise ParameterError("near", "expected LAT,LON,KM (three numbers)") from None
    if not all(math.isfinite(v) for v in (lat, lon, km)):
        raise ParameterError("near", "numbers must be finite")
    if not -90 <= lat <= 90 or not -180 <= lon <= 180:
        raise ParameterError("near", "latitude must be in [-90, 90], longitude in [-180, 180]")
    if not 0 < km <= 20_040:
        raise ParameterError("near", "radius must be in (0, 20040] km")
    return Near(lat, lon, km)


def _modalities(values: Sequence[str] | None) -> tuple[str, ...] | None:
    wanted = repeated(values, "modality")
    if not wanted:
        return DEFAULT_MODALITIES
    if "all" in wanted:
        return None
    unknown = [m for m in wanted if m not in MODALITIES]
    if unknown:
        raise ParameterError(
            "modality", f"unknown {unknown[0]!r}; expected one of {', '.join(MODALITIES)} or all"
        )
    return tuple(dict.fromkeys(wanted))


def _roots(values: Sequence[str] | None) -> tuple[str, ...]:
    out = []
    for value in repeated(values, "root"):
        root = value.zfill(2) if value.isdigit() and len(value) == 1 else value
        if not (root.isdigit() and len(root) == 2 and 1 <= int(root) <= 20):
            raise ParameterError("root", f"{value!r} is not a CAMEO root code (01..20)")
        out.append(root)
    return tuple(dict.fromkeys(out))


def _quad_classes(values: Sequence[str] | None) -> tuple[int, ...]:
    out = []
    for value in repeated(values, "quad_class"):
        if value not in {"1", "2", "3", "4"}:
            raise ParameterError("quad_class", f"{value!r} is not a QuadClass (1..4)")
        out.append(int(value))
    return tuple(dict.fromkeys(out))


def parse_filters(
    *,
    since: str | None = None,
    until: str | None = None,
    actor: str | None = None,
    source: str | None = None,
    target: str | None = None,
    dyad: str | None = None,
    directed: bool = False,
    code: str | None = None,
    root: Sequence[str] | None = None,
    quad_class: Sequence[str] | None = None,
    modality: Sequence[str] | None = None,
    min_confidence: float | None = None,
    place: str | None = None,
    country: str | None = None,
    near: str | None = None,
    outlet: str | None = None,
) -> Filters:
    """Check the raw query parameters and build :class:`Filters` (or raise ParameterError)."""
    start = period(since, "since")[0] if since and since.strip() else None
    end = period(until, "until")[1] if until and until.strip() else None
    if start and end and start >= end:
        raise ParameterError("until", "must not be earlier than since")
    pair = None
    if dyad is not None and dyad.strip():
        parts = [p for p in dyad.split(",") if p.strip()]
        if len(parts) != 2:
            raise ParameterError("dyad", "expected two actors separated by a comma (A,B)")
        pair = (actor_code(parts[0], "dyad"), actor_code(parts[1], "dyad"))
    code_prefix = None
    if code is not None and code.strip():
        code_prefix = code.strip()
        if not _CODE.match(code_prefix):
            raise ParameterError("code", "expected a CAMEO code prefix (1 to 4 digits)")
    country_code = None
    if country is not None and country.strip():
        country_code = country.strip().upper()
        if not _COUNTRY.match(country_code):
            raise ParameterError("country", "expected an ISO 3166 alpha-3 code (e.g. RUS)")
    if min_confidence is None:
        min_confidence = DEFAULT_MIN_CONFIDENCE
    elif not (math.isfinite(min_confidence) and 0 <= min_confidence <= 1):
        raise ParameterError("min_confidence", "expected a number from 0 to 1")
    return Filters(
        since=start,
        until=end,
        actor=actor_code(actor, "actor"),
        source=actor_code(source, "source"),
        target=actor_code(target, "target"),
        dyad=pair,  # type: ignore[arg-type]
        directed=directed,
        code=code_prefix,
        roots=_roots(root),
        quad_classes=_quad_classes(quad_class),
        modalities=_modalities(modality),
        min_confidence=float(min_confidence),
        place=text(place, "place"),
        country=country_code,
        near=_near(near),
        outlet=text(outlet, "outlet"),
    )


# ---------------------------------------------------------------------- SQL


def _side(side: str) -> str:
    """One side of an event matching an actor: a code prefix or the country."""
    return f"(starts_with(e.{side}_code, ?) OR e.{side}_country = ?)"


def where(filters: Filters) -> tuple[str, list[Any]]:
    """The WHERE clause (``""`` when unfiltered) over ``events e`` and its parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    if filters.since is not None:
        clauses.append("e.date_start >= ?")
        params.append(filters.since)
    if filters.until is not None:
        clauses.append("e.date_start < ?")
        params.append(filters.until)
    if filters.actor is not None:
        clauses.append(f"({_side('source')} OR {_side('target')})")
        params.extend([filters.actor] * 4)
    if filters.source is not None:
        clauses.append(_side("source"))
        params.extend([filters.source] * 2)
    if filters.target is not None:
        clauses.append(_side("target"))
        params.extend([filters.target] * 2)
    if filters.dyad is not None:
        a, b = filters.dyad
        forward = f"({_side('source')} AND {_side('target')})"
        if filters.directed:
            clauses.append(forward)
            params.extend([a, a, b, b])
        else:
            clauses.append(f"({forward} OR {forward})")
            params.extend([a, a, b, b, b, b, a, a])
    if filters.code is not None:
        clauses.append("starts_with(e.code, ?)")
        params.append(filters.code)
    if filters.roots:
        clauses.append("list_contains(?, e.root_code)")
        params.append(list(filters.roots))
    if filters.quad_classes:
        clauses.append("list_contains(?, e.quad_class)")
        params.append(list(filters.quad_classes))
    if filters.modalities is not None:
        clauses.append("list_contains(?, e.modality)")
        params.append(list(filters.modalities))
    if filters.min_confidence > 0:
        clause, values = confidence_clause(filters.min_confidence)
        clauses.append(clause)
        params.extend(values)
    if filters.place is not None:
        clauses.append("(lower(e.location_name) = lower(?) OR e.location_feature_id = ?)")
        params.extend([filters.place, filters.place])
    if filters.country is not None:
        clauses.append("e.location_country = ?")
        params.append(filters.country)
    if filters.near is not None:
        clause, values = near_clause(filters.near.lat, filters.near.lon, filters.near.km)
        clauses.append(clause)
        params.extend(values)
    if filters.outlet is not None:
        clauses.append("e.doc_id IN (SELECT doc_id FROM articles WHERE lower(outlet) = lower(?))")
        params.append(filters.outlet)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params
