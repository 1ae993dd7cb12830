"""The event store: articles, sentences and coded events in one DuckDB file.

A single process writes (DuckDB locks the file); each article is saved in
its own transaction, so an interrupted run keeps every article finished
before the interruption and re-running it adds only what is missing.  The
schema is created and upgraded by numbered SQL migrations in
``migrations/``.

    >>> with Store("tidings.duckdb") as store:          # doctest: +SKIP
    ...     store.save(coded)
    ...     store.events(since="2024-03", actor="RUS", code="04")

Events imported from other event data sets (GDELT, ICEWS; see
:mod:`tidings.exchange`) live in the same ``events`` table, marked by their
``provenance``; :meth:`Store.insert_imported` is their bulk entry point and
:meth:`Store.iter_records` streams events with that metadata for exports.

Reports of one event merged across sentences and articles (migration 0003)
live in the derived tables ``merged_events`` and ``event_mentions``, built by
:mod:`tidings.analytics`; :data:`EVENT_COLUMNS` and :func:`event_from_row` let
such higher layers read events with their own SQL and still get
:class:`~tidings.model.Event` records back.
"""

from __future__ import annotations

from tidings.store._codec import (
    ALL_EVENT_COLUMNS,
    CODED_PROVENANCE,
    EVENT_COLUMNS,
    FLAT_COLUMNS,
    EventRecord,
    event_from_row,
    period_bounds,
)
from tidings.store._reads import check_min_confidence, confidence_clause
from tidings.store._store import DEFAULT_DB, Store, near_clause

__all__ = [
    "ALL_EVENT_COLUMNS",
    "CODED_PROVENANCE",
    "DEFAULT_DB",
    "EVENT_COLUMNS",
    "FLAT_COLUMNS",
    "EventRecord",
    "Store",
    "check_min_confidence",
    "confidence_clause",
    "event_from_row",
    "near_clause",
    "period_bounds",
]
