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
"""

from __future__ import annotations

from tidings.store._codec import (
    ALL_EVENT_COLUMNS,
    CODED_PROVENANCE,
    FLAT_COLUMNS,
    EventRecord,
    period_bounds,
)
from tidings.store._store import DEFAULT_DB, Store

__all__ = [
    "ALL_EVENT_COLUMNS",
    "CODED_PROVENANCE",
    "DEFAULT_DB",
    "FLAT_COLUMNS",
    "EventRecord",
    "Store",
    "period_bounds",
]
