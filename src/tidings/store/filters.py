"""Event filters, declared once: every surface is generated from :data:`FILTERS`.

One table (name, type, help, default), in the manner of datasette's settings,
drives the Python API's keyword arguments (:func:`make_filters`), the CLI's
options (``tidings events``, ``timeline``, ``dyads``, ``export``), the HTTP
query parameters of the dashboard's API, and the documentation's filter list
(:func:`filters_markdown`).  Values from a command line or a URL are strings;
:func:`parse_filter_strings` turns them into the Python values the API takes,
so all three surfaces go through the same checks.  The validated
:class:`Filters` record compiles (:func:`compile_where`) to a WHERE clause in
which every value is a ``?`` parameter; only column names and operators
defined here are ever spliced into SQL.

Adding a filter on one column is one declaration, e.g.::

    FilterSpec("min_confidence", "number", "Events at least this confident (0..1).",
               column="e.confidence", op=">="),

appended to :data:`FILTERS`: the CLI gets ``--min-confidence``, HTTP
``?min_confidence=``, the API ``min_confidence=`` and the docs a line.

Matching conventions, the same everywhere:

* ``actor``, ``source``, ``target`` and the sides of ``dyad`` are CAMEO actor
  code *prefixes*: ``"RUS"`` matches ``RUS``, ``RUSGOV`` and ``RUSMIL``.
  ``actor_code`` is exact; ``actor_country`` and ``actor_agent`` compare the
  actor's country and agent parts; ``actor_name`` looks for words in the text
  that named the actor (case-insensitive).  A list means "any of these".
* ``modality`` defaults to asserted and reported (:data:`DEFAULT_MODALITIES`);
  ``None`` or ``"all"`` means every modality.
* ``min_confidence`` defaults to :data:`DEFAULT_MIN_CONFIDENCE`: events the
  confidence stage judged unlikely stay stored but out of the default view;
  ``0`` or ``None`` means every event.  Events with no confidence (imported,
  or coded before it existed) count as 1.0 (:func:`confidence_clause`).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from tidings.model import DEFAULT_MIN_CONFIDENCE, DEFAULT_MODALITIES, MODALITIES
from tidings.store._codec import CODED_PROVENANCE, period_bounds
from tidings.store._reads import check_min_confidence, confidence_clause, near_clause

Table = Literal["events", "merged"]
Values = str | Sequence[str]
Kind = Literal["period", "codes", "text", "texts", "flag", "dyad", "roots", "quads", "modality",
               "near", "number"]  # fmt: skip


_ACTOR = r"[A-Z0-9-]{1,32}"  # a CAMEO actor code or prefix
_ISO3 = r"[A-Z]{3}"  # an ISO 3166 alpha-3 country code
_CODE = r"[0-9]{1,4}"  # a CAMEO event code or prefix
_PATTERN_HELP = {
    _ACTOR: "a CAMEO actor code or prefix (letters, digits, '-'; at most 32)",
    _ISO3: "an ISO 3166 alpha-3 code (e.g. RUS)",
    _CODE: "a CAMEO code prefix (1 to 4 digits)",
}


class _Default:
    """Marks "the caller did not say" for ``modality``, where None means "all"."""

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Any = _Default()


class FilterError(ValueError):
    """A bad filter value; ``name`` is the filter (HTTP answers 422 naming it)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


@dataclass(frozen=True, slots=True)
class FilterSpec:
    """One filter: its name everywhere, its type, its help text and default.

    ``kind`` decides how a string from a command line or URL is read
    (``codes``/``texts``/``roots``/``quads``/``modality`` repeat, and take
    comma-separated values), how many values it takes and what the CLI option
    looks like.  ``column``/``op`` make a simple one-column filter that needs
    no code of its own in :func:`compile_where`.
    """

    name: str
    kind: Kind
    help: str
    default: Any = None
    metavar: str | None = None
    column: str | None = None
    op: str | None = None
    max_length: int = 200
    pattern: str | None = None  # each value must match (after upper-casing codes)

    @property
    def multiple(self) -> bool:
        return self.kind in ("codes", "texts", "roots", "quads", "modality")

    @property
    def option(self) -> str:
        """The CLI option: ``--actor-country`` for ``actor_country``."""
        return "--" + self.name.replace("_", "-")


#: Every filter, in documentation order.  The single definition of the filters.
FILTERS: tuple[FilterSpec, ...] = (
    FilterSpec("since", "period", "Earliest event date: YYYY, YYYY-MM or YYYY-MM-DD.",
               metavar="DATE"),
    FilterSpec("until", "period", "Latest event date, inclusive (until=2016-12: all December).",
               metavar="DATE"),
    FilterSpec("actor", "codes", "Actor code prefix on either side (RUS matches RUSGOV).",
               metavar="CODE", pattern=_ACTOR),
    FilterSpec("actor_code", "codes", "Exact actor code on either side.", metavar="CODE",
               pattern=_ACTOR),
    FilterSpec("actor_country", "codes", "Country of either actor (ISO-3, e.g. RUS).",
               metavar="ISO3", pattern=_ISO3),
    FilterSpec("actor_agent", "codes", "Agent of either actor (GOV, MIL, OPP...).",
               metavar="AGENT"),
    FilterSpec("actor_name", "text", "Words in the text that named either actor.",
               metavar="WORDS"),
    FilterSpec("source", "codes", "Source actor code prefix.", metavar="CODE", pattern=_ACTOR),
    FilterSpec("target", "codes", "Target actor code prefix.", metavar="CODE", pattern=_ACTOR),
    FilterSpec("dyad", "dyad", "Two actor code prefixes A,B: events between them.",
               metavar="A,B"),
    FilterSpec("directed", "flag", "With dyad: only from A to B.", default=False),
    FilterSpec("code", "codes", "CAMEO code prefix (04 matches 042).", metavar="CODE",
               pattern=_CODE),
    FilterSpec("root", "roots", "CAMEO root code 01..20.", metavar="ROOT"),
    FilterSpec("quad_class", "quads", "QuadClass 1..4 (verbal/material cooperation/conflict).",
               metavar="Q"),
    FilterSpec("modality", "modality",
               f"Modality ({', '.join(MODALITIES)}, or all); default asserted and reported.",
               default=DEFAULT_MODALITIES, metavar="MODALITY"),
    FilterSpec("min_confidence", "number",
               f"Lowest calibrated event confidence shown (0..1); default "
               f"{DEFAULT_MIN_CONFIDENCE}, the default view; 0 shows every event.",
               default=DEFAULT_MIN_CONFIDENCE, metavar="X"),
    FilterSpec("place", "text", "Place name (or the text's place words) contains.",
               metavar="NAME"),
    FilterSpec("country", "codes", "ISO-3 country of the event's place.", metavar="ISO3",
               pattern=_ISO3),
    FilterSpec("near", "near", "Events placed within KM of a point.", metavar="LAT,LON,KM"),
    FilterSpec("outlet", "texts", "The article's outlet (case-insensitive).", metavar="OUTLET"),
    FilterSpec("provenance", "text",
               "Provenance prefix: tidings (coded here), gdelt, icews, icews:FILE...",
               metavar="PREFIX"),
    FilterSpec("doc_id", "text", "The article's document id.", metavar="ID"),
)  # fmt: skip

#: Keyword arguments the query methods accept, in documentation order.
FILTER_NAMES: tuple[str, ...] = tuple(spec.name for spec in FILTERS)
_SPECS: dict[str, FilterSpec] = {spec.name: spec for spec in FILTERS}


@dataclass(frozen=True, slots=True)
class Filters:
    """Validated filters; build with :func:`make_filters` (which checks values).

    ``extra`` holds the values of simple one-column filters (a ``column`` in
    their :class:`FilterSpec`), which need no field of their own.
    """

    since: _dt.date | None = None  # first day included
    until: _dt.date | None = None  # first day excluded
    actor: tuple[str, ...] = ()
    actor_code: tuple[str, ...] = ()
    actor_country: tuple[str, ...] = ()
    actor_agent: tuple[str, ...] = ()
    actor_name: str | None = None
    source: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    dyad: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    directed: bool = False
    code: tuple[str, ...] = ()
    root: tuple[str, ...] = ()
    quad_class: tuple[int, ...] = ()
    modality: tuple[str, ...] | None = DEFAULT_MODALITIES
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    place: str | None = None
    country: tuple[str, ...] = ()
    near: tuple[float, float, float] | None = None
    outlet: tuple[str, ...] = ()
    provenance: str | None = None
    doc_id: str | None = None
    extra: tuple[tuple[str, Any], ...] = field(default=())


_FIELDS = {f.name for f in fields(Filters)} - {"extra"}
assert set(FILTER_NAMES) >= _FIELDS, "every Filters field is declared in FILTERS"


def filters_markdown() -> str:
    """The filter list of the documentation, one line per filter, from :data:`FILTERS`."""
    lines = ["| filter | CLI | type | meaning |", "|---|---|---|---|"]
    for spec in FILTERS:
        many = " (repeatable)" if spec.multiple else ""
        lines.append(f"| `{spec.name}` | `{spec.option}` | {spec.kind}{many} | {spec.help} |")
    return "\n".join(lines) + "\n"


def _split(values: Any) -> list[str]:
    """Repeated values, each possibly comma-separated, as one list of strings."""
    items = [values] if isinstance(values, str) else list(values or ())
    return [part.strip() for item in items for part in str(item).split(",") if part.strip()]


def parse_filter_strings(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The API's keyword values for filters given as strings (CLI options, URL parameters).

    Absent, empty and default values are left out, so the API's defaults
    apply.  Raises :class:`FilterError` naming the filter for a malformed
    value, and TypeError for an unknown name.
    """
    out: dict[str, Any] = {}
    for name, value in raw.items():
        spec = _SPECS.get(name)
        if spec is None:
            raise TypeError(f"unknown filter {name!r}; filters are: {', '.join(FILTER_NAMES)}")
        if value is None or value == () or value == [] or value == "":
            continue
        kind = spec.kind
        if kind == "flag":
            if value:
                out[name] = True
            continue
        if spec.multiple:
            items = _split(value)
            if not items:
                continue
            if kind == "quads":
                if any(item not in {"1", "2", "3", "4"} for item in items):
                    raise FilterError(name, f"expected QuadClass 1..4, got {value!r}")
                out[name] = [int(item) for item in items]
            elif kind == "modality" and "all" in items:
                out[name] = None
            else:
                out[name] = items
            continue
        text = value if isinstance(value, str) else str(value)
        if kind == "dyad":
            parts = _split(text)
            if len(parts) != 2:
                raise FilterError(name, "expected two actors separated by a comma (A,B)")
            out[name] = (parts[0], parts[1])
        elif kind == "near":
            try:
                lat, lon, km = (float(part) for part in text.split(","))
            except ValueError:
                raise FilterError(name, f"{text!r} is not LAT,LON,KM") from None
            out[name] = (lat, lon, km)
        elif kind == "number":
            try:
                out[name] = float(text)
            except ValueError:
                raise FilterError(name, f"{text!r} is not a number") from None
        else:
            out[name] = text
    return out


def _strings(name: str, value: Values | None, *, upper: bool = False) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise FilterError(name, f"must be a non-empty string or a list of them, got {item!r}")
        out.append(item.strip().upper() if upper else item.strip())
    return tuple(out)


def _root(value: object) -> str:
    text = str(value).strip() if isinstance(value, int | str) else ""
    if not text.isdigit() or not 1 <= int(text) <= 20 or isinstance(value, bool):
        raise FilterError("root", f"must be a CAMEO root code 01..20, got {value!r}")
    return f"{int(text):02d}"


def _modality(value: object) -> tuple[str, ...] | None:
    if value is DEFAULT:
        return DEFAULT_MODALITIES
    if value is None or value == "all":
        return None
    wanted = _strings("modality", value)  # type: ignore[arg-type]
    unknown = [m for m in wanted if m not in MODALITIES]
    if unknown:
        expected = ", ".join(MODALITIES)
        raise FilterError("modality", f"unknown {unknown[0]!r}; expected one of {expected} or all")
    return wanted


def _min_confidence(value: object) -> float:
    if value is DEFAULT:
        return DEFAULT_MIN_CONFIDENCE
    if value is None:
        return 0.0
    try:
        return check_min_confidence(value)
    except ValueError:
        message = f"must be a number from 0 to 1, got {value!r}"
        raise FilterError("min_confidence", message) from None


def make_filters(**given: Any) -> Filters:
    """Check the keyword filters of a query and return them as :class:`Filters`.

    Raises TypeError for an unknown keyword (naming the known ones) and
    ValueError for a bad value, before any SQL runs.
    """
    unknown = sorted(set(given) - set(FILTER_NAMES))
    if unknown:
        raise TypeError(f"unknown filter {unknown[0]!r}; filters are: {', '.join(FILTER_NAMES)}")
    since, until = given.get("since"), given.get("until")
    dyad = given.get("dyad")
    if dyad is not None:
        if isinstance(dyad, str) or len(dyad) != 2:
            raise FilterError("dyad", f"must be a pair of actor codes, got {dyad!r}")
        dyad = (_strings("dyad", dyad[0], upper=True), _strings("dyad", dyad[1], upper=True))
        for side in dyad:
            _check_pattern("dyad", side, _ACTOR)
    near = given.get("near")
    if near is not None:
        try:
            lat, lon, km = (float(v) for v in near)
        except (TypeError, ValueError):
            raise FilterError("near", f"must be (lat, lon, km), got {near!r}") from None
        finite = all(math.isfinite(v) for v in (lat, lon, km))
        if not (finite and -90 <= lat <= 90 and -180 <= lon <= 180 and km >= 0):
            raise FilterError("near", f"must be (lat, lon, km) with a valid point, got {near!r}")
        near = (lat, lon, km)
    quad = given.get("quad_class")
    quads = () if quad is None else ((quad,) if isinstance(quad, int) else tuple(quad))
    if any(isinstance(q, bool) or q not in (1, 2, 3, 4) for q in quads):
        raise FilterError("quad_class", f"must be 1, 2, 3 or 4 (or a list of them), got {quad!r}")
    root = given.get("root")
    listed = [root] if isinstance(root, str | int) else (root or [])
    roots = tuple(_root(r) for r in listed)
    for name in ("actor_name", "place", "provenance", "doc_id"):
        value = given.get(name)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise FilterError(name, f"must be a non-empty string, got {value!r}")
    for spec in FILTERS:
        if spec.pattern is not None and given.get(spec.name) is not None:
            _check_pattern(
                spec.name, _strings(spec.name, given[spec.name], upper=True), spec.pattern
            )
    extra = []
    for name, value in given.items():
        spec = _SPECS[name]
        if spec.column is None or value is None:
            continue
        if spec.kind == "number":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise FilterError(name, f"must be a number, got {value!r}")
            value = float(value)
        extra.append((name, value))
    first = None if since is None else _period(since, "since")[0]
    after = None if until is None else _period(until, "until")[1]
    if first is not None and after is not None and after <= first:
        raise FilterError("until", "must not be earlier than since")
    return Filters(
        since=first,
        until=after,
        actor=_strings("actor", given.get("actor"), upper=True),
        actor_code=_strings("actor_code", given.get("actor_code"), upper=True),
        actor_country=_strings("actor_country", given.get("actor_country"), upper=True),
        actor_agent=_strings("actor_agent", given.get("actor_agent"), upper=True),
        actor_name=given.get("actor_name"),
        source=_strings("source", given.get("source"), upper=True),
        target=_strings("target", given.get("target"), upper=True),
        dyad=dyad,
        directed=bool(given.get("directed", False)),
        code=_strings("code", given.get("code")),
        root=roots,
        quad_class=quads,
        modality=_modality(given.get("modality", DEFAULT)),
        min_confidence=_min_confidence(given.get("min_confidence", DEFAULT)),
        place=given.get("place"),
        country=_strings("country", given.get("country"), upper=True),
        near=near,
        outlet=_strings("outlet", given.get("outlet")),
        provenance=given.get("provenance"),
        doc_id=given.get("doc_id"),
        extra=tuple(extra),
    )


def _check_pattern(name: str, values: Sequence[str], pattern: str) -> None:
    for value in values:
        if not re.fullmatch(pattern, value):
            shown = value if len(value) <= 40 else value[:40] + "..."
            raise FilterError(name, f"{shown!r} is not {_PATTERN_HELP.get(pattern, pattern)}")


def _period(value: Any, name: str) -> tuple[_dt.date, _dt.date]:
    try:
        return period_bounds(value)
    except (ValueError, TypeError):
        raise FilterError(name, f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") from None


def _in(column: str, values: Sequence[Any], params: list[Any]) -> str:
    """``column IN (?, ?)``: one placeholder per value, which DuckDB plans best."""
    params.extend(values)
    if len(values) == 1:
        return f"{column} = ?"
    return f"{column} IN ({', '.join('?' * len(values))})"


def _prefix(column: str, values: Sequence[str], params: list[Any]) -> str:
    params.extend(values)
    return "(" + " OR ".join(f"starts_with({column}, ?)" for _ in values) + ")"


def _either(part: str, values: Sequence[str], params: list[Any]) -> str:
    """A match on the source OR the target actor.

    ``part`` is the actor column compared for equality (``code``,
    ``country``, ``agent``), or ``"prefix"`` for a code prefix.
    """
    sides = []
    for side in ("source", "target"):
        if part == "prefix":
            sides.append(_prefix(f"e.{side}_code", values, params))
        else:
            sides.append(_in(f"e.{side}_{part}", values, params))
    return f"({sides[0]} OR {sides[1]})"


def compile_where(filters: Filters, table: Table = "events") -> tuple[list[str], list[Any]]:
    """The WHERE conditions (alias ``e``) and their parameters, in order.

    On ``events`` the ``outlet`` filter needs the articles joined as ``a``
    (see :func:`needs_articles`); on ``merged_events`` it and ``doc_id`` look
    at the event's mentions instead.
    """
    f = filters
    where: list[str] = []
    params: list[Any] = []
    if f.since is not None:
        where.append("e.date_start >= ?")
        params.append(f.since)
    if f.until is not None:
        where.append("e.date_start < ?")
        params.append(f.until)
    if f.modality is not None:
        where.append(_in("e.modality", f.modality, params))
    if f.min_confidence > 0:
        clause, values = confidence_clause(f.min_confidence)
        where.append(clause)
        params.extend(values)
    if f.dyad is not None:
        first, second = f.dyad
        forward = (
            f"({_prefix('e.source_code', first, params)} AND "
            f"{_prefix('e.target_code', second, params)})"
        )
        if f.directed:
            where.append(forward)
        else:
            backward = (
                f"({_prefix('e.source_code', second, params)} AND "
                f"{_prefix('e.target_code', first, params)})"
            )
            where.append(f"({forward} OR {backward})")
    if f.actor:
        where.append(_either("prefix", f.actor, params))
    if f.actor_code:
        where.append(_either("code", f.actor_code, params))
    if f.actor_country:
        where.append(_either("country", f.actor_country, params))
    if f.actor_agent:
        where.append(_either("agent", f.actor_agent, params))
    if f.actor_name is not None:
        where.append(
            "(contains(lower(e.source_text), lower(?)) OR "
            "contains(lower(coalesce(e.target_text, '')), lower(?)))"
        )
        params.extend([f.actor_name, f.actor_name])
    if f.source:
        where.append(_prefix("e.source_code", f.source, params))
    if f.target:
        where.append(_prefix("e.target_code", f.target, params))
    if f.code:
        where.append(_prefix("e.code", f.code, params))
    if f.root:
        where.append(_in("e.root_code", f.root, params))
    if f.quad_class:
        where.append(_in("e.quad_class", f.quad_class, params))
    _place_filters(f, where, params)
    if f.provenance is not None:
        where.append("starts_with(coalesce(e.provenance, ?), ?)")
        params.extend([CODED_PROVENANCE, f.provenance])
    _article_filters(f, table, where, params)
    for name, value in f.extra:  # simple one-column filters declared in FILTERS
        spec = _SPECS[name]
        where.append(f"{spec.column} {spec.op or '='} ?")
        params.append(value)
    return where, params


def _place_filters(f: Filters, where: list[str], params: list[Any]) -> None:
    if f.place is not None:
        where.append(
            "(contains(lower(coalesce(e.location_name, '')), lower(?))"
            " OR contains(lower(coalesce(e.place_text, '')), lower(?)))"
        )
        params.extend([f.place, f.place])
    if f.country:
        where.append(_in("e.location_country", f.country, params))
    if f.near is not None:
        clause, values = near_clause(*f.near)
        where.append(clause)
        params.extend(values)


def _article_filters(f: Filters, table: Table, where: list[str], params: list[Any]) -> None:
    outlets = [o.lower() for o in f.outlet]
    if table == "events":
        if outlets:
            where.append(
                "e.doc_id IN (SELECT doc_id FROM articles WHERE "
                + _in("lower(outlet)", outlets, params)
                + ")"
            )
        if f.doc_id is not None:
            where.append("e.doc_id = ?")
            params.append(f.doc_id)
        return
    if outlets:
        where.append(
            "EXISTS (SELECT 1 FROM event_mentions m WHERE m.merged_id = e.merged_id AND "
            + _in("lower(m.outlet)", outlets, params)
            + ")"
        )
    if f.doc_id is not None:
        where.append(
            "EXISTS (SELECT 1 FROM event_mentions m WHERE m.merged_id = e.merged_id "
            "AND m.doc_id = ?)"
        )
        params.append(f.doc_id)


def needs_articles(filters: Filters, table: Table = "events") -> bool:
    """Whether the compiled conditions refer to the articles table (alias ``a``)."""
    return False  # the outlet filter is a subquery; kept for callers that ask


def from_clause(filters: Filters, table: Table = "events", *, articles: bool = False) -> str:
    """``FROM`` the table as ``e``, with the articles as ``a`` when needed."""
    base = " FROM events e" if table == "events" else " FROM merged_events e"
    if table == "events" and (articles or needs_articles(filters)):
        base += " LEFT JOIN articles a ON a.doc_id = e.doc_id"
    return base


def where_sql(conditions: Sequence[str], *extra: str) -> str:
    """`` WHERE c1 AND c2 ...`` (empty when there are no conditions)."""
    parts = [*conditions, *extra]
    return " WHERE " + " AND ".join(parts) if parts else ""
