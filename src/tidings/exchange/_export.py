"""``export_events``: stored events out, in the formats other event-data tools read.

Every format streams from :meth:`Store.iter_records` (or ``iter_flat``), so
exporting millions of events needs little memory.  Lossless formats (JSONL,
Parquet) carry every field of an event, including where it came from, and
import back unchanged; CSV has the same columns as Parquet for spreadsheet
users; GDELT, ICEWS, GEXF and GeoJSON carry what those formats can hold.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as _dt
import io
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tidings.dictionaries.cameo import load_codebook
from tidings.errors import InputError, StoreError
from tidings.exchange import _network, _tables
from tidings.exchange._stamp import IdMap, Stamp, dictionaries_hash, write_sidecar
from tidings.model import DEFAULT_MIN_CONFIDENCE, DEFAULT_MODALITIES, MODALITIES
from tidings.store import (
    FLAT_COLUMNS,
    EventRecord,
    Store,
    check_min_confidence,
    period_bounds,
)

#: Format names accepted by :func:`export_events` (and ``tidings export --format``).
EXPORT_FORMATS: tuple[str, ...] = (
    "gdelt",
    "gdelt-mentions",
    "gdelt-merged",
    "gdelt-merged-mentions",
    "icews",
    "csv",
    "jsonl",
    "parquet",
    "gexf",
    "geojson",
)
#: Formats whose stamp (and id map) goes to the sidecar ``FILE.meta.json``.
SIDECAR_FORMATS = frozenset(
    {"gdelt", "gdelt-mentions", "gdelt-merged", "gdelt-merged-mentions", "icews", "csv", "jsonl"}
)

Output = str | Path | IO[str] | IO[bytes]


@dataclass
class ExportSummary:
    """What an export wrote."""

    format: str
    events: int
    skipped: int
    output: str
    sidecar: str | None
    stamp: Stamp


def event_object(record: EventRecord) -> dict[str, Any]:
    """The JSONL object of an event: the README contract plus what makes it lossless.

    Contract fields are unchanged; added are the actors' ``entry``,
    ``role_start`` and ``role_end`` (inside ``source``/``target``) and, at the
    top level, ``provenance``, ``external_id``, ``source_url``,
    ``intensity`` and ``extras`` (null for events coded by Tidings).
    """
    event = record.event
    data = event.to_dict()
    for key, actor in (("source", event.source), ("target", event.target)):
        if actor is not None:
            data[key].update(
                entry=actor.entry, role_start=actor.role_start, role_end=actor.role_end
            )
    data.update(
        provenance=record.provenance,
        external_id=record.external_id,
        source_url=record.source_url,
        intensity=record.intensity,
        extras=record.extras,
    )
    return data


def _check_arguments(fmt: str, filters: dict[str, Any]) -> None:
    """Refuse a bad format or filter before any output file is created."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(
            f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}"
        )
    modalities = filters["modalities"]
    if modalities is not None:
        unknown = sorted(set(modalities) - set(MODALITIES))
        if unknown:
            raise InputError(
                f"unknown modality {', '.join(map(repr, unknown))}; "
                f"choose from {', '.join(MODALITIES)}"
            )
    if filters.get("min_confidence") is not None:
        try:
            check_min_confidence(filters["min_confidence"])
        except ValueError as exc:
            raise InputError(str(exc)) from None
    try:
        for name in ("since", "until"):
            if filters[name] is not None:
                period_bounds(filters[name])
    except ValueError as exc:
        raise InputError(f"{name}: {exc}") from None
    limit = filters["limit"]
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise InputError(f"limit must be a non-negative integer, got {limit!r}")


@contextlib.contextmanager
def _opened(out: Output, binary: bool) -> Iterator[tuple[Any, str, Path | None]]:
    """The stream to write, its label and its path (None for a stream given by the caller)."""
    if isinstance(out, str | Path):
        path = Path(out)
        if path.is_dir():
            raise InputError(f"{path} is a directory")
        try:
            if binary:
                handle: Any = open(path, "wb")  # noqa: SIM115
            else:
                handle = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        except OSError as exc:
            raise InputError(f"{path}: cannot write ({exc.strerror})") from None
        with handle:
            yield handle, str(path), path
        return
    stream: Any = out
    if binary and isinstance(stream, io.TextIOBase):
        stream = getattr(stream, "buffer", None)
        if stream is None:
            raise InputError("parquet is binary: give a file or a binary stream")
    standard = out is sys.stdout or out is getattr(sys.stdout, "buffer", None)
    yield stream, "-" if standard else str(getattr(out, "name", "<stream>")), None


def export_events(
    store: Store | str | Path,
    fmt: str,
    out: Output,
    *,
    since: _dt.date | str | None = None,
    until: _dt.date | str | None = None,
    actor: str | None = None,
    code: str | None = None,
    modalities: Sequence[str] | None = DEFAULT_MODALITIES,
    min_confidence: float | None = DEFAULT_MIN_CONFIDENCE,
    provenance: str | None = None,
    limit: int | None = None,
    coder: str | None = None,
    filters: Mapping[str, Any] | None = None,
) -> ExportSummary:
    """Write the stored events that match the filters to ``out`` in format ``fmt``.

    ``filters`` takes every declared filter (:data:`tidings.store.filters.FILTERS`,
    as keyword values of the Python API; the CLI's ``export`` passes them) instead of
    the few keyword filters below, which are kept for existing callers.

    ``store`` is an open :class:`Store` or a database path (opened
    read-only).  ``out`` is a path or an open stream (text, or binary for
    Parquet).  Filters are those of :meth:`Store.events`; ``modalities``
    defaults to :data:`tidings.model.DEFAULT_MODALITIES` (asserted and
    reported) and ``None`` means all; ``min_confidence`` defaults to
    :data:`tidings.model.DEFAULT_MIN_CONFIDENCE` and ``None`` or 0 means every
    event.  ``coder`` names the coder for the
    stamp; by default the store's ``coder`` setting, else ``"unknown"``.
    When ``out`` is a path and the format keeps its stamp in a sidecar
    (GDELT, ICEWS, CSV, JSONL), ``FILE.meta.json`` is written beside it.
    Raises InputError for a bad format, modality, date or output, and
    StoreError for store problems.
    """
    if filters is not None:
        from tidings.store.filters import make_filters

        try:
            selection = make_filters(**filters)
        except (TypeError, ValueError) as exc:
            raise InputError(str(exc)) from None
        _check_arguments(fmt, {"modalities": None, "since": None, "until": None, "limit": limit})
        stamped = {
            k: list(v) if isinstance(v, tuple) else v for k, v in filters.items() if v is not None
        }
        query = {"selection": selection, "limit": limit}
        return _open_and_export(store, fmt, out, query, coder, {**stamped, "limit": limit})
    query = {
        "since": since,
        "until": until,
        "actor": actor,
        "code": code,
        "modalities": None if modalities is None else list(modalities),
        "min_confidence": min_confidence or None,
        "provenance": provenance,
        "limit": limit,
    }
    _check_arguments(fmt, query)
    return _open_and_export(store, fmt, out, query, coder, query)


def _open_and_export(
    store: Store | str | Path,
    fmt: str,
    out: Output,
    query: dict[str, Any],
    coder: str | None,
    stamped: Mapping[str, Any],
) -> ExportSummary:
    if isinstance(store, Store):
        return _export(store, fmt, out, query, coder, stamped)
    if not Path(store).exists():
        raise StoreError(f"no event store at {store}")
    with Store(store, read_only=True) as opened:
        return _export(opened, fmt, out, query, coder, stamped)


def _export(
    store: Store,
    fmt: str,
    out: Output,
    filters: dict[str, Any],
    coder: str | None,
    stamped: Mapping[str, Any],
) -> ExportSummary:
    stamp = Stamp(
        format=fmt,
        coder=coder or store.setting("coder") or "unknown",
        dictionaries=store.setting("dictionaries") or dictionaries_hash(),
        store=store.path,
        filters={
            key: (value.isoformat() if isinstance(value, _dt.date) else value)
            for key, value in stamped.items()
            if value is not None
        },
    )
    with _opened(out, binary=fmt == "parquet") as (stream, label, path):
        written, skipped, extra = _WRITERS[fmt](store, stream, stamp, filters)
    stamp.events = written
    sidecar = None
    if path is not None and fmt in SIDECAR_FORMATS:
        sidecar = str(write_sidecar(path, stamp, extra))
    return ExportSummary(fmt, written, skipped, label, sidecar, stamp)


# ------------------------------------------------------------------ writers

_Result = tuple[int, int, dict[str, Any] | None]


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).strftime("%Y%m%d%H%M%S")


def _tsv(rows: Iterator[list[str]], out: IO[str], header: Sequence[str] | None = None) -> int:
    count = 0
    if header is not None:
        out.write("\t".join(header) + "\n")
    for row in rows:
        out.write("\t".join(row) + "\n")
        count += 1
    return count


def _gdelt(store: Store, out: IO[str], stamp: Stamp, filters: dict[str, Any]) -> _Result:
    ids, now = IdMap("gdelt"), _now()
    rows = (_tables.gdelt_event_row(r, ids, now) for r in store.iter_records(**filters))
    return (
        _tsv(rows, out),
        0,
        {"columns": list(_tables.GDELT_EVENT_COLUMNS), "event_ids": ids.mapping},
    )


def _mentions(store: Store, out: IO[str], stamp: Stamp, filters: dict[str, Any]) -> _Result:
    ids, now = IdMap("gdelt"), _now()
    rows = (_tables.gdelt_mention_row(r, ids, now) for r in store.iter_records(**filters))
    columns = list(_tables.GDELT_MENTION_COLUMNS)
    return _tsv(rows, out), 0, {"columns": columns, "event_ids": ids.mapping}


def _merged_groups(store: Store) -> dict[str, tuple[str, str, int, int, int]]:
    """event_id -> (merged_id, root_event_id, NumMentions, NumSources, NumArticles).

    Merged events are derived by ``tidings merge`` (tables of migration 0003);
    they are read here as plain tables so this layer stays independent of the
    analytics that builds them.
    """
    try:
        rows = store.connection.execute(
            "SELECT em.event_id, m.merged_id, m.root_event_id, m.num_mentions, m.num_sources, "
            "m.num_articles FROM event_mentions em JOIN merged_events m USING (merged_id)"
        ).fetchall()
    except Exception as exc:  # an old schema without the tables
        raise InputError(f"cannot read merged events: {exc}".splitlines()[0]) from None
    if not rows:
        raise InputError("the store has no merged events: run 'tidings merge' first")
    return {row[0]: tuple(row[1:]) for row in rows}


def _as_merged(record: EventRecord, merged_id: str) -> EventRecord:
    event = dataclasses.replace(record.event, event_id=merged_id)
    return dataclasses.replace(record, event=event)


def _gdelt_merged(store: Store, out: IO[str], stamp: Stamp, filters: dict[str, Any]) -> _Result:
    """GDELT's event table over merged events: one row per event, counted over its mentions.

    Each merged event is written from its earliest report (its root) when that
    report passes the filters; GLOBALEVENTID derives from the merged id, and
    NumMentions, NumSources and NumArticles are the group's counts.
    """
    groups, ids, now = _merged_groups(store), IdMap("gdelt"), _now()
    counts = [
        _tables.GDELT_EVENT_COLUMNS.index(n) for n in ("NumMentions", "NumSources", "NumArticles")
    ]

    def rows() -> Iterator[list[str]]:
        for record in store.iter_records(**filters):
            group = groups.get(record.event.event_id)
            if group is None or group[1] != record.event.event_id:
                continue
            row = _tables.gdelt_event_row(_as_merged(record, group[0]), ids, now)
            for index, value in zip(counts, group[2:], strict=True):
                row[index] = str(value)
            yield row

    meta = {"columns": list(_tables.GDELT_EVENT_COLUMNS), "event_ids": ids.mapping}
    return _tsv(rows(), out), 0, meta


def _copies_by_original(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Recorded copies by the article they copy (none in a store older than migration 0004)."""
    try:
        found = store.copies()
    except StoreError:  # read-only store of an older schema: no copies table
        return {}
    copies: dict[str, list[dict[str, Any]]] = {}
    for copy in found:
        copies.setdefault(copy["original_doc_id"], []).append(copy)
    return copies


def _mentions_merged(store: Store, out: IO[str], stamp: Stamp, filters: dict[str, Any]) -> _Result:
    """GDELT's mentions table over merged events: every report, keyed by its merged event.

    A recorded copy of a reporting article (the same story in another outlet,
    coded once; see ``article_copies``) is a mention too, with its own URL,
    outlet and date -- the merged event counts it the same way.
    """
    groups, ids, now = _merged_groups(store), IdMap("gdelt"), _now()
    copies = _copies_by_original(store)

    def rows() -> Iterator[list[str]]:
        for record in store.iter_records(**filters):
            group = groups.get(record.event.event_id)
            if group is None:
                continue
            merged = _as_merged(record, group[0])
            yield _tables.gdelt_mention_row(merged, ids, now)
            for copy in copies.get(record.event.doc_id, ()):
                copied = dataclasses.replace(
                    merged,
                    event=dataclasses.replace(merged.event, doc_id=copy["doc_id"]),
                    url=copy["url"],
                    source_url=None,
                    outlet=copy["outlet"],
                    published=copy["date"],
                    ingested_at=None,
                )
                yield _tables.gdelt_mention_row(copied, ids, now)

    columns = list(_tables.GDELT_MENTION_COLUMNS)
    return _tsv(rows(), out), 0, {"columns": columns, "event_ids": ids.mapping}


def _icews(store: Store, out: IO[str], stamp: Stamp, filters: dict[str, Any]) -> _Result:
    ids, book = IdMap("icews"), load_codebook()
    rows = (_tables.icews_row(r, ids, book) for r in store.iter_records(**filters))
    return _tsv(rows, out, _tables.ICEWS_COLUMNS), 0, {"event_ids": ids.mapping}


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def _csv(store: Store, out: IO[str], stamp: Stamp, filters: dict[str, Any]) -> _Result:
    """Flat columns; lists (cues) and extras as JSON text; None as an empty field."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FLAT_COLUMNS)
    count = 0
    for batch in store.iter_flat(**filters):
        writer.writerows([_csv_value(value) for value in row] for row in batch)
        count += len(batch)
    return count, 0, {"columns": list(FLAT_COLUMNS)}


def _jsonl(store: Store, out: IO[str], stamp: Stamp, filters: dict[str, Any]) -> _Result:
    count = 0
    for record in store.iter_records(**filters):
        out.write(json.dumps(event_object(record), ensure_ascii=False) + "\n")
        count += 1
    return count, 0, None


def parquet_schema():  # -> pyarrow.Schema
    """The Arrow types of the flat columns (lossless for every event field)."""
    pa = _pyarrow()
    types = {
        "sentence_index": pa.int32(),
        "quad_class": pa.int32(),
        "goldstein": pa.float64(),
        "cues": pa.list_(pa.string()),
        "location_lat": pa.float64(),
        "location_lon": pa.float64(),
        "intensity": pa.float64(),
        "confidence": pa.float64(),
    }
    return pa.schema([(name, types.get(name, pa.string())) for name in FLAT_COLUMNS])


def _pyarrow():
    try:
        import pyarrow
    except ImportError:  # pragma: no cover - pyarrow is installed with Tidings
        raise InputError("the parquet format needs pyarrow (pip install pyarrow)") from None
    return pyarrow


def _parquet(store: Store, out: IO[bytes], stamp: Stamp, filters: dict[str, Any]) -> _Result:
    """Flat columns with their types; the stamp in the file's key-value metadata."""
    pa = _pyarrow()
    import pyarrow.parquet as pq

    schema = parquet_schema().with_metadata(
        {"tidings": json.dumps({k: v for k, v in stamp.as_dict().items() if k != "events"})}
    )
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in store.iter_flat(batch_size=50_000, **filters):
            columns = list(zip(*batch, strict=True))
            arrays = [
                pa.array(values, type=column.type)
                for values, column in zip(columns, schema, strict=True)
            ]
            writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
            count += len(batch)
    return count, 0, None


def _gexf(store: Store, out: IO[str], stamp: Stamp, filters: dict[str, Any]) -> _Result:
    used, skipped = _network.write_gexf(store.iter_records(**filters), out, stamp)
    return used, skipped, None


def _geojson(store: Store, out: IO[str], stamp: Stamp, filters: dict[str, Any]) -> _Result:
    records = store.iter_records(**filters)
    written, skipped = _network.write_geojson(records, out, stamp, event_object)
    return written, skipped, None


_WRITERS = {
    "gdelt": _gdelt,
    "gdelt-mentions": _mentions,
    "gdelt-merged": _gdelt_merged,
    "gdelt-merged-mentions": _mentions_merged,
    "icews": _icews,
    "csv": _csv,
    "jsonl": _jsonl,
    "parquet": _parquet,
    "gexf": _gexf,
    "geojson": _geojson,
}
