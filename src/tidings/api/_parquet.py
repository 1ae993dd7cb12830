"""Coded events as a partitioned Parquet dataset (``tidings code --parquet DIR``).

Why a dataset next to the DuckDB store: a store is one file with one writer,
which suits a laptop; a directory of Parquet files partitioned by event date
is what cluster-side tools (Spark, DuckDB, pandas, Polars, Arrow) read in
parallel and prune by date without any Tidings code.

Layout (hive-style, readable as ``pd.read_parquet(DIR)``,
``read_parquet('DIR/**/*.parquet', hive_partitioning = true)`` in DuckDB,
``spark.read.parquet(DIR)``)::

    DIR/year=2016/month=12/part-<hash>.parquet
    DIR/year=2016/month=0/part-<hash>.parquet    # year-precision dates
    DIR/year=0/month=0/part-<hash>.parquet       # undated events
    DIR/_tidings/chunks/<hash>.json              # bookkeeping, ignored by readers

``year`` and ``month`` are integers taken from the event's ``date``; **0
means unknown** (``month=0``: a year-precision date; ``year=0``: no date);
pandas reads them as categoricals, DuckDB and Spark as integers.
Hive's ``__HIVE_DEFAULT_PARTITION__`` (NULL) is not used because pandas
(pyarrow's dictionary-typed partition columns) cannot yet read a dataset
whose partition values include NULL, and months are not zero-padded because
DuckDB then infers the column as text.  The files hold the flat columns of
:data:`COLUMNS`: the event JSONL contract with ``source``, ``target``,
``location`` and ``evidence`` flattened (as in the store's flat exports).

Idempotence: the dataset remembers which articles it holds (one small JSON
file per chunk under ``_tidings/``, written after the chunk's Parquet files,
each file written to a hidden temporary name and renamed into place).  An
article already in the dataset is skipped, so re-running the same or an
overlapping input adds only what is missing, whatever the chunking.  Files of
a chunk whose bookkeeping file is missing (a crash mid-chunk) are removed
when the dataset is next opened for writing.  One process writes a dataset
at a time; ``tidings code --dask`` writes it from the client process, so the
directory need not be shared with the Dask workers.  To rebuild a dataset,
delete the directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from tidings.errors import StoreError, TidingsError
from tidings.model import CodedArticle, Event
from tidings.store import Store

if TYPE_CHECKING:  # pragma: no cover - typing only
    import duckdb
    import pyarrow as pa

__all__ = [
    "COLUMNS",
    "PARTITION_COLUMNS",
    "EventDataset",
    "ParquetSummary",
    "attach_parquet",
    "parquet_schema",
    "write_events_parquet",
]

#: The stored columns, in file order: the JSONL contract, flattened.
COLUMNS: tuple[str, ...] = (
    "event_id",
    "doc_id",
    "sentence_index",
    "sentence",
    "date",
    "date_precision",
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
    "confidence",
    "location_name",
    "location_country",
    "location_adm1",
    "location_lat",
    "location_lon",
    "location_feature_id",
    "location_type",
    "trigger",
    "rule",
    "cues",
    "date_text",
    "place_text",
)

#: The directory-level columns; 0 means unknown (see the module docstring).
PARTITION_COLUMNS: tuple[str, ...] = ("year", "month")

#: Default number of event rows buffered before a chunk is written.
DEFAULT_CHUNK_ROWS = 20_000

_FORMAT = 1  # of the bookkeeping files
_BOOKKEEPING = "_tidings"
_PART = re.compile(r"^part-([0-9a-f]{16})\.parquet$")
_PARTITION_DIR = re.compile(r"^(year|month)=\d+$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
_GLOB_CHARS = frozenset("*?[]{}\0")
PARQUET_MISSING = "Parquet output needs pyarrow: pip install 'tidings[dask]' (or pyarrow)"


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet  # the submodule that writes files
    except ImportError:
        raise TidingsError(PARQUET_MISSING) from None
    return pyarrow


def parquet_schema() -> pa.Schema:
    """The Arrow types of :data:`COLUMNS` (the same for every file, even all-NULL ones)."""
    pa = _pyarrow()
    types = {
        "sentence_index": pa.int32(),
        "quad_class": pa.int32(),
        "goldstein": pa.float64(),
        "location_lat": pa.float64(),
        "location_lon": pa.float64(),
        "confidence": pa.float64(),
        "cues": pa.list_(pa.string()),
    }
    from tidings import __version__

    metadata = {"tidings": json.dumps({"version": __version__, "contract": "event-jsonl"})}
    return pa.schema([(name, types.get(name, pa.string())) for name in COLUMNS], metadata=metadata)


def event_row(event: Event) -> dict[str, Any]:
    """One event as a flat row of :data:`COLUMNS`."""
    source, target, place, evidence = event.source, event.target, event.location, event.evidence
    return {
        "event_id": event.event_id,
        "doc_id": event.doc_id,
        "sentence_index": event.sentence_index,
        "sentence": event.sentence,
        "date": event.date,
        "date_precision": event.date_precision,
        "source_code": source.code,
        "source_country": source.country,
        "source_agent": source.agent,
        "source_text": source.text,
        "target_code": target.code if target else None,
        "target_country": target.country if target else None,
        "target_agent": target.agent if target else None,
        "target_text": target.text if target else None,
        "code": event.code,
        "root_code": event.root_code,
        "quad_class": event.quad_class,
        "goldstein": event.goldstein,
        "modality": event.modality,
        "confidence": event.confidence,
        "location_name": place.name if place else None,
        "location_country": place.country if place else None,
        "location_adm1": place.adm1 if place else None,
        "location_lat": place.lat if place else None,
        "location_lon": place.lon if place else None,
        "location_feature_id": place.feature_id if place else None,
        "location_type": place.type if place else None,
        "trigger": evidence.trigger,
        "rule": evidence.rule,
        "cues": list(evidence.cues),
        "date_text": evidence.date_text,
        "place_text": evidence.place_text,
    }


def partition_of(date: str | None) -> tuple[int, int]:
    """``(year, month)`` of an event date; 0 for what the date does not say."""
    match = _DATE.match(date or "")
    if not match:
        return 0, 0
    return int(match[1]), int(match[2] or 0)


@dataclass
class ParquetSummary:
    """What one writer did: articles added or already present, rows and files written."""

    articles: int = 0
    already_present: int = 0
    rows: int = 0
    files: int = 0


class EventDataset:
    """Appends coded articles to a partitioned Parquet dataset, each article once.

    Use as a context manager (or call :meth:`close`): rows are buffered and
    written in chunks of about ``chunk_rows`` events, and closing writes the
    last chunk.  Closing after an error or Ctrl-C still writes the articles
    that were fully added, so the dataset keeps pace with the store.
    """

    def __init__(self, directory: str | Path, *, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> None:
        self._pa = _pyarrow()
        self.directory = Path(directory)
        if self.directory.exists() and not self.directory.is_dir():
            raise TidingsError(f"{self.directory} is not a directory")
        self._chunks = self.directory / _BOOKKEEPING / "chunks"
        self._chunks.mkdir(parents=True, exist_ok=True)
        self._schema = parquet_schema()
        self._chunk_rows = max(1, chunk_rows)
        self._present = self._recover()
        self._doc_ids: list[str] = []
        self._rows: list[dict[str, Any]] = []
        self.summary = ParquetSummary()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._present

    def add(self, coded: CodedArticle) -> bool:
        """Buffer the article's events; False (and nothing added) if already present."""
        doc_id = coded.article.doc_id
        if doc_id in self._present:
            self.summary.already_present += 1
            return False
        self._present.add(doc_id)
        self._doc_ids.append(doc_id)
        self._rows.extend(event_row(event) for event in coded.events)
        self.summary.articles += 1
        if len(self._rows) >= self._chunk_rows:
            self.flush()
        return True

    def chained(
        self, then: Callable[[CodedArticle], None] | None
    ) -> Callable[[CodedArticle], None]:
        """An ``on_article`` callback that adds the article, then calls ``then``."""

        def on_article(coded: CodedArticle) -> None:
            self.add(coded)
            if then is not None:
                then(coded)

        return on_article

    def flush(self) -> None:
        """Write the buffered articles as one chunk (one file per partition)."""
        if not self._doc_ids:
            return
        name = hashlib.sha1(json.dumps(self._doc_ids).encode("utf-8")).hexdigest()[:16]
        groups: dict[tuple[int, int], list[dict[str, Any]]] = {}
        for row in self._rows:
            groups.setdefault(partition_of(row["date"]), []).append(row)
        files = []
        for (year, month), rows in sorted(groups.items()):
            relative = f"year={year}/month={month}/part-{name}.parquet"
            table = self._pa.Table.from_pylist(rows, schema=self._schema)
            _atomic(self.directory / relative, lambda tmp, t=table: _write_table(t, tmp))
            files.append(relative)
        marker = {"format": _FORMAT, "doc_ids": self._doc_ids, "files": files}
        _atomic(
            self._chunks / f"{name}.json",
            lambda tmp: tmp.write_text(json.dumps(marker), encoding="utf-8"),
        )
        self.summary.rows += len(self._rows)
        self.summary.files += len(files)
        self._doc_ids, self._rows = [], []

    def close(self) -> None:
        """Write what is buffered. Safe to call twice."""
        self.flush()

    def _recover(self) -> set[str]:
        """The doc_ids already in the dataset; removes what a crash left half-written."""
        present: set[str] = set()
        committed: set[str] = set()
        for marker in self._chunks.glob("*.json"):
            try:
                data = json.loads(marker.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise TidingsError(f"{marker}: unreadable dataset bookkeeping: {exc}") from None
            present.update(data.get("doc_ids", ()))
            committed.add(marker.stem)
        for path in _dataset_files(self.directory):
            match = _PART.match(path.name)
            if match and match[1] not in committed:
                path.unlink()  # a chunk interrupted before its bookkeeping file
        for tmp in self.directory.glob("**/.tmp-*"):
            tmp.unlink()
        return present


def _dataset_files(directory: Path) -> Iterator[Path]:
    """The Parquet files in ``year=*/month=*`` directories (nothing else is touched)."""
    for year in directory.glob("year=*"):
        if year.is_dir() and _PARTITION_DIR.match(year.name):
            for month in year.glob("month=*"):
                if month.is_dir() and _PARTITION_DIR.match(month.name):
                    yield from month.glob("part-*.parquet")


def _write_table(table: pa.Table, path: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(table, path)


def _atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Write ``path`` through a hidden temporary file renamed into place.

    Readers skip names starting with "." (and DuckDB's ``*.parquet`` glob
    does not match them), so a crash never leaves a truncated file in view.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{path.name}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_events_parquet(
    coded: Iterable[CodedArticle],
    directory: str | Path,
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> ParquetSummary:
    """Add the events of ``coded`` to the dataset at ``directory`` (created if needed).

    Articles already in the dataset are skipped; see the module docstring
    for the layout and the idempotence guarantees.
    """
    with EventDataset(directory, chunk_rows=chunk_rows) as dataset:
        for item in coded:
            dataset.add(item)
    return dataset.summary


# ------------------------------------------------------------------ attaching


def _glob_literal(directory: str | Path) -> str:
    """A SQL string literal for the dataset's file glob, or a TidingsError.

    DuckDB cannot bind parameters inside ``CREATE VIEW`` ("this type of
    statement can't be prepared"), so the path is written as a literal: an
    absolute path, with quotes doubled (DuckDB's plain string literals have
    no backslash escapes) and glob characters and NUL refused, since they
    would change which files the view reads.
    """
    path = Path(directory).expanduser().resolve()
    if not path.is_dir():
        raise TidingsError(f"no Parquet dataset at {directory} (not a directory)")
    if any(char in _GLOB_CHARS for char in str(path)):
        raise TidingsError(f"cannot attach {path}: its path contains glob characters (*?[]{{}})")
    if next(_dataset_files(path), None) is None:
        raise TidingsError(f"no Parquet dataset at {directory} (no year=*/month=* files)")
    pattern = (path / "**" / "*.parquet").as_posix()
    return "'" + pattern.replace("'", "''") + "'"


def attach_parquet(
    db: str | Path | Store | duckdb.DuckDBPyConnection,
    directory: str | Path,
    *,
    name: str = "parquet_events",
    temporary: bool = False,
) -> None:
    """Create (or replace) the view ``name`` over the Parquet dataset at ``directory``.

    ``db`` is a store file (opened read-write, then closed), an open
    :class:`~tidings.store.Store` or a DuckDB connection.  The view reads the
    dataset's files when it is queried, so later runs that add files need no
    re-attaching; it has the :data:`COLUMNS` plus integer ``year`` and
    ``month`` and joins the store's tables, e.g.
    ``SELECT ... FROM parquet_events p JOIN articles a USING (doc_id)``.  A
    persistent view (the default) stays in the store file and refers to the
    dataset by absolute path; ``temporary=True`` keeps it to the connection.
    """
    if not _IDENTIFIER.match(name):
        raise TidingsError(f"{name!r} is not a valid view name (letters, digits, _)")
    source = _glob_literal(directory)
    sql = (
        f'CREATE OR REPLACE {"TEMPORARY " if temporary else ""}VIEW "{name}" AS '
        f"SELECT * FROM read_parquet({source}, hive_partitioning = true, "
        "union_by_name = true, hive_types = {'year': INTEGER, 'month': INTEGER})"
    )
    if isinstance(db, str | Path):
        with Store(db) as store:
            _execute(store.connection, sql, name)
    elif isinstance(db, Store):
        _execute(db.connection, sql, name)
    else:
        _execute(db, sql, name)


def _execute(connection: duckdb.DuckDBPyConnection, sql: str, name: str) -> None:
    import duckdb

    try:
        connection.execute(sql)
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"cannot create view {name}: {first}") from None
