"""Streaming downloads of filtered events as JSONL or CSV.

Exports stream in batches so a capped download of a hundred thousand events
never sits whole in memory.  JSONL lines follow the README's event contract
(plus the presentation fields of the API); CSV flattens the same fields, one
column per leaf.  CSV cells of free text that a spreadsheet would read as a
formula (leading ``=``, ``+``, ``-``, ``@``) are prefixed with an apostrophe:
the text comes from news articles, which the analyst did not write.

A query that fails once the response has started (a 200 status and some rows
already sent) cannot become an HTTP error any more; the stream then raises
:class:`ExportAborted`, the server drops the connection without the final
chunk, so the client sees an incomplete transfer rather than a complete-looking
file, and the server logs one line (see :mod:`tidings.web._server`).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterator, Sequence
from typing import Any

from tidings.web._db import Database
from tidings.web._events import EventQueries

EXPORT_FORMATS = ("jsonl", "csv")


class ExportAborted(Exception):
    """An export failed after its response had started; the message is one log line."""


#: CSV columns: (header, path into the event dict, free text?).
CSV_COLUMNS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("event_id", ("event_id",), False),
    ("doc_id", ("doc_id",), False),
    ("sentence_index", ("sentence_index",), False),
    ("date", ("date",), False),
    ("date_precision", ("date_precision",), False),
    ("source_code", ("source", "code"), False),
    ("source_country", ("source", "country"), False),
    ("source_agent", ("source", "agent"), False),
    ("source_text", ("source", "text"), True),
    ("target_code", ("target", "code"), False),
    ("target_country", ("target", "country"), False),
    ("target_agent", ("target", "agent"), False),
    ("target_text", ("target", "text"), True),
    ("code", ("code",), False),
    ("root_code", ("root_code",), False),
    ("label", ("label",), False),
    ("quad_class", ("quad_class",), False),
    ("goldstein", ("goldstein",), False),
    ("modality", ("modality",), False),
    ("location_name", ("location", "name"), True),
    ("location_country", ("location", "country"), False),
    ("location_lat", ("location", "lat"), False),
    ("location_lon", ("location", "lon"), False),
    ("trigger", ("evidence", "trigger"), True),
    ("rule", ("evidence", "rule"), False),
    ("cues", ("evidence", "cues"), True),
    ("date_text", ("evidence", "date_text"), True),
    ("place_text", ("evidence", "place_text"), True),
    ("sentence", ("sentence",), True),
    ("article_title", ("article", "title"), True),
    ("outlet", ("article", "outlet"), True),
    ("url", ("article", "url"), True),
    ("provenance", ("provenance",), False),
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _get(event: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = event
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def csv_cell(value: Any, free_text: bool) -> Any:
    """A CSV cell: lists joined by ``;``, None empty, formula-looking text defused."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = ";".join(str(v) for v in value)
    if free_text and isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_stream(
    db: Database,
    events: EventQueries,
    sql: str,
    params: Sequence[Any],
    fmt: str,
    *,
    batches: tuple[list | None, Iterator[list]] | None = None,
) -> Iterator[bytes]:
    """The encoded export, one chunk per fetched batch.

    ``batches`` is a stream the caller already started, as (first batch or
    None, the rest): the caller learns of a failing query before it answers.
    """
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([name for name, _, _ in CSV_COLUMNS])
        yield buffer.getvalue().encode()
    if batches is None:
        stream: Iterator[list] = db.stream(sql, params)
    else:
        first, rest = batches
        stream = itertools.chain([first] if first else [], rest)
    sent = 0
    try:
        for chunk, rows in _encoded(stream, events, fmt):
            yield chunk
            sent += rows
    except Exception as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise ExportAborted(f"export aborted after {sent} events: {reason}") from exc


def _encoded(stream: Iterator[list], events: EventQueries, fmt: str) -> Iterator[tuple[bytes, int]]:
    """(encoded chunk, rows in it), one per fetched batch."""
    for batch in stream:
        if fmt == "jsonl":
            lines = (json.dumps(events.to_json(row), ensure_ascii=False) for row in batch)
            yield ("\n".join(lines) + "\n").encode(), len(batch)
            continue
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for row in batch:
            event = events.to_json(row)
            writer.writerow([csv_cell(_get(event, p), text) for _, p, text in CSV_COLUMNS])
        yield buffer.getvalue().encode(), len(batch)
