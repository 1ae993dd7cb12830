"""``tidings.open(path)``: the event store as analysts use it from Python.

Why a facade over :class:`~tidings.store.Store`: the Store is the writer's
interface (save an article, import a file, one transaction each) and returns
model records; analysis wants filters that compose, results in pandas or
Arrow, aggregates computed by DuckDB, and a connection that cannot change
the data by accident.  :class:`EventStore` opens the store read-only by
default (an older store is migrated once first) and hands out lazy
:class:`~tidings.analytics.Query` objects.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

import duckdb

from tidings.analytics import _aftermath, _merge, _series
from tidings.analytics._filters import Table, make_filters
from tidings.analytics._query import EventQuery, Query
from tidings.analytics._series import Level, Network, Unit
from tidings.errors import StoreError
from tidings.store import DEFAULT_DB, Store


def _table(merged: bool) -> Table:
    return "merged" if merged else "events"


class EventStore:
    """Query, aggregate and merge the events of a Tidings store.

    >>> import tidings
    >>> with tidings.open("tidings.duckdb") as store:                  # doctest: +SKIP
    ...     df = store.events(actor="RUS", since="2016-01-01").df()
    ...     weekly = store.timeline("RUS", "TUR", by="week").df()

    Every query method takes the same keyword filters (all optional, all
    combined with AND): ``since``/``until`` (inclusive; a day, ``YYYY-MM`` or
    ``YYYY``), ``actor`` (code prefix on either side: ``"RUS"`` matches
    ``RUSGOV``), ``actor_code`` (exact), ``actor_country``, ``actor_agent``,
    ``actor_name`` (words in the text), ``source``/``target`` (code prefix
    on that side), ``dyad=(a, b)`` with ``directed`` (default False: either
    direction), ``code`` (CAMEO prefix), ``root`` (``"04"`` or ``4``),
    ``quad_class`` (1-4), ``modality`` (default asserted and reported; ``None``
    for all), ``place`` (words of the place), ``country`` (of the place),
    ``near=(lat, lon, km)``, ``outlet`` (the article's, case-insensitive),
    ``provenance`` (prefix: ``"tidings"``, ``"gdelt"``), ``doc_id``.  String
    filters accept a list meaning "any of these".  Aggregates also take
    ``merged=True`` to count merged events (see :meth:`merge`) instead of
    reports.
    """

    def __init__(self, path: str | Path = DEFAULT_DB, *, read_only: bool = True) -> None:
        """Open ``path`` read-only (migrating an older store first), or read-write.

        Read-only, a missing file is an error; read-write, it is created.
        """
        self._store = Store.for_reading(path) if read_only else Store(path)

    # ------------------------------------------------------------- lifecycle

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"EventStore({self._store.path!r}, {mode})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection and the file lock. Safe to call twice."""
        self._store.close()

    @property
    def path(self) -> str:
        """The database file."""
        return self._store.path

    @property
    def read_only(self) -> bool:
        """Whether the connection is read-only (the default)."""
        return self._store.read_only

    @property
    def store(self) -> Store:
        """The underlying :class:`~tidings.store.Store` (to save or import)."""
        return self._store

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection, for anything the API does not cover."""
        return self._store.connection

    def _connect(self) -> duckdb.DuckDBPyConnection:
        return self._store.connection  # raises StoreError once closed

    # ---------------------------------------------------------------- events

    def events(self, *, limit: int | None = None, **filters: Any) -> EventQuery:
        """The events (reports) matching ``filters``, as a lazy :class:`EventQuery`.

        ``.df()``/``.arrow()`` give one flat row per event (actors, codes,
        date, place, provenance, sentence, outlet); ``.iter()`` streams
        :class:`~tidings.model.Event` records; ``.count()`` counts.
        """
        query = EventQuery(self._connect, make_filters(**filters))
        return query if limit is None else query.limit(limit)

    def merged(self, *, limit: int | None = None, **filters: Any) -> Query:
        """The merged events matching ``filters`` (build them with :meth:`merge` first).

        Rows have the event columns of the root mention plus ``merged_id``,
        ``date_end``, ``first_seen``, ``num_mentions``, ``num_sources``,
        ``num_articles`` and ``confidence``; ``outlet`` and ``doc_id`` match
        any mention.  Ordered by date, then id.
        """
        flt = make_filters(**filters)
        body, params = _series._base(flt, "merged")
        sql = "SELECT e.*" + body + " ORDER BY e.date_start NULLS LAST, e.merged_id"
        if limit is not None:
            if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
                raise ValueError(f"limit must be a non-negative integer, got {limit!r}")
            sql += " LIMIT ?"
            params.append(limit)
        return Query(self._connect, sql, params)

    def mentions(self, merged_id: str) -> Query:
        """The mentions of one merged event, root first: article, sentence, outlet, confidence."""
        return Query(
            self._connect,
            "SELECT m.*, coalesce(e.sentence_text, s.text, '') AS sentence FROM event_mentions m "
            "JOIN events e ON e.event_id = m.event_id LEFT JOIN sentences s "
            "ON s.doc_id = e.doc_id AND s.sentence_index = e.sentence_index "
            "WHERE m.merged_id = ? ORDER BY m.mention_rank",
            [merged_id],
        )

    # ------------------------------------------------------------- analytics

    def timeline(
        self,
        actor: str | None = None,
        other: str | None = None,
        *,
        by: Unit = "week",
        directed: bool = False,
        normalize: bool = False,
        fill: bool = True,
        merged: bool = False,
        **filters: Any,
    ) -> Query:
        """A time series of events per ``by`` period (``day``, ``week``, ``month``).

        With one actor, the events involving it; with two, the dyad (either
        direction unless ``directed``, then ``actor`` -> ``other``); with
        none, all events.  Columns: ``period`` (its first day; weeks start on
        Monday), ``events``, ``q1``..``q4`` (per QuadClass), ``goldstein_sum``,
        ``goldstein_mean``; empty periods from ``since`` (else the first
        event) to ``until`` (else the last) are filled with zeros unless
        ``fill=False``.  Only dates as precise as the period are counted
        (month-precision dates in monthly series only).  ``normalize=True``
        adds ``articles``, the article volume of each period (articles
        published in it, plus distinct source URLs of imported events dated
        in it), and ``events_per_article``, ``q1_per_article``...,
        ``goldstein_per_article``, so busy and quiet news periods compare.
        """
        if other is not None:
            if actor is None:
                raise ValueError("give the first actor of the dyad too")
            if "dyad" in filters:
                raise ValueError("give a dyad either as two actors or as dyad=, not both")
            filters["dyad"], filters["directed"] = (actor, other), directed
        elif actor is not None:
            filters["actor"] = actor
        return _series.timeline(
            self._connect,
            make_filters(**filters),
            by=by,
            normalize=normalize,
            fill=fill,
            table=_table(merged),
        )

    def top_actors(
        self,
        n: int = 20,
        *,
        role: Literal["any", "source", "target"] = "any",
        level: Level = "code",
        merged: bool = False,
        **filters: Any,
    ) -> Query:
        """The ``n`` actors in most events (``level="country"`` groups them by country)."""
        return _series.top_actors(
            self._connect, make_filters(**filters), n, role=role, level=level, table=_table(merged)
        )

    def top_dyads(
        self,
        n: int = 20,
        *,
        directed: bool = True,
        level: Level = "code",
        merged: bool = False,
        **filters: Any,
    ) -> Query:
        """The ``n`` dyads with most events, with counts per QuadClass and Goldstein sum/mean."""
        return _series.top_dyads(
            self._connect,
            make_filters(**filters),
            n,
            directed=directed,
            level=level,
            table=_table(merged),
        )

    def event_types(self, *, merged: bool = False, **filters: Any) -> Query:
        """Events per CAMEO root code, with its label, share and mean Goldstein value."""
        return _series.event_types(self._connect, make_filters(**filters), table=_table(merged))

    def network(
        self,
        *,
        by: Literal["event", "article"] = "event",
        level: Level = "code",
        min_weight: int = 1,
        merged: bool = False,
        **filters: Any,
    ) -> Network:
        """The co-occurrence network of actors (in one event, or ``by="article"``).

        Returns a :class:`Network` with lazy ``nodes`` and ``edges`` queries
        and ``to_networkx()``.
        """
        return _series.network(
            self._connect,
            make_filters(**filters),
            by=by,
            level=level,
            min_weight=min_weight,
            table=_table(merged),
        )

    def aftermath(
        self,
        *,
        date: str | None = None,
        event: str | None = None,
        dyad: tuple[str, str] | None = None,
        actor: str | None = None,
        both_ways: bool = False,
        before: str | int = "26w",
        after: str | int = "8w",
        by: Unit = "week",
        merged: bool = False,
        placebo: bool = True,
        **filters: Any,
    ) -> _aftermath.Aftermath:
        """An event study: how ``dyad`` (or ``actor`` with everyone) changed after a trigger.

        The trigger is a ``date`` or an ``event`` id; windows are ``"26w"``,
        ``"180d"``, ``"6m"`` or a number of ``by`` periods.  Returns an
        :class:`~tidings.analytics.Aftermath` (``.rows``, ``.df()``,
        ``.to_dict()``); see :mod:`tidings.analytics._aftermath`.
        """
        return _aftermath.aftermath(
            self._connect,
            date=date,
            event=event,
            dyad=dyad,
            actor=actor,
            both_ways=both_ways,
            before=before,
            after=after,
            by=by,
            table=_table(merged),
            placebo=placebo,
            **filters,
        )

    def stats(self) -> dict[str, Any]:
        """Counts of the store: articles, sentences, events by modality, root and provenance.

        ``provenance`` groups events by origin (``tidings``, ``gdelt``,
        ``icews``...: the part before ``:``), ``first_date``/``last_date`` span
        the dated events, and ``merge`` says whether merged events were built,
        with which rule, and how many events are not merged yet.
        """
        con = self._connect()

        def grouped(expr: str) -> dict[str, int]:
            rows = con.execute(
                f"SELECT {expr} AS k, count(*) FROM events e GROUP BY k ORDER BY k NULLS LAST"
            ).fetchall()
            return {str(k): int(n) for k, n in rows}

        counts = self._store.counts()
        (first, last, undated) = con.execute(
            "SELECT min(date_start), max(date_start), count(*) FILTER (date_start IS NULL) "
            "FROM events"
        ).fetchall()[0]
        return {
            "path": self.path,
            "schema_version": self._store.schema_version,
            **counts,
            "first_date": first,
            "last_date": last,
            "undated": int(undated),
            "modality": grouped("e.modality"),
            "root": grouped("e.root_code"),
            "provenance": grouped("split_part(coalesce(e.provenance, 'tidings'), ':', 1)"),
            "merge": _merge.merge_state(self._store),
        }

    # ------------------------------------------------------------- merge, SQL

    def merge(
        self, *, window: int = 1, modality: _merge.ModalityRule = "grouped", update: bool = False
    ) -> _merge.MergeSummary:
        """Merge reports of the same event (needs ``tidings.open(path, read_only=False)``).

        Rebuilds ``merged_events`` and ``event_mentions`` under the rule of
        :mod:`tidings.analytics` with ``window`` days and ``modality`` matching;
        ``update=True`` instead merges only events added since the last merge,
        with the rule recorded then (window and modality are then ignored; a
        store never merged is merged in full).
        """
        if self.read_only:
            raise StoreError("merging writes to the store: open it with read_only=False")
        if update:
            summary = _merge.update_merged(self._store)
            if summary is not None:
                return summary
        return _merge.rebuild_merged(self._store, _merge.MergeRule(window, modality))

    def sql(self, query: str, params: Any = None) -> Query:
        """Raw SQL for power users, with ``?`` (or ``$name``) parameters bound from ``params``.

        Runs on the store's connection, read-only unless the store was
        opened with ``read_only=False``.  Tables: ``articles``, ``sentences``,
        ``events``, ``merged_events``, ``event_mentions``, ``imports``.
        """
        return Query(self._connect, query, params or ())


def open_store(path: str | Path = DEFAULT_DB, *, read_only: bool = True) -> EventStore:
    """Open a Tidings store for analysis (what ``tidings.open`` returns)."""
    return EventStore(path, read_only=read_only)
