"""Schema migrations: plain SQL files applied in order, versions recorded.

Why a hand-rolled runner rather than a migration library: the store has one
writer, a handful of tables and no ORM, so all a migration needs to be is a
numbered SQL file.  Files live in ``migrations/NNNN_slug.sql`` next to this
module (shipped as package data); version ``N`` is the number in the name.
Each pending migration runs in its own transaction together with the row
that records it in ``schema_version``, so a failing migration leaves the store
exactly at the previous version instead of half-migrated.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import duckdb

from tidings.errors import StoreError

_MIGRATION_NAME = re.compile(r"^(\d{4})_([A-Za-z0-9_]+)\.sql$")

# Created by the runner itself (not by a migration) because the runner needs
# it to know which migrations are pending, including before the first one.
_VERSION_TABLE_DDL = """
CREATE TABLE IF NOT EXISTS schema_version (
    version     INTEGER PRIMARY KEY,
    applied_at  TIMESTAMP NOT NULL,
    description TEXT NOT NULL
)
"""


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: its version, a human description and its SQL."""

    version: int
    description: str
    sql: str


def load_migrations() -> tuple[Migration, ...]:
    """Read the packaged migrations, sorted and checked to be 1..N without gaps.

    A gap or duplicate would mean a packaging mistake that could silently
    skip a step on some installations, so it is refused outright.
    """
    folder = resources.files(__package__).joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if not match:
            continue
        sql = entry.read_text(encoding="utf-8")
        found.append(Migration(int(match[1]), _describe(sql, match[2]), sql))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise StoreError(f"packaged store migrations are not numbered 1..N: {versions}")
    return tuple(found)


def _describe(sql: str, slug: str) -> str:
    """The migration's first ``--`` comment line, else its file-name slug."""
    first = sql.lstrip().splitlines()[0] if sql.strip() else ""
    if first.startswith("--") and first.strip("- "):
        return first.lstrip("- ").strip()
    return slug.replace("_", " ")


def latest_version(migrations: Sequence[Migration] | None = None) -> int:
    """The schema version this code knows how to produce."""
    migrations = load_migrations() if migrations is None else migrations
    return migrations[-1].version if migrations else 0


def _table_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Tables and views of the opened database file (not of attached ones)."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database()"
    ).fetchall()
    return {name for (name,) in rows}


def current_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The store's recorded version, 0 for an empty database, None if foreign.

    ``None`` means the database holds tables but no ``schema_version``: it is
    somebody else's DuckDB file, which Tidings must not modify.
    """
    names = _table_names(con)
    if "schema_version" not in names:
        return 0 if not names else None
    # fetchall, not fetchone: a half-read result would block con.sql() on DuckDB 2
    (version,) = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()[0]
    return int(version)


def ensure_schema(
    con: duckdb.DuckDBPyConnection,
    *,
    read_only: bool,
    label: str,
    migrations: Sequence[Migration] | None = None,
) -> int:
    """Bring the store up to date (or check it is, when read-only); return its version.

    ``label`` names the database in error messages.  A read-only store cannot
    be migrated, so an empty or older one is an error there rather than
    something to fix silently.
    """
    migrations = load_migrations() if migrations is None else tuple(migrations)
    latest = latest_version(migrations)
    current = current_version(con)
    if current is None:
        raise StoreError(
            f"{label} is a DuckDB database but not a Tidings store; refusing to modify it"
        )
    if current > latest:
        raise StoreError(
            f"store schema version {current} is newer than this Tidings ({latest}); upgrade Tidings"
        )
    if current == latest:
        return current
    if read_only:
        if current == 0:
            raise StoreError(f"{label} has no Tidings schema; open it read-write once to create it")
        raise StoreError(
            f"store schema version {current} is older than this Tidings ({latest}); "
            "open it read-write once to migrate it"
        )
    for migration in migrations:
        if migration.version > current:
            apply_migration(con, migration)
    return latest


def apply_migration(con: duckdb.DuckDBPyConnection, migration: Migration) -> None:
    """Run one migration and record it, atomically."""
    applied_at = _dt.datetime.now(_dt.UTC).replace(tzinfo=None)
    con.begin()
    try:
        con.execute(_VERSION_TABLE_DDL)
        con.execute(migration.sql)
        con.execute(
            "INSERT INTO schema_version (version, applied_at, description) VALUES (?, ?, ?)",
            [migration.version, applied_at, migration.description],
        )
        con.commit()
    except duckdb.Error as exc:
        con.rollback()
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(
            f"store migration {migration.version} ({migration.description}) failed: {first}"
        ) from exc
    except BaseException:
        con.rollback()
        raise
