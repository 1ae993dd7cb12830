"""Read-only access to the event store for the HTTP app, with time limits.

Why not call :class:`tidings.store.Store` query methods directly: the web app
needs aggregates the store does not offer, must bound how long any query may
run, and serves requests from a thread pool while a DuckDB connection must
not be shared between threads.  So the store is opened once, read-only, its
configuration is locked with file access disabled (no query can reach the
file system, whatever it says), and every query runs on its own cursor (a
DuckDB connection to the same database, safe to use from one thread) that a
timer interrupts when the query runs too long.

Results are cached (see :class:`_ResultCache`): while the app holds the store
open read-only, DuckDB's file lock keeps every writer out, so a query with the
same parameters gives the same rows for as long as this Database lives, and a
dashboard asks the same aggregates (totals, timelines, the actor network) on
every load.  The cache lives and dies with the opened store, so it is keyed by
that store's state without any version bookkeeping.

Queries are built from package constants only; every value arrives as a bound
parameter.  Optional columns (added by later migrations, e.g. ``provenance``)
are discovered once so the queries work with and without them.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from tidings.errors import StoreError
from tidings.store import Store

T = TypeVar("T")

#: Default wall-clock limit of one query, in seconds.
DEFAULT_TIMEOUT = 5.0


class QueryTimeout(Exception):
    """A query ran longer than its time limit and was interrupted."""


class QueryFailed(Exception):
    """DuckDB refused a query (a bug or an unexpected schema, never user input)."""


class _ResultCache:
    """Least recently used query results, bounded by entries and by size.

    A result's size is estimated from its cells (text by its length, other
    values at a flat rate).  Results over ``max_bytes`` are not kept (the
    capped pages and aggregates the API answers are far smaller); at most
    ``max_entries`` results of ``total_bytes`` in all are, so memory stays
    bounded whatever the clients ask.
    """

    def __init__(
        self,
        max_entries: int = 1024,
        max_bytes: int = 2 << 20,
        total_bytes: int = 32 << 20,
    ) -> None:
        self.max_entries, self.max_bytes, self.total_bytes = max_entries, max_bytes, total_bytes
        self._items: OrderedDict[Hashable, tuple[list[tuple[Any, ...]], int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    @staticmethod
    def key(sql: str, params: Sequence[Any]) -> Hashable | None:
        """The cache key of a query, or None if a parameter cannot be part of one."""
        frozen = tuple(tuple(p) if isinstance(p, list) else p for p in params)
        try:
            hash(frozen)
        except TypeError:
            return None
        # The type goes in too: 1 == 1.0 == True as keys, not as DuckDB values.
        return sql, frozen, tuple(type(p) for p in params)

    @staticmethod
    def size(rows: list[tuple[Any, ...]]) -> int:
        """Roughly the bytes ``rows`` hold."""
        return sum(
            56 + sum(len(v) + 49 if isinstance(v, str | bytes) else 32 for v in row) for row in rows
        )

    def get(self, key: Hashable) -> list[tuple[Any, ...]] | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return list(item[0])  # the caller's copy: callers may sort or extend it

    def put(self, key: Hashable, rows: list[tuple[Any, ...]]) -> None:
        size = self.size(rows)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (list(rows), size)
            self._bytes += size
            while len(self._items) > self.max_entries or self._bytes > self.total_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class Database:
    """A read-only store shared by the request threads.

    ``timeout`` bounds every query (seconds); streaming exports get
    ``stream_timeout`` for the whole stream.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        stream_timeout: float = 60.0,
    ) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.stream_timeout = stream_timeout
        self._store = Store(path, read_only=True)
        self._lock = threading.Lock()
        self.cache = _ResultCache()
        try:
            con = self._store.connection
            # Defence in depth: even a query this module got wrong cannot
            # read or write files, attach databases or load extensions.
            # DuckDB shares one instance per file within a process, so a
            # second app over the same file finds the settings already made.
            external, locked = con.execute(
                "SELECT current_setting('enable_external_access'), "
                "current_setting('lock_configuration')"
            ).fetchone()
            if external:
                con.execute("SET enable_external_access = false")
            if not locked:
                con.execute("SET lock_configuration = true")
            self.schema_version = self._store.schema_version
            self.columns = self._columns(con)
        except (duckdb.Error, StoreError) as exc:
            self._store.close()
            raise StoreError(f"cannot serve {path}: {_first_line(exc)}") from None

    @staticmethod
    def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, frozenset[str]]:
        rows = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_name IN ('events', 'articles', 'sentences')"
        ).fetchall()
        found: dict[str, set[str]] = {}
        for table, column in rows:
            found.setdefault(table, set()).add(column)
        return {table: frozenset(names) for table, names in found.items()}

    def has(self, table: str, column: str) -> bool:
        """Whether the opened store has this column (optional ones vary by schema version)."""
        return column in self.columns.get(table, frozenset())

    def close(self) -> None:
        self._store.close()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        # Creating a cursor touches the shared connection: serialise that step.
        with self._lock:
            return self._store.connection.cursor()

    @contextlib.contextmanager
    def _bounded_cursor(self, seconds: float) -> Iterator[duckdb.DuckDBPyConnection]:
        """A fresh cursor, interrupted after ``seconds``; DuckDB's errors become
        :class:`QueryTimeout` / :class:`QueryFailed` (one line), and the cursor is closed."""
        cur = self._cursor()
        timer = threading.Timer(seconds, cur.interrupt)
        timer.daemon = True
        timer.start()
        try:
            yield cur
        except duckdb.InterruptException:
            raise QueryTimeout("the query took too long and was stopped") from None
        except duckdb.Error as exc:
            raise QueryFailed(_first_line(exc)) from None
        finally:
            timer.cancel()
            with contextlib.suppress(duckdb.Error):
                cur.close()

    def read(self, work: Callable[[Callable[[], Any]], T], *, timeout: float | None = None) -> T:
        """Run ``work(connect)`` on a fresh cursor (``connect()`` returns it), stopped after
        ``timeout`` seconds like :meth:`query`: for analytics that issue their own queries."""
        with self._bounded_cursor(self.timeout if timeout is None else timeout) as cur:
            return work(lambda: cur)

    def query(
        self, sql: str, params: Sequence[Any] = (), *, timeout: float | None = None
    ) -> list[tuple[Any, ...]]:
        """Run one read query on a fresh cursor; interrupt it after ``timeout`` seconds.

        The result of an earlier run of the same query is answered from the cache.
        """
        key = self.cache.key(sql, params)
        if key is not None and (cached := self.cache.get(key)) is not None:
            return cached
        rows = self._run(sql, params, timeout)
        if key is not None:
            self.cache.put(key, rows)
        return rows

    def _run(self, sql: str, params: Sequence[Any], timeout: float | None) -> list[tuple[Any, ...]]:
        with self._bounded_cursor(self.timeout if timeout is None else timeout) as cur:
            return cur.execute(sql, list(params)).fetchall()

    def stream(
        self, sql: str, params: Sequence[Any] = (), *, batch_size: int = 2000
    ) -> Iterator[list[tuple[Any, ...]]]:
        """Batches of a query's rows, the whole stream bounded by ``stream_timeout``.

        A stream that times out raises :class:`QueryTimeout`, as one that
        fails raises :class:`QueryFailed`, whether before the first batch or
        after some: ending quietly would make a cut-off export look complete.
        """
        with self._bounded_cursor(self.stream_timeout) as cur:
            result = cur.execute(sql, list(params))
            while batch := result.fetchmany(batch_size):
                yield batch
