"""Reading events, articles and sentences back: the filtered, ordered queries.

Part of :mod:`tidings.store._store`: :class:`_StoreReads` holds the read side
of :class:`~tidings.store.Store` (:meth:`~tidings.store.Store.events`, the
streaming exports, articles, sentences, counts), and :func:`near_clause` is the
one definition of "near" shared with the analytics and HTTP APIs.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import duckdb

from tidings.errors import StoreError
from tidings.model import Article, Event, Sentence
from tidings.store import _codec
from tidings.store._codec import EventRecord
from tidings.store._connect import _first_line

# The sentence of an event: the text an import brought along, else the
# stored sentence's.  Every event query reads it the same way.
_SENTENCE = "coalesce(e.sentence_text, s.text, '')"
_FROM = (
    " FROM events e LEFT JOIN sentences s"
    " ON s.doc_id = e.doc_id AND s.sentence_index = e.sentence_index"
)
_EVENT_SELECT = (
    "SELECT " + ", ".join(f"e.{name}" for name in _codec.EVENT_COLUMNS) + f", {_SENTENCE}" + _FROM
)
_RECORD_SELECT = (
    "SELECT "
    + ", ".join(f"e.{name}" for name in _codec.EVENT_COLUMNS)
    + f", {_SENTENCE}, "
    + ", ".join(_codec.RECORD_CONTEXT_COLUMNS)
    + _FROM
    + " LEFT JOIN articles a ON a.doc_id = e.doc_id"
)


def _flat_expression(name: str) -> str:
    if name == "sentence":
        return f"{_SENTENCE} AS sentence"
    if name == "provenance":
        return f"coalesce(e.provenance, '{_codec.CODED_PROVENANCE}') AS provenance"
    if name == "extras":
        return "CAST(e.extras AS VARCHAR) AS extras"
    return f"e.{name}"


_FLAT_SELECT = "SELECT " + ", ".join(map(_flat_expression, _codec.FLAT_COLUMNS)) + _FROM


def near_clause(lat: float, lon: float, km: float) -> tuple[str, list[float]]:
    """SQL condition (and its bound values) for events placed within ``km`` of a point.

    Great-circle (haversine) distance on the mean Earth radius, after a cheap
    latitude band that lets DuckDB skip most rows.  The one definition of
    "near" shared by the store, the analytics API and the HTTP API.
    """
    band = km / 111.0  # a degree of latitude is at least 111 km
    clause = (
        "(e.location_lat BETWEEN ? AND ? AND 2 * 6371.0088 * asin(sqrt("
        "pow(sin(radians(e.location_lat - ?) / 2), 2) + cos(radians(?)) * "
        "cos(radians(e.location_lat)) * pow(sin(radians(e.location_lon - ?) / 2), 2)"
        ")) <= ?)"
    )
    return clause, [lat - band, lat + band, lat, lat, lon, km]


def confidence_clause(threshold: float) -> tuple[str, list[float]]:
    """SQL condition (and its bound value) for events at or above a confidence threshold.

    Events without a stored confidence (imported, or coded before migration 0005) count as
    1.0: another coder's events are never hidden by ours.  The one definition of the
    confidence filter shared by the store, the analytics API and the HTTP API.
    """
    return "coalesce(e.confidence, 1.0) >= ?", [float(threshold)]


def check_min_confidence(value: object) -> float:
    """A confidence threshold as a float in [0, 1]; ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"min_confidence must be a number from 0 to 1, got {value!r}")
    return float(value)


class _StoreReads:
    """The read methods of :class:`~tidings.store.Store` (a mixin).

    The store provides the connection, :meth:`_query` and ``_label``.
    """

    if TYPE_CHECKING:
        _label: str

        def _connection(self) -> duckdb.DuckDBPyConnection: ...

        def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def events(
        self,
        *,
        since: _dt.date | str | None = None,
        until: _dt.date | str | None = None,
        actor: str | None = None,
        code: str | None = None,
        modalities: Sequence[str] | None = None,
        doc_id: str | None = None,
        provenance: str | None = None,
        place: str | None = None,
        country: str | None = None,
        near: tuple[float, float, float] | None = None,
        min_confidence: float | None = None,
        limit: int | None = None,
    ) -> list[Event]:
        """Stored events matching every given filter.

        ``since``/``until`` are inclusive and compare the first day of the
        event's date period (``date_start``); a string may be a day, month or
        year, and ``until="2024-03"`` includes all of March.  Undated events
        are excluded as soon as either is given.  ``actor`` is a prefix of
        the source or target code ("RUS" matches "RUSGOV"); ``code`` a prefix
        of the CAMEO code ("04" matches "042"); ``provenance`` a prefix of
        the event's provenance ("tidings" for coded events, "gdelt" matches
        every GDELT import).  ``modalities=None`` means all; ``min_confidence``
        keeps events whose confidence is at least that (None: all; the default
        view of the higher layers is :data:`tidings.model.DEFAULT_MIN_CONFIDENCE`).  Ordered by
        date_start (undated last), doc_id, sentence_index, event_id.  Raises
        ValueError for a malformed date or negative limit.
        """
        query = self._select(
            _EVENT_SELECT,
            since=since,
            until=until,
            actor=actor,
            code=code,
            modalities=modalities,
            doc_id=doc_id,
            provenance=provenance,
            place=place,
            country=country,
            near=near,
            min_confidence=min_confidence,
            limit=limit,
        )
        if query is None:
            return []
        return [_codec.event_from_row(row) for row in self._query(*query)]

    def iter_records(self, *, batch_size: int = 5000, **filters: Any) -> Iterator[EventRecord]:
        """Stream the matching events as :class:`EventRecord`, in :meth:`events` order.

        Takes the filters of :meth:`events`.  Rows are fetched ``batch_size``
        at a time, so exporting millions of events needs little memory; the
        store must not be used for anything else until the iterator is done.
        """
        query = self._select(_RECORD_SELECT, **filters)
        if query is None:
            return
        for batch in self._batches(*query, batch_size=batch_size):
            yield from (_codec.record_from_row(row) for row in batch)

    def iter_flat(self, *, batch_size: int = 5000, **filters: Any) -> Iterator[list[tuple]]:
        """Batches of matching events as rows of :data:`FLAT_COLUMNS` (see :meth:`iter_records`).

        ``cues`` is a list and ``extras`` JSON text, as in the Parquet export.
        """
        query = self._select(_FLAT_SELECT, **filters)
        if query is not None:
            yield from self._batches(*query, batch_size=batch_size)

    def _batches(self, sql: str, params: Sequence[Any], *, batch_size: int) -> Iterator[list]:
        con = self._connection()
        try:
            result = con.execute(sql, list(params))
            while batch := result.fetchmany(batch_size):
                yield batch
        except duckdb.Error as exc:
            raise StoreError(f"store {self._label}: {_first_line(exc)}") from None

    def _select(
        self,
        select: str,
        *,
        since: _dt.date | str | None = None,
        until: _dt.date | str | None = None,
        actor: str | None = None,
        code: str | None = None,
        modalities: Sequence[str] | None = None,
        doc_id: str | None = None,
        provenance: str | None = None,
        place: str | None = None,
        country: str | None = None,
        near: tuple[float, float, float] | None = None,
        min_confidence: float | None = None,
        limit: int | None = None,
        selection: Any = None,
    ) -> tuple[str, list[Any]] | None:
        """The filtered, ordered query over ``select``; None when it cannot match.

        ``selection`` (a :class:`tidings.store.filters.Filters`) replaces the
        keyword filters with any of the declared filters (the exports use it).
        """
        where: list[str] = []
        params: list[Any] = []
        if selection is not None:
            from tidings.store.filters import compile_where

            where, params = compile_where(selection)
        if since is not None:
            where.append("e.date_start >= ?")
            params.append(_codec.period_bounds(since)[0])
        if until is not None:
            where.append("e.date_start < ?")
            params.append(_codec.period_bounds(until)[1])
        if actor is not None:
            where.append("(starts_with(e.source_code, ?) OR starts_with(e.target_code, ?))")
            params.extend([actor, actor])
        if code is not None:
            where.append("starts_with(e.code, ?)")
            params.append(code)
        if modalities is not None:
            wanted = [modalities] if isinstance(modalities, str) else list(modalities)
            if not wanted:
                return None
            where.append("list_contains(?, e.modality)")
            params.append(wanted)
        if doc_id is not None:
            where.append("e.doc_id = ?")
            params.append(doc_id)
        if provenance is not None:
            where.append("starts_with(coalesce(e.provenance, ?), ?)")
            params.extend([_codec.CODED_PROVENANCE, provenance])
        if place is not None:
            where.append(
                "(contains(lower(coalesce(e.location_name, '')), lower(?))"
                " OR contains(lower(coalesce(e.place_text, '')), lower(?)))"
            )
            params.extend([place, place])
        if country is not None:
            where.append("e.location_country = ?")
            params.append(country.upper())
        if near is not None:
            lat, lon, km = (float(v) for v in near)
            if not (-90 <= lat <= 90 and -180 <= lon <= 180 and km >= 0):
                raise ValueError(f"near must be LAT,LON,KM with a valid point, got {near!r}")
            clause, values = near_clause(lat, lon, km)
            where.append(clause)
            params.extend(values)
        if min_confidence is not None and check_min_confidence(min_confidence) > 0:
            clause, values = confidence_clause(min_confidence)
            where.append(clause)
            params.extend(values)
        sql = select
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY e.date_start NULLS LAST, e.doc_id, e.sentence_index, e.event_id"
        if limit is not None:
            if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
                raise ValueError(f"limit must be a non-negative integer, got {limit!r}")
            sql += " LIMIT ?"
            params.append(limit)
        return sql, params

    def articles(self) -> list[Article]:
        """Every stored article, rebuilt in full, ordered by doc_id."""
        columns = ", ".join(_codec.ARTICLE_COLUMNS)
        rows = self._query(f"SELECT {columns} FROM articles ORDER BY doc_id")
        return [_codec.article_from_row(row) for row in rows]

    def sentences(self, doc_id: str) -> list[Sentence]:
        """The sentences of one article in order; empty if it is not stored."""
        columns = ", ".join(_codec.SENTENCE_COLUMNS)
        rows = self._query(
            f"SELECT {columns} FROM sentences WHERE doc_id = ? ORDER BY sentence_index", [doc_id]
        )
        return [_codec.sentence_from_row(row) for row in rows]

    def counts(self) -> dict[str, int]:
        """How many articles, sentences and events the store holds."""
        (row,) = self._query(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM sentences), "
            "(SELECT count(*) FROM events)"
        )
        return {"articles": row[0], "sentences": row[1], "events": row[2]}
