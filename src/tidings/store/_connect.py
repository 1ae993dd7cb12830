"""Opening the DuckDB file: errors translated into one-line StoreErrors.

Part of :mod:`tidings.store._store`.  DuckDB lets only one process open a file
read-write; its lock error (and the other common failures) become clear
messages here.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import NamedTuple

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
    cut = _check_complete(file, label)
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
    if cut is not None:
        try:
            _check_blocks(con, label, cut)
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


class _Cut(NamedTuple):
    """A file ending at a block boundary before the blocks its header counts."""

    present: int  # whole blocks the file still holds
    counted: int  # blocks the newest database header counts
    free: frozenset[int] | None  # its free list, as read from the file (None: unreadable)


def _check_complete(file: Path, label: str) -> _Cut | None:
    """Refuse a DuckDB file cut short (a half-copied or truncated store), which
    DuckDB would open and answer from partly.

    A DuckDB file is three 4 KiB headers followed by whole blocks of the size
    its newer database header records and counts; a file that ends inside a
    block before the counted ones end (or inside the headers) was cut.
    Files that are not DuckDB's are left to DuckDB's own message.

    Returns what :func:`_check_blocks` needs when the file ends exactly at a
    block boundary before the counted blocks end: that is a cut only if a
    missing block was in use.  Otherwise None.  Only such a file costs more
    than reading the 12 KiB of headers.
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
    # checksum, iteration, meta_block, free_list, block_count, block_alloc_size
    newest = max(
        (struct.unpack_from("<QQQQQQ", head, offset) for offset in (_HEADER, 2 * _HEADER)),
        key=lambda fields: fields[1],
    )
    free_list, blocks, block_size = newest[3], newest[4], newest[5]
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
    present = (size - 3 * _HEADER) // block_size
    return _Cut(present, blocks, _read_free_list(file, free_list, blocks, block_size, present))


_INVALID = (1 << 64) - 1  # DuckDB's INVALID_BLOCK, the end of a metadata chain
_BLOCK_HEADER = 8  # the checksum before each block's data (a file that is not encrypted)
_METADATA_PARTS = 64  # DuckDB splits a metadata block into this many parts


def _read_free_list(
    file: Path, pointer: int, blocks: int, block_size: int, present: int
) -> frozenset[int] | None:
    """The free blocks the header's free list names, read from the file itself.

    DuckDB keeps the list in metadata: a chain of block parts, each starting
    with the pointer to the next (block id in the low 56 bits, part in the
    high 8), holding a count and then that many block ids.  None when the
    list is not readable as that (another layout, an encrypted file, a part
    past the end of the file): :func:`_check_blocks` then falls back to what
    DuckDB lists, and checks this list's length against its free count.
    """
    part_size = (block_size - _BLOCK_HEADER) // _METADATA_PARTS // 8 * 8
    if pointer == _INVALID:
        return frozenset()
    data = bytearray()
    seen = 0
    try:
        with file.open("rb") as stream:
            while pointer != _INVALID:
                block, part = pointer & ((1 << 56) - 1), pointer >> 56
                seen += 1
                if block >= present or part >= _METADATA_PARTS or seen > blocks * _METADATA_PARTS:
                    return None
                stream.seek(3 * _HEADER + block * block_size + _BLOCK_HEADER + part * part_size)
                chunk = stream.read(part_size)
                if len(chunk) < part_size:
                    return None
                (pointer,) = struct.unpack_from("<Q", chunk)
                data += chunk[8:]
                if len(data) >= 8 and len(data) >= 8 + 8 * struct.unpack_from("<Q", data)[0]:
                    break
    except OSError:
        return None
    if len(data) < 8:
        return None
    (count,) = struct.unpack_from("<Q", data)
    if count > blocks or len(data) < 8 + 8 * count:
        return None
    free = frozenset(struct.unpack_from(f"<{count}q", data, 8))
    if len(free) != count or any(not 0 <= block < blocks for block in free):
        return None
    return free


def _check_blocks(con: duckdb.DuckDBPyConnection, label: str, cut: _Cut) -> None:
    """Refuse a store cut at a block boundary: one whose missing blocks were in use.

    DuckDB reads blocks lazily, so such a file opens and answers counts from
    its metadata while its data (or an index: lookups and writes then fail)
    is gone.  The missing blocks are those at or past ``cut.present``; they
    may all be free only if every one of them is on the free list.  That
    list, read from the file, is trusted when DuckDB counts as many free
    blocks and as many in all.  Otherwise the blocks the tables' data and
    the metadata occupy are listed by DuckDB itself (a scan of every table's
    storage); any at or past ``present`` is missing, and since blocks of
    indexes are not listed, the missing blocks must also number no more
    than the free ones.  Any read error here (the catalog itself in a
    missing block) is the same refusal.
    """
    present = cut.present
    try:
        total, free = con.execute(
            "SELECT total_blocks, free_blocks FROM pragma_database_size() "
            "WHERE database_name = current_database()"
        ).fetchone()
        if cut.free is not None and len(cut.free) == free and total == cut.counted:
            if not cut.free.issuperset(range(present, total)):
                raise _truncated(label, "it ends before blocks in use")
            return
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
    except duckdb.Error:
        raise _truncated(label, "blocks it needs are missing") from None
    if (used and max(used) >= present) or total - present > free:
        raise _truncated(label, "it ends before blocks in use")
