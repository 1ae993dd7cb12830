"""Lazy query results: SQL plus parameters, run only when rows are asked for.

Why lazy: an analyst usually decides the shape of the result (a pandas
DataFrame, an Arrow table, a stream of :class:`~tidings.model.Event`) after
building the query, and a query over millions of events should be run once,
straight into that shape, rather than materialised as Python objects first.
A :class:`Query` is therefore just the SQL text and its bound parameters;
``.df()``, ``.arrow()``, ``.records()`` and ``.iter()`` run it.  pandas and
pyarrow are imported only by the methods that need them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import duckdb

from tidings.analytics._filters import Filters, compile_where, from_clause, where_sql
from tidings.errors import StoreError
from tidings.model import Event
from tidings.store import EVENT_COLUMNS, event_from_row

if TYPE_CHECKING:
    import pandas
    import pyarrow

#: The connection a query runs on, asked for at run time (the store may be closed).
Connect = Callable[[], duckdb.DuckDBPyConnection]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class Query:
    """A parameterised SQL query over the store, not yet run.

    ``sql`` and ``params`` are public so the query can be inspected, logged
    or reused in hand-written SQL.  Every value in ``params`` is bound by
    DuckDB, never spliced into the text.
    """

    def __init__(
        self, connect: Connect, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
    ) -> None:
        self._connect = connect
        self.sql = sql
        self.params: tuple[Any, ...] | dict[str, Any] = (
            dict(params) if isinstance(params, Mapping) else tuple(params)
        )

    def _bound(self) -> list[Any] | dict[str, Any]:
        return self.params if isinstance(self.params, dict) else list(self.params)

    def __repr__(self) -> str:
        head = " ".join(self.sql.split())
        return f"<{type(self).__name__}: {head[:100]}{'...' if len(head) > 100 else ''}>"

    def _run(self, convert: Callable[[duckdb.DuckDBPyRelation], Any]) -> Any:
        """Run on a cursor of its own and convert the whole result before closing it.

        A cursor (a second connection to the same database, cheap) keeps the
        query independent of whatever else uses the store's connection,
        including a half-read result there, and of this query's own batches.
        """
        cursor = self._connect().cursor()
        try:
            return convert(cursor.sql(self.sql, params=self._bound()))
        except duckdb.Error as exc:
            raise StoreError(f"query failed: {_first_line(exc)}") from None
        finally:
            cursor.close()

    def df(self) -> pandas.DataFrame:
        """The result as a pandas DataFrame (needs pandas, which Tidings does not install)."""
        try:
            import pandas  # noqa: F401  (DuckDB's own message would not say how to fix it)
        except ImportError:
            raise ImportError("Query.df() needs pandas: pip install pandas") from None
        return self._run(lambda rel: rel.df())

    def arrow(self) -> pyarrow.Table:
        """The result as a pyarrow Table (needs pyarrow)."""

        def convert(rel: duckdb.DuckDBPyRelation) -> pyarrow.Table:
            # DuckDB 1.x calls it fetch_arrow_table(); 2.x to_arrow_table().
            method = getattr(rel, "to_arrow_table", None) or rel.fetch_arrow_table
            return method()

        return self._run(convert)

    def rows(self) -> list[tuple[Any, ...]]:
        """The result as a list of tuples."""
        return self._run(lambda rel: rel.fetchall())

    def columns(self) -> list[str]:
        """The names of the result's columns (runs nothing but the planner)."""
        return self._run(lambda rel: list(rel.columns))

    def records(self) -> list[dict[str, Any]]:
        """The result as a list of ``{column: value}`` dicts."""

        def convert(rel: duckdb.DuckDBPyRelation) -> list[dict[str, Any]]:
            names = list(rel.columns)
            return [dict(zip(names, row, strict=True)) for row in rel.fetchall()]

        return self._run(convert)

    def count(self) -> int:
        """How many rows the query returns."""
        inner = Query(self._connect, f"SELECT count(*) FROM ({self.sql}) AS counted", self.params)
        return int(inner.rows()[0][0])

    def _batches(self, batch_size: int) -> Iterator[tuple[list[str], list[tuple[Any, ...]]]]:
        """Rows ``batch_size`` at a time, on a cursor of their own.

        A separate cursor lets the caller run other queries on the store
        while iterating, which would otherwise cancel this result.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, got {batch_size!r}")
        cursor = self._connect().cursor()
        try:
            result = cursor.execute(self.sql, self._bound())
            names = [d[0] for d in result.description or ()]
            while batch := result.fetchmany(batch_size):
                yield names, batch
        except duckdb.Error as exc:
            raise StoreError(f"query failed: {_first_line(exc)}") from None
        finally:
            cursor.close()

    def iter(self, batch_size: int = 5000) -> Iterator[Any]:
        """Stream the rows as dicts, fetching ``batch_size`` at a time."""
        for names, batch in self._batches(batch_size):
            for row in batch:
                yield dict(zip(names, row, strict=True))

    def __iter__(self) -> Iterator[Any]:
        return self.iter()


#: What an event query's DataFrame and Arrow table hold: the flat layout of
#: the CSV/Parquet exports, then the article's outlet, URL and date.
_FRAME_COLUMNS = (
    "e.event_id",
    "e.doc_id",
    "e.sentence_index",
    "coalesce(e.sentence_text, s.text, '') AS sentence",
    "e.date",
    "e.date_precision",
    "e.date_start",
    "e.source_code",
    "e.source_country",
    "e.source_agent",
    "e.source_text",
    "e.target_code",
    "e.target_country",
    "e.target_agent",
    "e.target_text",
    "e.code",
    "e.root_code",
    "e.quad_class",
    "e.goldstein",
    "e.modality",
    "e.trigger",
    "e.rule",
    "e.location_name",
    "e.location_country",
    "e.location_lat",
    "e.location_lon",
    "e.location_feature_id",
    "coalesce(e.provenance, 'tidings') AS provenance",
    "a.outlet",
    "coalesce(a.url, e.source_url) AS url",
    "a.date AS published",
)
_EVENT_FROM = (
    " FROM events e LEFT JOIN sentences s"
    " ON s.doc_id = e.doc_id AND s.sentence_index = e.sentence_index"
    " LEFT JOIN articles a ON a.doc_id = e.doc_id"
)
_ORDER = " ORDER BY e.date_start NULLS LAST, e.doc_id, e.sentence_index, e.event_id"


class EventQuery(Query):
    """Events matching filters: ``.df()``/``.arrow()`` give flat rows, ``.iter()`` Events.

    Built by :meth:`EventStore.events`; ``.limit(n)`` returns a narrower
    query.  Ordered by event date (undated last), article, sentence.
    """

    def __init__(self, connect: Connect, filters: Filters, *, limit: int | None = None) -> None:
        self._filters = filters
        self._limit = limit
        conditions, self._where_params = compile_where(filters)
        self._where = where_sql(conditions)
        sql = "SELECT " + ", ".join(_FRAME_COLUMNS) + _EVENT_FROM + self._where + _ORDER
        super().__init__(connect, *self._limited(sql, self._where_params))

    def _limited(self, sql: str, params: Sequence[Any]) -> tuple[str, tuple[Any, ...]]:
        if self._limit is None:
            return sql, tuple(params)
        return sql + " LIMIT ?", (*params, self._limit)

    def limit(self, n: int) -> EventQuery:
        """The same query returning at most ``n`` events."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"limit must be a non-negative integer, got {n!r}")
        return EventQuery(self._connect, self._filters, limit=n)

    def count(self) -> int:
        """How many events match (without fetching them)."""
        sql = "SELECT 1" + from_clause(self._filters) + self._where
        if self._limit is not None:
            sql += " LIMIT ?"
        params = (*self._where_params, *(() if self._limit is None else (self._limit,)))
        return int(Query(self._connect, f"SELECT count(*) FROM ({sql})", params).rows()[0][0])

    def iter(self, batch_size: int = 5000) -> Iterator[Event]:  # type: ignore[override]
        """Stream the matching events as :class:`~tidings.model.Event` records."""
        select = ", ".join(f"e.{name}" for name in EVENT_COLUMNS)
        sql = (
            f"SELECT {select}, coalesce(e.sentence_text, s.text, '')"
            + _EVENT_FROM
            + self._where
            + _ORDER
        )
        query = Query(self._connect, *self._limited(sql, self._where_params))
        for _names, batch in query._batches(batch_size):
            yield from (event_from_row(row) for row in batch)

    def to_list(self) -> list[Event]:
        """All matching events as a list of :class:`~tidings.model.Event`."""
        return list(self.iter())
