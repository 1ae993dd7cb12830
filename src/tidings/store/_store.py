"""The DuckDB event store: one file, one writer, one transaction per article.

Why DuckDB: the store is written once per article and then read in bulk by
analysts (counts, time series, exports), which is what a columnar embedded
database is good at, with no server to run.  DuckDB lets only one process
open a file read-write; rather than fight that, Tidings embraces it (one
writer, the pipeline's main process) and turns the lock error into a clear
message.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import duckdb

from tidings.errors import StoreError
from tidings.model import Article, CodedArticle, Event, Sentence
from tidings.store import _codec, _schema
from tidings.store._codec import EventRecord

DEFAULT_DB = "tidings.duckdb"

_MEMORY = ":memory:"

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

# Rows per multi-row INSERT.  One statement per chunk is several times faster
# than executemany (one statement per row) and keeps the parameter count of
# a single statement bounded for unusually long articles.
_CHUNK_ROWS = 100


def _first_line(exc: BaseException) -> str:
    """A DuckDB message on one line (they often append hints and links)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _connect(path: str | Path, read_only: bool) -> tuple[duckdb.DuckDBPyConnection, str]:
    """Open the database, translating DuckDB's errors into StoreError.

    Returns the connection and the label used in messages.  DuckDB itself
    refuses to open a file that is not a database without modifying it; the
    checks here only make the common failures read well.
    """
    if str(path) == _MEMORY:
        if read_only:
            raise StoreError("an in-memory store cannot be opened read-only")
        return duckdb.connect(_MEMORY), _MEMORY
    file = Path(path)
    label = str(file)
    if file.is_dir():
        raise StoreError(f"{label} is a directory, not a database file")
    if read_only and not file.exists():
        raise StoreError(f"database {label} does not exist")
    try:
        return duckdb.connect(label, read_only=read_only), label
    except duckdb.IOException as exc:
        message = str(exc)
        if "lock" in message.lower():
            raise StoreError(f"database {label} is in use by another process") from None
        if "not a valid DuckDB database" in message:
            raise StoreError(f"{label} is not a DuckDB database; refusing to open it") from None
        raise StoreError(f"cannot open database {label}: {_first_line(exc)}") from None
    except duckdb.ConnectionException as exc:
        if "different configuration" in str(exc):
            raise StoreError(
                f"database {label} is already open in this process in "
                f"{'read-write' if read_only else 'read-only'} mode"
            ) from None
        raise StoreError(f"cannot open database {label}: {_first_line(exc)}") from None
    except duckdb.Error as exc:
        raise StoreError(f"cannot open database {label}: {_first_line(exc)}") from None


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


class Store:
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
        self, coded: CodedArticle, *, content_hash: str | None = None, replace: bool = False
    ) -> bool:
        """Store an article with its sentences and events, all or nothing.

        Returns False, writing nothing, when the doc_id is already stored, so
        re-running a pipeline over the same input adds nothing.  With
        ``replace`` (``tidings recode``) an article already stored has its
        sentences and coded events replaced instead, in the same transaction;
        imported events are never touched.  Any failure
        rolls back this article only (earlier saves are already committed)
        and raises StoreError.  ``content_hash`` is kept with the article for
        later duplicate detection across doc_ids.
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

    # -- duplicate articles ----------------------------------------------------

    def is_copy(self, doc_id: str) -> bool:
        """Whether ``doc_id`` was recorded as a copy of a stored article."""
        rows = self._query("SELECT 1 FROM article_copies WHERE doc_id = ? LIMIT 1", [doc_id])
        return bool(rows)

    def record_copy(
        self, article: Article, original_doc_id: str, kind: str, similarity: float | None
    ) -> bool:
        """Record ``article`` as a copy of ``original_doc_id`` (not coded); False if known."""
        if self._read_only:
            raise StoreError(f"store {self._label} is open read-only; cannot save")
        con = self._connection()
        if self.is_copy(article.doc_id) or self.has_article(article.doc_id):
            return False
        con.execute(
            "INSERT INTO article_copies (doc_id, original_doc_id, kind, similarity, title, "
            "outlet, url, date, source, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                article.doc_id,
                original_doc_id,
                kind,
                similarity,
                article.title,
                article.outlet,
                article.url,
                article.date,
                article.source,
                _dt.datetime.now(_dt.UTC).replace(tzinfo=None),
            ],
        )
        return True

    def copies(self, original_doc_id: str | None = None) -> list[dict[str, Any]]:
        """Recorded copies (of one article, or all), oldest first."""
        sql = (
            "SELECT doc_id, original_doc_id, kind, similarity, title, outlet, url, date, source "
            "FROM article_copies"
        )
        params: list[Any] = []
        if original_doc_id is not None:
            sql += " WHERE original_doc_id = ?"
            params.append(original_doc_id)
        names = (
            "doc_id",
            "original_doc_id",
            "kind",
            "similarity",
            "title",
            "outlet",
            "url",
            "date",
            "source",
        )
        rows = self._query(sql + " ORDER BY recorded_at, doc_id", params)
        return [dict(zip(names, row, strict=True)) for row in rows]

    def dedup_state(self) -> bytes | None:
        """The saved state of the near-duplicate detector, if any."""
        rows = self._query("SELECT state FROM dedup_state WHERE key = 'minhash'")
        return bytes(rows[0][0]) if rows else None

    def save_dedup_state(self, state: bytes) -> None:
        if self._read_only:
            raise StoreError(f"store {self._label} is open read-only; cannot save")
        con = self._connection()
        con.execute(
            "INSERT OR REPLACE INTO dedup_state (key, state, updated_at) VALUES ('minhash', ?, ?)",
            [state, _dt.datetime.now(_dt.UTC).replace(tzinfo=None)],
        )

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

    # ----------------------------------------------------------------- reads

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
        every GDELT import).  ``modalities=None`` means all.  Ordered by
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
        limit: int | None = None,
    ) -> tuple[str, list[Any]] | None:
        """The filtered, ordered query over ``select``; None when it cannot match."""
        where: list[str] = []
        params: list[Any] = []
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
