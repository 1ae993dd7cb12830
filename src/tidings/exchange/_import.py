"""``import_events``: other event data (and Tidings' own exports) into the store.

GDELT 2.0 event files (tab-separated, 61 columns, no header; ``.zip`` and
``.gz`` as GDELT distributes them), ICEWS event files (tab-separated with the
ICEWS header) and the ICEWS 2014 benchmark CSV (``date,source,event_text,
cameo_code,target``; sniffed under ``icews``, or named ``icews14``) become
events of the store marked with their provenance (``gdelt:FILE``,
``icews:FILE``), so they can be analysed beside events coded from text.
JSONL and Parquet exports of Tidings import back losslessly.

A bad line never stops an import: it is counted, and the first ten are
reported with their line numbers.  Only a file that cannot be read at all
(missing, empty, binary, a directory) is an :class:`InputError`.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import json
import os
import tempfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from tidings.errors import InputError
from tidings.exchange import _import_sql as sql
from tidings.exchange._stamp import id_mapping, read_sidecar, tidings_version
from tidings.exchange._tables import GDELT_EVENT_COLUMNS
from tidings.store import ALL_EVENT_COLUMNS, FLAT_COLUMNS, Store

#: Format names accepted by :func:`import_events` (and ``tidings import --format``).
IMPORT_FORMATS: tuple[str, ...] = ("gdelt", "icews", "icews14", "jsonl", "parquet")
MAX_PROBLEMS = 10


@dataclass
class ImportSummary:
    """What an import did."""

    format: str
    path: str
    source: str  # the import's key in the store's import log: "gdelt:FILE"...
    rows: int = 0  # data lines or rows read, good and bad
    imported: int = 0  # events added to the store
    duplicates: int = 0  # good rows whose event was already stored
    rejected: int = 0  # bad lines
    problems: list[str] = field(default_factory=list)  # the first ten, "line N: ..."
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Events imported per second."""
        return self.imported / self.seconds if self.seconds > 0 else 0.0


def import_events(
    store: Store | str | Path, fmt: str, path: str | Path, *, limit: int | None = None
) -> ImportSummary:
    """Import the events of ``path`` (format ``fmt``) into ``store``.

    ``store`` is an open read-write :class:`Store` or a database path
    (created if needed).  ``limit`` imports at most that many events, the
    first good rows of the file.  Events already stored (same event id) are
    skipped, so importing a file twice adds nothing.  Raises InputError for
    an unknown format or an unreadable file and StoreError if the store
    refuses the events; bad lines are reported in the summary instead.
    """
    if fmt not in IMPORT_FORMATS:
        raise InputError(
            f"unknown import format {fmt!r}; choose one of {', '.join(IMPORT_FORMATS)}"
        )
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise InputError(f"limit must be a non-negative integer, got {limit!r}")
    file = _check_file(Path(path))
    if isinstance(store, Store):
        return _import(store, fmt, file, limit)
    with Store(store) as opened:
        return _import(opened, fmt, file, limit)


def _check_file(path: Path) -> Path:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not an event file")
    if not os.access(path, os.R_OK):
        raise InputError(f"{path}: permission denied")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: empty file")
    return path


@contextlib.contextmanager
def _unpacked(path: Path) -> Iterator[Path]:
    """The data file itself: a ``.zip`` (as GDELT ships them) is extracted first."""
    if path.suffix.lower() != ".zip":
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="tidings-import-") as folder:
        try:
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()]
                if len(members) != 1:
                    raise InputError(
                        f"{path}: a zip of {len(members)} files; import them one by one"
                    )
                target = Path(folder) / (Path(members[0].filename).name or "data")
                with archive.open(members[0]) as src, open(target, "wb") as dst:
                    while chunk := src.read(1 << 20):
                        dst.write(chunk)
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError(f"{path}: not a readable zip file ({exc})") from None
        yield target


def _open_text(path: Path):
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")
    return open(path, "rb")


def _first_line(path: Path, label: Path) -> str:
    """The first line, after refusing binary and empty content."""
    try:
        with _open_text(path) as handle:
            head = handle.read(65536)
    except (OSError, EOFError) as exc:
        raise InputError(f"{label}: cannot read ({exc})") from None
    if b"\0" in head:
        raise InputError(f"{label}: binary file, not tab- or comma-separated text")
    if not head.strip():
        raise InputError(f"{label}: empty file")
    return head.split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip("\r")


def _import(store: Store, fmt: str, path: Path, limit: int | None) -> ImportSummary:
    started = time.perf_counter()
    con = store.connection
    con.execute("SET enable_progress_bar = false")
    sql.drop_temporary(con)
    try:
        with _unpacked(path) as data:
            if fmt == "parquet":
                summary = _parquet(store, data, path, limit)
            else:
                first = _first_line(data, path)
                if fmt == "jsonl":
                    summary = _jsonl(store, data, path, limit)
                elif fmt == "gdelt":
                    summary = _gdelt(store, data, path, first, limit)
                else:
                    summary = _icews(store, data, path, first, fmt, limit)
    except duckdb.Error as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{path}: cannot import ({message})") from None
    finally:
        with contextlib.suppress(duckdb.Error):
            sql.drop_temporary(con)
    summary.seconds = time.perf_counter() - started
    return summary


# ------------------------------------------------------------------ problems


def _parse_rejects(con: duckdb.DuckDBPyConnection, width: int) -> list[tuple[int, str]]:
    """Lines ``read_csv`` refused, with the reason, in order.

    For tab-separated lines with the wrong number of fields the message
    counts them (DuckDB's own message counts differently); other reasons are
    DuckDB's.
    """
    try:
        rows = con.execute(
            "SELECT line, min(error_type), min(error_message), min(csv_line) "
            "FROM _tidings_rejects GROUP BY line ORDER BY line"
        ).fetchall()
    except duckdb.CatalogException:
        return []
    out = []
    for line, kind, message, text in rows:
        if kind in ("MISSING COLUMNS", "TOO MANY COLUMNS") and text is not None and width:
            found = text.count("\t") + 1
            message = f"expected {width} tab-separated fields, found {found}"
        out.append((int(line), str(message).strip().splitlines()[0]))
    return out


def _line_numbers(path: Path, rows: Sequence[int], skip: int, rejected: set[int]) -> dict[int, int]:
    """File line of each staged row (rows are numbered from 0 over the lines DuckDB kept)."""
    wanted, found = set(rows), {}
    if not wanted:
        return found
    row = -1
    with _open_text(path) as handle:
        for number, line in enumerate(handle, 1):
            if number <= skip or number in rejected or not line.strip(b"\r\n"):
                continue
            row += 1
            if row in wanted:
                found[row] = number
                if len(found) == len(wanted):
                    break
    return found


def _finish(
    store: Store,
    summary: ImportSummary,
    select: str,
    *,
    fmt: str,
    path: Path,
    limit: int | None,
    problems: list[tuple[int, str]],
    bad_rows: int,
    good_rows: int,
    unit: str = "line",
) -> ImportSummary:
    """Insert the good rows and fill in the summary."""
    summary.rejected = bad_rows
    summary.rows = good_rows + summary.rejected
    summary.problems = [f"{unit} {n}: {message}" for n, message in sorted(problems)[:MAX_PROBLEMS]]
    summary.imported = store.insert_imported(
        select,
        source=summary.source,
        fmt=fmt,
        path=str(path.resolve()),
        rejected=summary.rejected,
        version=tidings_version(),
    )
    wanted = good_rows if limit is None else min(limit, good_rows)
    summary.duplicates = wanted - summary.imported
    return summary


def _stage_problems(
    con: duckdb.DuckDBPyConnection,
) -> tuple[int, int, list[tuple[int, str]]]:
    """(good rows, bad rows, first bad rows as (row, message)) of the stage."""
    good, bad = con.execute(
        "SELECT count(*) FILTER (_problem IS NULL), count(*) FILTER (_problem IS NOT NULL) "
        "FROM _tidings_stage"
    ).fetchone()
    first = con.execute(
        "SELECT _row, _problem FROM _tidings_stage WHERE _problem IS NOT NULL "
        f"ORDER BY _row LIMIT {MAX_PROBLEMS}"
    ).fetchall()
    return int(good), int(bad), [(int(row), str(message)) for row, message in first]


def _delimited(
    store: Store,
    summary: ImportSummary,
    data: Path,
    path: Path,
    *,
    fmt: str,
    header_lines: int,
    limit: int | None,
    select: str,
    width: int = 0,
) -> ImportSummary:
    con = store.connection
    rejects = _parse_rejects(con, width)
    good, bad, first = _stage_problems(con)
    lines = _line_numbers(data, [row for row, _ in first], header_lines, {n for n, _ in rejects})
    problems = rejects[:MAX_PROBLEMS] + [(lines.get(row, 0), message) for row, message in first]
    return _finish(
        store,
        summary,
        select,
        fmt=fmt,
        path=path,
        limit=limit,
        problems=problems,
        bad_rows=len(rejects) + bad,
        good_rows=good,
    )


# --------------------------------------------------------------- GDELT, ICEWS


def _gdelt(store: Store, data: Path, path: Path, first: str, limit: int | None) -> ImportSummary:
    columns = first.count("\t") + 1
    if columns in (57, 58):
        raise InputError(
            f"{path}: a GDELT 1.0 event file ({columns} columns); "
            f"Tidings imports GDELT 2.0 event files ({len(GDELT_EVENT_COLUMNS)} columns)"
        )
    con = store.connection
    summary = ImportSummary("gdelt", str(path), f"gdelt:{path.name}")
    mapping = id_mapping(read_sidecar(path))
    con.execute(
        "CREATE TEMP TABLE _tidings_raw AS "
        + sql.read_csv_sql(str(data), delim="\t", header=False, names=GDELT_EVENT_COLUMNS)
    )
    sql.load_codebook_table(con)
    if mapping:
        sql.load_id_table(con, mapping)
    sql.stage_gdelt(con)
    select = sql.gdelt_select(summary.source, mapped=bool(mapping), limit=limit)
    return _delimited(
        store,
        summary,
        data,
        path,
        fmt="gdelt",
        header_lines=0,
        limit=limit,
        select=select,
        width=len(GDELT_EVENT_COLUMNS),
    )


def _split_header(line: str) -> tuple[str, list[str]]:
    delim = "\t" if "\t" in line else ","
    names = next(csv.reader([line], delimiter=delim)) if delim == "," else line.split("\t")
    return delim, [name.strip().lstrip("\ufeff") for name in names]


def _icews(
    store: Store, data: Path, path: Path, first: str, fmt: str, limit: int | None
) -> ImportSummary:
    delim, header = _split_header(first)
    folded = {sql.fold_header(name) for name in header}
    if not ({"event date", "date"} & folded and {"source name", "source"} & folded) or not (
        {"cameo code", "event text"} & folded
    ):
        raise InputError(
            f"{path}: not an ICEWS file (its header lacks Event Date, Source Name and CAMEO Code)"
        )
    if len(set(header)) != len(header):
        raise InputError(f"{path}: the header names a column twice")
    con = store.connection
    summary = ImportSummary(fmt, str(path), f"icews:{path.name}")
    mapping = id_mapping(read_sidecar(path))
    con.execute(
        "CREATE TEMP TABLE _tidings_raw AS "
        + sql.read_csv_sql(str(data), delim=delim, header=True, names=header)
    )
    sql.load_codebook_table(con)
    if mapping:
        sql.load_id_table(con, mapping)
    fields = sql.stage_icews(con, header)
    sql.load_icews_actors(con)
    select = sql.icews_select(summary.source, fields, mapped=bool(mapping), limit=limit)
    return _delimited(
        store,
        summary,
        data,
        path,
        fmt=fmt,
        header_lines=1,
        limit=limit,
        select=select,
        width=len(header) if delim == "\t" else 0,
    )


# ---------------------------------------------------------- JSONL, Parquet

_REQUIRED = ("event_id", "doc_id", "sentence_index", "source_code", "code", "root_code")
_FLAT_STAGE = """CREATE TEMP TABLE _tidings_stage AS
WITH flat AS (
    SELECT rowid AS _row, *,
        CASE
            WHEN regexp_full_match(date, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN try_cast(date AS DATE)
            WHEN regexp_full_match(date, '[0-9]{4}-[0-9]{2}') THEN try_cast(date || '-01' AS DATE)
            WHEN regexp_full_match(date, '[0-9]{4}') THEN try_cast(date || '-01-01' AS DATE)
        END AS date_start,
        try_cast(extras AS JSON) AS extras_json
    FROM _tidings_raw
)
SELECT *, CASE REQUIRED
    WHEN date IS NOT NULL AND date_start IS NULL THEN 'bad date ' || date
    WHEN extras IS NOT NULL AND extras_json IS NULL THEN 'extras is not JSON'
END AS _problem FROM flat"""


def _flat_select(source: str, limit: int | None) -> str:
    values = {name: f"st.{name}" for name in FLAT_COLUMNS}
    values.update(
        source_text="coalesce(st.source_text, '')",
        modality="coalesce(st.modality, 'asserted')",
        trigger="coalesce(st.trigger, '')",
        rule="coalesce(st.rule, '')",
        cues="coalesce(CAST(st.cues AS TEXT[]), CAST([] AS TEXT[]))",
        date_start="st.date_start",
        provenance="coalesce(st.provenance, 'tidings')",
        sentence_text="coalesce(st.sentence, '')",
        extras="st.extras_json",
    )
    columns = ", ".join(values[name] for name in ALL_EVENT_COLUMNS)
    where = "WHERE st._problem IS NULL" + (
        f" ORDER BY st._row LIMIT {int(limit)}" if limit is not None else ""
    )
    return f"SELECT {columns} FROM _tidings_stage st {where}"


def _stage_flat(con: duckdb.DuckDBPyConnection) -> None:
    required = " ".join(
        f"WHEN {name} IS NULL THEN '{name} is missing'"
        for name in (*_REQUIRED, "quad_class", "goldstein")
    )
    con.execute(_FLAT_STAGE.replace("REQUIRED", required))
    sql.mark_duplicates(con, "event_id", "event_id")


def _parquet(store: Store, data: Path, path: Path, limit: int | None) -> ImportSummary:
    """A Tidings Parquet export (the flat columns; missing optional ones read as NULL)."""
    con = store.connection
    summary = ImportSummary("parquet", str(path), f"parquet:{path.name}")
    try:
        names = [row[0] for row in con.execute(
            f"DESCRIBE SELECT * FROM read_parquet({sql.literal(str(data))})"
        ).fetchall()]  # fmt: skip
    except duckdb.Error as exc:
        message = str(exc).strip().splitlines()[0]
        raise InputError(f"{path}: not a readable Parquet file ({message})") from None
    missing = [name for name in _REQUIRED if name not in names]
    if missing:
        raise InputError(f"{path}: not a Tidings Parquet export (no column {missing[0]})")
    columns = ", ".join(name if name in names else f"NULL AS {name}" for name in FLAT_COLUMNS)
    con.execute(
        f"CREATE TEMP TABLE _tidings_raw AS SELECT {columns} "
        f"FROM read_parquet({sql.literal(str(data))})"
    )
    _stage_flat(con)
    good, bad, first = _stage_problems(con)
    problems = [(row + 1, message) for row, message in first]
    return _finish(
        store,
        summary,
        _flat_select(summary.source, limit),
        fmt="parquet",
        path=path,
        limit=limit,
        problems=problems,
        bad_rows=bad,
        good_rows=good,
        unit="row",
    )


def _flat_row(obj: dict[str, Any]) -> list[Any]:
    """A JSONL event object as a row of FLAT_COLUMNS (the inverse of ``event_object``)."""
    values: dict[str, Any] = {name: obj.get(name) for name in FLAT_COLUMNS}
    for role in ("source", "target"):
        actor = obj.get(role)
        if actor is not None and not isinstance(actor, dict):
            raise ValueError(f"{role} is not an object")
        for name in ("code", "country", "agent", "text", "entry", "role_start", "role_end"):
            values[f"{role}_{name}"] = actor.get(name) if actor else None
    evidence = obj.get("evidence") or {}
    location = obj.get("location")
    if not isinstance(evidence, dict) or (location is not None and not isinstance(location, dict)):
        raise ValueError("evidence and location must be objects")
    for name in ("trigger", "rule", "cues", "date_text", "place_text"):
        values[name] = evidence.get(name)
    for name in ("name", "country", "adm1", "lat", "lon", "feature_id", "type"):
        values[f"location_{name}"] = location.get(name) if location else None
    extras = obj.get("extras")
    values["extras"] = None if extras is None else json.dumps(extras, ensure_ascii=False)
    return [values[name] for name in FLAT_COLUMNS]


_INTEGERS = frozenset({"sentence_index", "quad_class"})
_NUMBERS = frozenset({"goldstein", "location_lat", "location_lon", "intensity", "confidence"})


def _check_types(row: list[Any]) -> None:
    """Refuse a value of the wrong JSON type (Arrow would refuse the whole file)."""
    for name, value in zip(FLAT_COLUMNS, row, strict=True):
        if value is None:
            continue
        if name in _INTEGERS:
            ok = isinstance(value, int) and not isinstance(value, bool)
            ok = ok and -(2**31) <= value < 2**31
        elif name in _NUMBERS:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        elif name == "cues":
            ok = isinstance(value, list) and all(isinstance(item, str) for item in value)
        else:
            ok = isinstance(value, str)
        if not ok:
            raise ValueError(f"{name}: unexpected value {value!r:.60}")


def _jsonl(store: Store, data: Path, path: Path, limit: int | None) -> ImportSummary:
    """A Tidings JSONL export, or ``tidings code --format jsonl`` output."""
    from tidings.exchange._export import _pyarrow, parquet_schema

    pa = _pyarrow()
    schema = parquet_schema()
    summary = ImportSummary("jsonl", str(path), f"jsonl:{path.name}")
    rows: list[list[Any]] = []
    lines: list[int] = []
    problems: list[tuple[int, str]] = []
    bad = 0
    with _open_text(data) as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
                if not isinstance(obj, dict):
                    raise ValueError("not a JSON object")
                row = _flat_row(obj)
                _check_types(row)
            except (ValueError, TypeError) as exc:
                bad += 1
                if len(problems) < MAX_PROBLEMS:
                    problems.append((number, str(exc).splitlines()[0][:200]))
                continue
            rows.append(row)
            lines.append(number)
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in FLAT_COLUMNS]
    table = pa.Table.from_arrays(
        [pa.array(list(values), type=f.type) for values, f in zip(columns, schema, strict=True)],
        schema=schema,
    )
    con = store.connection
    con.register("_tidings_arrow", table)
    try:
        con.execute("CREATE TEMP TABLE _tidings_raw AS SELECT * FROM _tidings_arrow")
    finally:
        con.unregister("_tidings_arrow")
    _stage_flat(con)
    good, bad_staged, first = _stage_problems(con)
    problems += [(lines[row], message) for row, message in first]
    return _finish(
        store,
        summary,
        _flat_select(summary.source, limit),
        fmt="jsonl",
        path=path,
        limit=limit,
        problems=problems,
        bad_rows=bad + bad_staged,
        good_rows=good,
    )
