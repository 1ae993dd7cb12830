"""Opening the DuckDB file: errors translated into one-line StoreErrors.

Part of :mod:`tidings.store._store`.  DuckDB lets only one process open a file
read-write; its lock error (and the other common failures) become clear
messages here.
"""

from __future__ import annotations

import struct
from pathlib import Path

import duckdb

from tidings.errors import StoreError

_MEMORY = ":memory:"


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
    present = _check_complete(file, label)
    try:
        con = duckdb.connect(label, read_only=read_only)
    except duckdb.IOException as exc:
        message = str(exc).lower()
        if "could not read enough bytes" in message:  # a block it needs is past the end
            raise _truncated(label, "blocks it needs are missing") from None
        if "could not set lock" in message or "conflicting lock" in message:
            raise StoreError(f"database {label} is in use by another process") from None
        if "not a valid duckdb database" in message:
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
    if present is not None:
        try:
            _check_blocks(con, label, present)
        except BaseException:
            con.close()
            raise
    return con, label


_HEADER = 4096  # DuckDB: a main header, then two database headers, 4 KiB each


def _truncated(label: str, where: str) -> StoreError:
    return StoreError(
        f"store {label} is truncated ({where}); "
        "restore it from a copy or code the inputs again into a new store"
    )


def _check_complete(file: Path, label: str) -> int | None:
    """Refuse a DuckDB file cut short (a half-copied or truncated store), which
    DuckDB would open and answer from partly.

    A DuckDB file is three 4 KiB headers followed by whole blocks of the size
    its newer database header records and counts; a file that ends inside a
    block before the counted ones end (or inside the headers) was cut.
    Files that are not DuckDB's are left to DuckDB's own message.

    Returns the number of blocks the file holds when it ends exactly at a
    block boundary before the counted blocks end: that is a cut only if a
    missing block was in use, which :func:`_check_blocks` asks DuckDB.
    Otherwise None.
    """
    try:
        with file.open("rb") as stream:
            head = stream.read(3 * _HEADER)
            size = file.stat().st_size
    except OSError:
        return None  # DuckDB reports what is wrong with it
    if len(head) < 12 or head[8:12] != b"DUCK":
        return None
    if len(head) < 3 * _HEADER:
        raise _truncated(label, "its header is incomplete")
    newest = max(
        (struct.unpack_from("<QQQQQQ", head, offset) for offset in (_HEADER, 2 * _HEADER)),
        key=lambda fields: fields[1],
    )
    blocks, block_size = newest[4], newest[5]
    if not 4096 <= block_size <= 1 << 26:
        return None
    # Both signs together: shorter than the blocks the header counts (which
    # may include free blocks dropped from the end, so not enough alone) and
    # ending inside a block (a write cut by a full disk leaves a partial block
    # past the counted ones, so not enough alone either).
    if size >= 3 * _HEADER + blocks * block_size:
        return None
    if (size - 3 * _HEADER) % block_size:
        raise _truncated(label, "it ends inside a block")
    return (size - 3 * _HEADER) // block_size


def _check_blocks(con: duckdb.DuckDBPyConnection, label: str, present: int) -> None:
    """Refuse a store cut at a block boundary: one whose missing blocks were in use.

    DuckDB reads blocks lazily, so such a file opens and answers counts from
    its metadata while its data is gone.  The blocks the tables' data and the
    metadata occupy are listed by DuckDB itself; any at or past ``present``
    is missing.  Blocks of indexes are not listed, so the missing blocks must
    also number no more than the free ones.  Any read error here (the
    catalog itself in a missing block) is the same refusal.
    """
    try:
        tables = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() "
            "WHERE database_name = current_database()"
        ).fetchall()
        used = {
            block
            for (block,) in con.execute("SELECT block_id FROM pragma_metadata_info()").fetchall()
        }
        for schema, table in tables:
            name = ".".join('"' + part.replace('"', '""') + '"' for part in (schema, table))
            literal = "'" + name.replace("'", "''") + "'"
            used.update(
                block
                for (block,) in con.execute(
                    f"SELECT DISTINCT block_id FROM pragma_storage_info({literal}) "
                    "WHERE block_id >= 0"
                ).fetchall()
            )
        total, free = con.execute(
            "SELECT total_blocks, free_blocks FROM pragma_database_size() "
            "WHERE database_name = current_database()"
        ).fetchone()
    except duckdb.Error:
        raise _truncated(label, "blocks it needs are missing") from None
    if (used and max(used) >= present) or total - present > free:
        raise _truncated(label, "it ends before blocks in use")
