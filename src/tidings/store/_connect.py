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
    _check_complete(file, label)
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


_HEADER = 4096  # DuckDB: a main header, then two database headers, 4 KiB each


def _check_complete(file: Path, label: str) -> None:
    """Refuse a DuckDB file cut short (a half-copied or truncated store), which
    DuckDB would open and answer from partly.

    A DuckDB file is three 4 KiB headers followed by whole blocks of the size
    its newer database header records and counts; a file that ends inside a
    block before the counted ones end (or inside the headers) was cut.
    Files that are not DuckDB's are left to DuckDB's own message.
    """
    try:
        with file.open("rb") as stream:
            head = stream.read(3 * _HEADER)
            size = file.stat().st_size
    except OSError:
        return  # DuckDB reports what is wrong with it
    if len(head) < 12 or head[8:12] != b"DUCK":
        return
    if len(head) < 3 * _HEADER:
        raise StoreError(f"store {label} is truncated (its header is incomplete)")
    newest = max(
        (struct.unpack_from("<QQQQQQ", head, offset) for offset in (_HEADER, 2 * _HEADER)),
        key=lambda fields: fields[1],
    )
    blocks, block_size = newest[4], newest[5]
    if not 4096 <= block_size <= 1 << 26:
        return
    # Both signs together: shorter than the blocks the header counts (which
    # may include free blocks dropped from the end, so not enough alone) and
    # ending inside a block (a write cut by a full disk leaves a partial block
    # past the counted ones, so not enough alone either).
    if size < 3 * _HEADER + blocks * block_size and (size - 3 * _HEADER) % block_size:
        raise StoreError(
            f"store {label} is truncated (it ends inside a block); "
            "restore it from a copy or code the inputs again into a new store"
        )
