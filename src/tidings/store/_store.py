"""The DuckDB event store: one file, one writer, one transaction per article.

Why DuckDB: the store is written once per article and then read in bulk by
analysts (counts, time series, exports), which is what a columnar embedded
database is good at, with no server to run.  DuckDB lets only one process
open a file read-write; rather than fight that, Tidings embraces it (one
writer, the pipeline's main process) and turns the lock error into a clear
message.

This module holds opening, saving and importing; the reads live in
:mod:`~tidings.store._reads` and the duplicate-article records in
:mod:`~tidings.store._copies`, both mixins of :class:`Store`, and opening the
file in :mod:`~tidings.store._connect`.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import duckdb

from tidings.errors import StoreError
from tidings.model import CodedArticle
from tidings.store import _codec, _schema
from tidings.store._connect import _MEMORY, _connect, _first_line
from tidings.store._copies import _StoreCopies
from tidings.store._reads import _EVENT_SELECT as _EVENT_SELECT
from tidings.store._reads import _FLAT_SELECT as _FLAT_SELECT
from tidings.store._reads import _FROM as _FROM
from tidings.store._reads import _RECORD_SELECT as _RECORD_SELECT
from tidings.store._reads import _SENTENCE as _SENTENCE
from tidings.store._reads import _flat_expression as _flat_expression
from tidings.store._reads import _StoreReads
from tidings.store._reads import near_clause as near_clause

DEFAULT_DB = "tidings.duckdb"

# Rows per multi-row INSERT.  One statement per chunk is several times faster
# than executemany (one statement per row) and keeps the parameter count of
# a single statement bounded for unusually long articles.
_CHUNK_ROWS = 100


class Store(_StoreCopies, _StoreReads):
    """Articles, sentences and coded events in a DuckDB file.

    Opening read-write creates the file if needed and applies any pending
    schema migrations; opening read-only only checks that the schema is the
    one this code understands.  Use as a context manager so the file lock is
    released promptly.  A Store (like its DuckDB connection) must not be used
    from several threads at once.
    """

    def __init__(self, path: str | Path = DEFAULT_DB, *, read_only: bool = False) -> None:
        self._read_only = read_only
        self._con: duckdb.DuckDBPyConnection | None = None
        con, self._label = _connect(path, read_only)
        try:
            self._schema_version = _schema.ensure_schema(
                con, read_only=read_only, label=self._label
            )
        except duckdb.Error as exc:
            con.close()
            raise StoreError(f"cannot read store {self._label}: {_first_line(exc)}") from None
        except BaseException:
            con.close()
            raise
        self._con = con

    @classmethod
    def for_reading(cls, path: str | Path = DEFAULT_DB) -> Store:
        """The store opened read-only, migrated first (once, read-write) if it is older.

        Readers (queries, analytics, exports) want a read-only connection so
        they cannot change the data and can run beside each other, but a
        read-only store cannot be migrated: a store written by an earlier
        Tidings is therefore upgraded in a short read-write open first.  A
        missing file is an error rather than a new empty store.
        """
        if str(path) != _MEMORY and not Path(path).exists():
            raise StoreError(f"no event store at {path} (run 'tidings code' or 'tidings import')")
        try:
            return cls(path, read_only=True)
        except StoreError as exc:
            if "older than this Tidings" not in str(exc):
                raise
        cls(path).close()
        return cls(path, read_only=True)

    # ------------------------------------------------------------- lifecycle

    def __repr__(self) -> str:
        mode = "read-only" if self._read_only else "read-write"
        state = "closed" if self._con is None else mode
        return f"Store({self._label!r}, {state})"

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
        """Release the connection (and the file lock). Safe to call twice."""
        if self._con is not None:
            self._con.close()
            self._con = None

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The underlying DuckDB connection, for queries the API does not cover.

        Writes made through it bypass the store's checks; prefer :meth:`save`.
        """
        return self._connection()

    @property
    def schema_version(self) -> int:
        """The schema version of the opened store (the latest one this code knows)."""
        return self._schema_version

    @property
    def path(self) -> str:
        """The database file as given (``":memory:"`` for an in-memory store)."""
        return self._label

    @property
    def read_only(self) -> bool:
        """Whether the store was opened read-only."""
        return self._read_only

    def release_cache(self) -> None:
        """Drop the blocks DuckDB keeps cached, as far as it can; nothing else changes.

        DuckDB keeps every block it has written or read in its buffer pool
        until it needs the room (by default up to 80% of the machine's
        memory), so a long ``tidings code`` run grew by the size of the store
        it wrote.  Lowering the memory limit makes DuckDB evict what it can
        (written blocks are on disk already; data not yet checkpointed goes
        to its temporary file); the limit is then reset at once.  A fixed low
        limit would not do: a commit that finds no room is fatal to the
        connection.  No-op when the configuration is locked (``tidings serve``).
        """
        con = self._connection()
        try:
            (locked,) = con.execute("SELECT current_setting('lock_configuration')").fetchone()
            if locked:
                return
            # Refused (the limit unchanged) when it cannot evict everything;
            # what it could evict stays evicted either way.
            with contextlib.suppress(duckdb.Error):
                con.execute("SET memory_limit = '1MB'")
            con.execute("RESET memory_limit")  # never left at 1MB: a commit would be fatal
        except duckdb.Error as exc:
            raise StoreError(f"store {self._label}: {_first_line(exc)}") from None

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise StoreError(f"store {self._label} is closed")
        return self._con

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read query; DuckDB errors become a one-line StoreError."""
        con = self._connection()
        try:
            return con.execute(sql, list(params)).fetchall()
        except duckdb.Error as exc:
            raise StoreError(f"store {self._label}: {_first_line(exc)}") from None

    # ---------------------------------------------------------------- writes

    def has_article(self, doc_id: str) -> bool:
        """Whether an article with this doc_id is already stored."""
        return bool(self._query("SELECT 1 FROM articles WHERE doc_id = ? LIMIT 1", [doc_id]))

    def save(
        self,
        coded: CodedArticle,
        *,
        content_hash: str | None = None,
        replace: bool = False,
        dedup_entry: tuple[int, bytes] | None = None,
    ) -> bool:
        """Store an article with its sentences and events, all or nothing.

        Returns False, writing nothing, when the doc_id is already stored, so
        re-running a pipeline over the same input adds nothing.  With
        ``replace`` (``tidings recode``) an article already stored has its
        sentences and coded events replaced instead, in the same transaction;
        imported events are never touched.  Any failure
        rolls back this article only (earlier saves are already committed)
        and raises StoreError.  ``content_hash`` is kept with the article for
        later duplicate detection across doc_ids; ``dedup_entry`` (the
        near-duplicate index's part for this article) is written in the same
        transaction, so the index on disk never lags the stored articles.
        """
        if self._read_only:
            raise StoreError(f"store {self._label} is open read-only; cannot save")
        con = self._connection()
        doc_id = coded.article.doc_id
        _codec.validate(coded)
        ingested_at = _dt.datetime.now(_dt.UTC).replace(tzinfo=None)
        try:
            article = _codec.article_row(coded.article, content_hash, ingested_at)
            sentences = [_codec.sentence_row(s) for s in coded.sentences]
            events = [_codec.event_row(e) for e in coded.events]
        except (ValueError, TypeError, AttributeError) as exc:
            raise StoreError(f"cannot save article {doc_id!r}: {exc}") from None
        try:
            con.begin()
        except duckdb.Error as exc:
            raise StoreError(f"cannot save article {doc_id!r}: {_first_line(exc)}") from None
        try:
            exists = con.execute(
                "SELECT 1 FROM articles WHERE doc_id = ? LIMIT 1", [doc_id]
            ).fetchall()
            if exists and not replace:
                con.rollback()
                return False
            if exists:
                old = "SELECT event_id FROM events WHERE doc_id = ?"
                if self._has_table(con, "event_mentions"):
                    con.execute(f"DELETE FROM event_mentions WHERE event_id IN ({old})", [doc_id])
                con.execute("DELETE FROM events WHERE doc_id = ?", [doc_id])
                con.execute("DELETE FROM sentences WHERE doc_id = ?", [doc_id])
                con.execute("DELETE FROM articles WHERE doc_id = ?", [doc_id])
            self._insert(con, "articles", _codec.ARTICLE_COLUMNS, [article])
            self._insert(con, "sentences", _codec.SENTENCE_COLUMNS, sentences)
            self._insert(con, "events", _codec.EVENT_COLUMNS, events)
            if dedup_entry is not None:
                self._insert_dedup_entry(con, *dedup_entry)
            con.commit()
        except duckdb.Error as exc:
            self._rollback(con)
            raise StoreError(f"cannot save article {doc_id!r}: {_first_line(exc)}") from None
        except BaseException:
            # Including KeyboardInterrupt: never leave a half-written article
            # in an open transaction that a later commit would persist.
            self._rollback(con)
            raise
        return True

    @staticmethod
    def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
        return bool(
            con.execute(
                "SELECT 1 FROM information_schema.tables WHERE table_name = ?", [name]
            ).fetchall()
        )

    @staticmethod
    def _rollback(con: duckdb.DuckDBPyConnection) -> None:
        """Roll back, ignoring the error DuckDB raises if nothing is open."""
        with contextlib.suppress(duckdb.Error):
            con.rollback()

    @staticmethod
    def _insert(
        con: duckdb.DuckDBPyConnection,
        table: str,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
    ) -> None:
        """Insert rows with multi-row VALUES statements and bound parameters.

        Only table and column names (constants of this package) are spliced
        into the SQL; every value travels as a parameter.
        """
        if not rows:
            return
        head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
        one = "(" + ", ".join("?" * len(columns)) + ")"
        for start in range(0, len(rows), _CHUNK_ROWS):
            chunk = rows[start : start + _CHUNK_ROWS]
            params = [value for row in chunk for value in row]
            con.execute(head + ", ".join([one] * len(chunk)), params)

    # ----------------------------------------------------------- bulk writes

    def insert_imported(
        self,
        select_sql: str,
        params: Sequence[Any] = (),
        *,
        source: str,
        fmt: str,
        path: str,
        rejected: int,
        version: str,
    ) -> int:
        """Insert the events a query selects, in one transaction; return how many were new.

        For importers: row-by-row inserts would be two orders of magnitude
        too slow for event files of millions of rows, so the importer stages
        and transforms the file in DuckDB and hands over a query whose
        columns are :data:`ALL_EVENT_COLUMNS`, in that order, and which
        selects each event_id at most once.  Events whose event_id is already
        stored are skipped (re-importing a file adds nothing).  The import is
        logged in ``imports`` under ``source`` (``"gdelt:FILE"``...),
        replacing an earlier entry of the same source.
        Any failure rolls the whole import back and raises StoreError.
        """
        if self._read_only:
            raise StoreError(f"store {self._label} is open read-only; cannot import")
        con = self._connection()
        columns = ", ".join(_codec.ALL_EVENT_COLUMNS)
        imported_at = _dt.datetime.now(_dt.UTC).replace(tzinfo=None)
        try:
            con.begin()
        except duckdb.Error as exc:
            raise StoreError(f"cannot import {source}: {_first_line(exc)}") from None
        try:
            # An anti-join rather than INSERT OR IGNORE, which is three times
            # slower on a table with indexes.
            (added,) = con.execute(
                f"INSERT INTO events ({columns}) SELECT * FROM ({select_sql}) "
                f"AS incoming ({columns}) WHERE NOT EXISTS "
                "(SELECT 1 FROM events old WHERE old.event_id = incoming.event_id)",
                list(params),
            ).fetchone()
            con.execute(
                "INSERT OR REPLACE INTO imports VALUES (?, ?, ?, ?, ?, ?, ?)",
                [source, fmt, path, imported_at, added, rejected, version],
            )
            con.commit()
        except duckdb.Error as exc:
            self._rollback(con)
            raise StoreError(f"cannot import {source}: {_first_line(exc)}") from None
        except BaseException:
            self._rollback(con)
            raise
        return int(added)

    def imports(self) -> list[dict[str, Any]]:
        """The import log: one dict per imported source file, oldest first."""
        names = ("source", "format", "path", "imported_at", "events", "rejected", "tidings_version")
        rows = self._query(f"SELECT {', '.join(names)} FROM imports ORDER BY imported_at, source")
        return [dict(zip(names, row, strict=True)) for row in rows]

    def setting(self, key: str) -> str | None:
        """A value of the ``settings`` table (None when unset)."""
        rows = self._query("SELECT value FROM settings WHERE key = ?", [key])
        return rows[0][0] if rows else None

    def set_setting(self, key: str, value: str | None) -> None:
        """Record a value in the ``settings`` table (e.g. the coder that wrote the events)."""
        if self._read_only:
            raise StoreError(f"store {self._label} is open read-only; cannot write settings")
        con = self._connection()
        try:
            con.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", [key, value])
        except duckdb.Error as exc:
            raise StoreError(f"store {self._label}: {_first_line(exc)}") from None
