"""Event rows for the API: filtered pages, one event with its context, exports.

Rows are read with explicit column lists (never ``SELECT *``) so columns
other developers add to ``events`` do not change the responses, and turned
into the README's JSONL contract shape, plus a few presentation fields (the
CAMEO label, the article's title and outlet) the dashboard needs.

Pagination is by cursor (keyset), not offset: the cursor carries the sort
key and row id of the last row sent, so a page costs the same however deep
it is and no row is sent twice.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import json
from typing import Any

from tidings.dictionaries.cameo import QUAD_CLASS_NAMES, Codebook
from tidings.web._db import Database
from tidings.web._explain import explain
from tidings.web._filters import Filters, ParameterError, where

#: Columns of the first schema, read for every event.
BASE_COLUMNS: tuple[str, ...] = (
    "event_id",
    "doc_id",
    "sentence_index",
    "source_code",
    "source_country",
    "source_agent",
    "source_text",
    "target_code",
    "target_country",
    "target_agent",
    "target_text",
    "code",
    "root_code",
    "quad_class",
    "goldstein",
    "modality",
    "trigger",
    "rule",
    "cues",
    "date",
    "date_precision",
    "date_start",
    "date_text",
    "place_text",
    "location_name",
    "location_country",
    "location_adm1",
    "location_lat",
    "location_lon",
    "location_feature_id",
    "location_type",
    "confidence",
)
#: Columns read when the store has them (later migrations).
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "provenance",
    "sentence_text",
    "source_url",
    "external_id",
    "extras",
)
#: Provenance of events coded from text by Tidings (anything else was imported).
CODED = "tidings"
_ARTICLE = ("title", "outlet", "date", "url")

#: Sort orders: name -> (key expression, direction).  Undated events sort last both ways.
SORTS: dict[str, tuple[str, str]] = {
    "date": ("coalesce(e.date_start, DATE '9999-12-31')", "ASC"),
    "-date": ("coalesce(e.date_start, DATE '0001-01-01')", "DESC"),
    "goldstein": ("e.goldstein", "ASC"),
    "-goldstein": ("e.goldstein", "DESC"),
}
#: Mentions of one event returned by the detail endpoint, and their articles.
MAX_MENTIONS = 50
MAX_CONTEXT_ARTICLES = 10


class EventQueries:
    """The event-level queries of the API over one :class:`Database`."""

    def __init__(self, db: Database, codebook: Codebook) -> None:
        self.db = db
        self.codebook = codebook
        self.columns = BASE_COLUMNS + tuple(c for c in OPTIONAL_COLUMNS if db.has("events", c))
        sentence = "s.text"
        if db.has("events", "sentence_text"):
            sentence = "coalesce(e.sentence_text, s.text)"
        self._select = (
            ", ".join(f"e.{c}" for c in self.columns)
            + f", {sentence}, "
            + ", ".join(f"a.{c}" for c in _ARTICLE)
        )
        self._joins = (
            " LEFT JOIN sentences s ON s.doc_id = e.doc_id AND s.sentence_index = e.sentence_index"
            " LEFT JOIN articles a ON a.doc_id = e.doc_id"
        )

    # -------------------------------------------------------------- shaping

    def to_json(self, row: tuple[Any, ...]) -> dict[str, Any]:
        """A row of ``self._select`` as the JSONL contract plus presentation fields."""
        n = len(self.columns)
        record = dict(zip(self.columns, row[:n], strict=True))
        sentence, *article = row[n : n + 5]
        return self.shape(record, sentence, tuple(article))

    def shape(
        self, r: dict[str, Any], sentence: str | None, article: tuple[Any, ...]
    ) -> dict[str, Any]:
        """An event record, its sentence and (title, outlet, date, url) as API JSON."""
        title, outlet, pub_date, url = article
        entry = self.codebook.get(r["code"])
        location = None
        if r["location_name"] is not None:
            location = {
                "name": r["location_name"],
                "country": r["location_country"],
                "adm1": r["location_adm1"],
                "lat": r["location_lat"],
                "lon": r["location_lon"],
                "feature_id": r["location_feature_id"],
                "type": r["location_type"],
            }
        target = None
        if r["target_code"] is not None:
            target = {
                "code": r["target_code"],
                "country": r["target_country"],
                "agent": r["target_agent"],
                "text": r["target_text"],
            }
        return {
            "event_id": r["event_id"],
            "doc_id": r["doc_id"],
            "sentence_index": r["sentence_index"],
            "sentence": sentence or "",
            "date": r["date"],
            "date_precision": r["date_precision"],
            "source": {
                "code": r["source_code"],
                "country": r["source_country"],
                "agent": r["source_agent"],
                "text": r["source_text"],
            },
            "target": target,
            "code": r["code"],
            "root_code": r["root_code"],
            "quad_class": r["quad_class"],
            "goldstein": r["goldstein"],
            "modality": r["modality"],
            "confidence": 1.0 if r["confidence"] is None else r["confidence"],
            "location": location,
            "evidence": {
                "trigger": r["trigger"],
                "rule": r["rule"],
                "cues": list(r["cues"] or ()),
                "date_text": r["date_text"],
                "place_text": r["place_text"],
            },
            "label": entry.label if entry else None,
            "quad_class_name": QUAD_CLASS_NAMES.get(r["quad_class"]),
            "provenance": r.get("provenance") or CODED,
            "origin": origin(r),
            "article": {
                "title": title,
                "outlet": outlet,
                "date": pub_date.isoformat() if pub_date else None,
                "url": url or r.get("source_url"),
            },
        }

    # ------------------------------------------------------------- listing

    def page(
        self, filters: Filters, *, sort: str, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        """One page of events, the cursor of the next one, and the total on the first page.

        Two steps, for speed on large stores: the top ``limit`` rows are
        picked on the sort key and DuckDB's ``rowid`` alone (a top-N over two
        narrow columns, several times faster than carrying every column or
        comparing event_id strings), then only those rows are read in full
        and their sentences and articles looked up.  ``rowid`` is a stable
        tie-breaker because the store is open read-only while serving.
        """
        key, direction = SORTS[sort]
        sql_where, params = where(filters)
        if cursor is not None:
            value, last_rowid = decode_cursor(cursor, sort)
            op = ">" if direction == "ASC" else "<"
            # key <= v AND (key < v OR rowid < r): the same rows as the tuple
            # comparison, in a form DuckDB filters faster.
            keyset = f"{key} {op}= ? AND ({key} {op} ? OR e.rowid {op} ?)"
            sql_where = f"{sql_where} AND {keyset}" if sql_where else f" WHERE {keyset}"
            params = [*params, value, value, last_rowid]
        columns = ", ".join(f"e.{c}" for c in self.columns)
        rows = self.db.query(
            f"WITH t AS (SELECT e.rowid AS rid, {key} AS sort_key FROM events e{sql_where} "
            f"ORDER BY sort_key {direction}, rid {direction} LIMIT ?) "
            f"SELECT {columns}, t.sort_key, t.rid FROM t JOIN events e ON e.rowid = t.rid "
            f"ORDER BY t.sort_key {direction}, t.rid {direction}",
            [*params, limit + 1],
        )
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = None
        if more and rows:
            next_cursor = encode_cursor(sort, rows[-1][-2], rows[-1][-1])
        total = None
        if cursor is None:
            base_where, base_params = where(filters)
            total = self.db.query(f"SELECT count(*) FROM events e{base_where}", base_params)[0][0]
        return {
            "events": self._with_context([row[:-2] for row in rows]),
            "next_cursor": next_cursor,
            "total": total,
            "limit": limit,
            "sort": sort,
        }

    def _with_context(self, rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
        """Rows of ``self.columns`` as API JSON, their sentences and articles looked up."""
        records = [dict(zip(self.columns, row, strict=True)) for row in rows]
        if not records:
            return []
        docs = [r["doc_id"] for r in records]
        indexes = [r["sentence_index"] for r in records]
        sentences = {
            (doc, index): text
            for doc, index, text in self.db.query(
                "SELECT s.doc_id, s.sentence_index, s.text FROM sentences s "
                "WHERE (s.doc_id, s.sentence_index) IN (SELECT unnest(?), unnest(?))",
                [docs, indexes],
            )
        }
        articles = {
            row[0]: row[1:]
            for row in self.db.query(
                "SELECT a.doc_id, a.title, a.outlet, a.date, a.url FROM articles a "
                "WHERE a.doc_id IN (SELECT unnest(?))",
                [sorted(set(docs))],
            )
        }
        return [
            self.shape(
                r,
                r.get("sentence_text") or sentences.get((r["doc_id"], r["sentence_index"])),
                articles.get(r["doc_id"], (None, None, None, None)),
            )
            for r in records
        ]

    def export_query(self, filters: Filters, limit: int) -> tuple[str, list[Any]]:
        """The export's query: matching events, oldest first, at most ``limit``."""
        sql_where, params = where(filters)
        key, direction = SORTS["date"]
        sql = (
            f"SELECT {self._select} FROM events e{self._joins}{sql_where}"
            f" ORDER BY {key} {direction}, e.event_id LIMIT ?"
        )
        return sql, [*params, limit]

    # -------------------------------------------------------------- detail

    def detail(self, event_id: str) -> dict[str, Any] | None:
        """One event, its mentions, their sentences and articles (with paragraphs)."""
        rows = self.db.query(
            f"SELECT {self._select} FROM events e{self._joins} WHERE e.event_id = ?", [event_id]
        )
        if not rows:
            return None
        event = self.to_json(rows[0])
        event["explain"] = explain(event)
        mentions = self._mentions(event)
        doc_ids = list(dict.fromkeys(m["doc_id"] for m in mentions))[:MAX_CONTEXT_ARTICLES]
        return {
            "event": event,
            "mentions": mentions,
            "articles": {doc: self.article_context(doc) for doc in doc_ids},
        }

    def _mentions(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        """Every coded report of the same happening, the event itself first.

        Tidings codes one event per sentence, so an episode reported in a
        caption and again in the body (or by several articles) is several
        events.  They are grouped here as *mentions* when they share the
        CAMEO code, the date (same first day and precision; undated events
        only mention themselves) and the unordered pair of actors, compared
        by country when known, else by code.
        """
        if event["date"] is None:
            return [event]
        ends = (
            "coalesce(e.source_country, e.source_code)",
            "coalesce(e.target_country, e.target_code, '')",
        )
        source = event["source"]["country"] or event["source"]["code"]
        target = ""
        if event["target"]:
            target = event["target"]["country"] or event["target"]["code"]
        pair = sorted([source, target])
        rows = self.db.query(
            f"SELECT {self._select} FROM events e{self._joins} WHERE e.code = ? AND e.date = ? "
            "AND e.date_precision IS NOT DISTINCT FROM ? "
            f"AND least({ends[0]}, {ends[1]}) = ? AND greatest({ends[0]}, {ends[1]}) = ? "
            "ORDER BY e.event_id = ? DESC, e.doc_id, e.sentence_index, e.event_id LIMIT ?",
            [
                event["code"],
                event["date"],
                event["date_precision"],
                pair[0],
                pair[1],
                event["event_id"],
                MAX_MENTIONS,
            ],
        )
        mentions = [self.to_json(row) for row in rows]
        return mentions or [event]

    def article_context(self, doc_id: str) -> dict[str, Any] | None:
        """An article's metadata and paragraphs, each with the offsets of its sentences."""
        rows = self.db.query(
            "SELECT doc_id, title, authors, date, url, outlet, CAST(paragraphs AS VARCHAR) "
            "FROM articles WHERE doc_id = ?",
            [doc_id],
        )
        if not rows:
            return None
        doc, title, authors, date, url, outlet, paragraphs_json = rows[0]
        sentences = self.db.query(
            "SELECT sentence_index, paragraph_index, text FROM sentences WHERE doc_id = ? "
            "ORDER BY sentence_index",
            [doc_id],
        )
        try:
            raw = json.loads(paragraphs_json or "[]")
        except ValueError:
            raw = []
        return {
            "doc_id": doc,
            "title": title,
            "authors": list(authors or ()),
            "date": date.isoformat() if isinstance(date, _dt.date) else date,
            "url": url,
            "outlet": outlet,
            "title_sentence": next((s[0] for s in sentences if s[1] == -1), None),
            "paragraphs": locate_sentences(raw, sentences),
        }


def origin(record: dict[str, Any]) -> dict[str, Any] | None:
    """Where an imported event came from, or None for an event coded from text.

    Imported events (``provenance`` like ``icews:FILE``) have no sentence,
    trigger or rule of their own; what a reader needs instead is the dataset
    and file they came from, their id there and the original fields the
    import kept (``extras``, e.g. ICEWS' event text).
    """
    provenance = record.get("provenance") or CODED
    if provenance == CODED:
        return None
    dataset, _, file = provenance.partition(":")
    fields: dict[str, Any] = {}
    raw = record.get("extras")
    if raw:
        try:
            loaded = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            loaded = {"extras": raw}
        fields = loaded if isinstance(loaded, dict) else {"extras": loaded}
    return {
        "dataset": dataset,
        "file": file or None,
        "external_id": record.get("external_id"),
        "fields": fields,
    }


def locate_sentences(
    paragraphs: list[Any], sentences: list[tuple[int, int, str]]
) -> list[dict[str, Any]]:
    """Paragraphs with ``sentences: [{index, start, end}]`` character offsets.

    The store keeps paragraphs and sentences separately; the dashboard needs
    to highlight one sentence inside its paragraph, so each sentence is found
    in its paragraph's text, left to right.  A sentence that cannot be found
    (text normalised differently) is listed without offsets.
    """
    out = []
    for index, item in enumerate(paragraphs):
        text = item.get("text", "") if isinstance(item, dict) else str(item)
        kind = item.get("kind", "body") if isinstance(item, dict) else "body"
        spans: list[dict[str, Any]] = []
        position = 0
        for s_index, p_index, s_text in sentences:
            if p_index != index:
                continue
            found = text.find(s_text.strip(), position) if s_text.strip() else -1
            if found < 0:
                spans.append({"index": s_index, "start": None, "end": None})
                continue
            end = found + len(s_text.strip())
            spans.append({"index": s_index, "start": found, "end": end})
            position = end
        out.append({"index": index, "kind": kind, "text": text, "sentences": spans})
    return out


def encode_cursor(sort: str, key: Any, rowid: int) -> str:
    """An opaque cursor: the sort order, and the sort key and rowid of the last row sent."""
    value = key.isoformat() if isinstance(key, _dt.date) else key
    raw = json.dumps([sort, value, rowid], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    """The sort key and rowid a cursor carries; ParameterError if it is not ours."""
    if len(cursor) > 400:
        raise ParameterError("cursor", "too long")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        got_sort, value, rowid = json.loads(raw)
    except (ValueError, TypeError, binascii.Error):
        raise ParameterError("cursor", "not a cursor returned by this API") from None
    if got_sort != sort:
        raise ParameterError("cursor", "was made for another sort order; start again")
    if isinstance(rowid, bool) or not isinstance(rowid, int):
        raise ParameterError("cursor", "not a cursor returned by this API")
    try:
        if sort.endswith("date"):
            return _dt.date.fromisoformat(value), rowid
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError
        return float(value), rowid
    except (TypeError, ValueError):
        raise ParameterError("cursor", "not a cursor returned by this API") from None
