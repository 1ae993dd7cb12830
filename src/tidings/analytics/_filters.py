"""The filters every analytics query takes, checked once and compiled to bound SQL.

Why a separate filter layer rather than :meth:`Store.events`' arguments: the
analytics API filters on more (actor country, agent and words, dyads, roots,
QuadClass, outlet) and must compile the same filters into very different
queries (event listings, time series, top-N, networks) and over two tables
(``events`` and ``merged_events``, whose filterable columns share names).  So
the filters are validated into a :class:`Filters` record and :func:`compile`
turns them into a WHERE clause in which every value is a ``?`` parameter;
only column names and operators defined here are ever spliced into SQL.

Matching conventions, the same everywhere:

* ``actor``, ``source``, ``target`` and the sides of ``dyad`` are CAMEO actor
  code *prefixes*, as in ``tidings events --actor``: ``"RUS"`` matches
  ``RUS``, ``RUSGOV`` and ``RUSMIL``; ``"RUSGOV"`` matches ``RUSGOVFRM``.
  ``actor_code`` is exact; ``actor_country`` and ``actor_agent`` compare the
  actor's country and agent parts; ``actor_name`` looks for words in the text
  that named the actor (case-insensitive).  A list means "any of these".
* ``modality`` defaults to asserted and reported (:data:`DEFAULT_MODALITIES`);
  ``None`` or ``"all"`` means every modality.
* ``min_confidence`` defaults to :data:`DEFAULT_MIN_CONFIDENCE` (events the
  confidence stage judged unlikely stay stored but out of the default view);
  ``0`` or ``None`` means every event.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any, Literal

from tidings.model import DEFAULT_MIN_CONFIDENCE, DEFAULT_MODALITIES, MODALITIES
from tidings.store import (
    CODED_PROVENANCE,
    check_min_confidence,
    confidence_clause,
    near_clause,
    period_bounds,
)

Table = Literal["events", "merged"]
Values = str | Sequence[str]


class _Default:
    """Marks "the caller did not say" for ``modality``, where None means "all"."""

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Any = _Default()


@dataclass(frozen=True, slots=True)
class Filters:
    """Validated filters; build with :func:`make_filters` (which checks values)."""

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


#: Keyword arguments the query methods accept, in documentation order.
FILTER_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Filters))


def _strings(name: str, value: Values | None, *, upper: bool = False) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise ValueError(f"{name} must be a non-empty string or a list of them, got {item!r}")
        out.append(item.strip().upper() if upper else item.strip())
    return tuple(out)


def _root(value: object) -> str:
    text = str(value).strip() if isinstance(value, int | str) else ""
    if not text.isdigit() or not 1 <= int(text) <= 20 or isinstance(value, bool):
        raise ValueError(f"root must be a CAMEO root code 01..20, got {value!r}")
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
        raise ValueError(f"unknown modality {unknown[0]!r}; expected one of {expected}")
    return wanted


def _min_confidence(value: object) -> float:
    if value is DEFAULT:
        return DEFAULT_MIN_CONFIDENCE
    return 0.0 if value is None else check_min_confidence(value)


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
            raise ValueError(f"dyad must be a pair of actor codes, got {dyad!r}")
        dyad = (_strings("dyad", dyad[0], upper=True), _strings("dyad", dyad[1], upper=True))
    near = given.get("near")
    if near is not None:
        lat, lon, km = (float(v) for v in near)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and km >= 0):
            raise ValueError(f"near must be (lat, lon, km) with a valid point, got {near!r}")
        near = (lat, lon, km)
    quad = given.get("quad_class")
    quads = () if quad is None else ((quad,) if isinstance(quad, int) else tuple(quad))
    if any(isinstance(q, bool) or q not in (1, 2, 3, 4) for q in quads):
        raise ValueError(f"quad_class must be 1, 2, 3 or 4 (or a list of them), got {quad!r}")
    root = given.get("root")
    listed = [root] if isinstance(root, str | int) else (root or [])
    roots = tuple(_root(r) for r in listed)
    for name in ("actor_name", "place", "provenance", "doc_id"):
        value = given.get(name)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return Filters(
        since=None if since is None else period_bounds(since)[0],
        until=None if until is None else period_bounds(until)[1],
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
    )


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
            where.append(_in("lower(a.outlet)", outlets, params))
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
    return table == "events" and bool(filters.outlet)


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
