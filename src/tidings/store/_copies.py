"""Duplicate articles: recorded copies and the near-duplicate detector's state.

Part of :mod:`tidings.store._store` (migration 0004): an article already seen
in another outlet is recorded as a copy of the stored one rather than coded
again, and the MinHash detector's state is saved so that it persists across
runs.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import duckdb

from tidings.errors import StoreError
from tidings.model import Article

#: Key prefix of per-article index entries in ``dedup_state``.
_ENTRY = "entry:"


class _StoreCopies:
    """The duplicate-article methods of :class:`~tidings.store.Store` (a mixin).

    The store provides the connection, :meth:`_query`, :meth:`has_article`,
    ``_label`` and ``_read_only``.
    """

    if TYPE_CHECKING:
        _label: str
        _read_only: bool

        def _connection(self) -> duckdb.DuckDBPyConnection: ...

        def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

        def has_article(self, doc_id: str) -> bool: ...

    def is_copy(self, doc_id: str) -> bool:
        """Whether ``doc_id`` was recorded as a copy of a stored article."""
        rows = self._query("SELECT 1 FROM article_copies WHERE doc_id = ? LIMIT 1", [doc_id])
        return bool(rows)

    def record_copy(
        self,
        article: Article,
        original_doc_id: str,
        kind: str,
        similarity: float | None,
        *,
        dedup_entry: tuple[int, bytes] | None = None,
    ) -> bool:
        """Record ``article`` as a copy of ``original_doc_id`` (not coded); False if known.

        ``dedup_entry`` (see :meth:`Store.save`) is written in the same transaction.
        """
        if self._read_only:
            raise StoreError(f"store {self._label} is open read-only; cannot save")
        con = self._connection()
        if self.is_copy(article.doc_id) or self.has_article(article.doc_id):
            return False
        try:
            con.begin()
            self._insert_copy(con, article, original_doc_id, kind, similarity)
            if dedup_entry is not None:
                self._insert_dedup_entry(con, *dedup_entry)
            con.commit()
        except duckdb.Error as exc:
            with contextlib.suppress(duckdb.Error):
                con.rollback()
            raise StoreError(
                f"cannot record copy {article.doc_id!r}: {str(exc).splitlines()[0]}"
            ) from None
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.rollback()
            raise
        return True

    @staticmethod
    def _insert_dedup_entry(con, position: int, entry: bytes) -> None:
        """One article's part of the near-duplicate index, keyed by its position in it.

        Kept in ``dedup_state`` under ``entry:<position>`` (no schema change);
        :meth:`save_dedup_state` folds them into the whole state at a run's end.
        """
        con.execute(
            "INSERT OR REPLACE INTO dedup_state (key, state, updated_at) VALUES (?, ?, ?)",
            [f"{_ENTRY}{position:012d}", entry, _dt.datetime.now(_dt.UTC).replace(tzinfo=None)],
        )

    def dedup_entries(self) -> list[tuple[int, bytes]]:
        """Index entries written since the whole state was last saved, by position."""
        rows = self._query(
            "SELECT key, state FROM dedup_state WHERE starts_with(key, ?) ORDER BY key", [_ENTRY]
        )
        return [(int(key[len(_ENTRY) :]), bytes(state)) for key, state in rows]

    @staticmethod
    def _insert_copy(con, article: Article, original_doc_id: str, kind: str, similarity) -> None:
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
        try:
            con.begin()
            con.execute(
                "INSERT OR REPLACE INTO dedup_state (key, state, updated_at) "
                "VALUES ('minhash', ?, ?)",
                [state, _dt.datetime.now(_dt.UTC).replace(tzinfo=None)],
            )
            con.execute("DELETE FROM dedup_state WHERE starts_with(key, ?)", [_ENTRY])
            con.commit()
        except duckdb.Error as exc:
            with contextlib.suppress(duckdb.Error):
                con.rollback()
            raise StoreError(f"store {self._label}: {str(exc).splitlines()[0]}") from None
