"""Upgrades from every earlier schema version keep every row and value.

For each version v below the latest, a store is built by applying only
migrations 1..v through the runner and filled the way Tidings wrote stores
at version v (raw SQL against that schema, as the code of the time did).
Opening it with the current code must bring it to the latest version with
every table, row and value of version v unchanged, the new columns at their
documented defaults, and the new tables present (and empty).

WRITERS must name a writer for every earlier version: adding migration N+1
makes :func:`test_every_earlier_version_has_a_writer` fail until a writer for
version N is added here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

import tidings
from tidings.store import Store, _schema

LATEST = _schema.latest_version()


#: The columns of ``events`` at version 1, which Tidings then named in its inserts.
V1_EVENT_COLUMNS = [
    "event_id",
    "doc_id",
    "sentence_index",
    "source_code",
    "source_country",
    "source_agent",
    "source_text",
    "source_entry",
    "source_role_start",
    "source_role_end",
    "target_code",
    "target_country",
    "target_agent",
    "target_text",
    "target_entry",
    "target_role_start",
    "target_role_end",
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
]


def _write_v1(con: duckdb.DuckDBPyConnection) -> None:
    """Articles, sentences, coded events (with and without a place), a setting."""
    con.execute(
        "INSERT INTO articles VALUES ('a', 'Talks in Moscow', ['Ann'], DATE '2016-12-20', "
        "'https://example.org/a', 'Example Times', 'en', '/data/a.md', 'sha1:x', "
        '\'[{"text": "Lavrov met Cavusoglu.", "kind": "body"}]\', \'[]\', '
        "TIMESTAMP '2016-12-21 10:00:00')"
    )
    con.execute(
        "INSERT INTO articles VALUES ('b', 'Ünïcödé; DROP TABLE events; --', [], NULL, NULL, "
        "NULL, 'ru', NULL, NULL, '[]', '[]', TIMESTAMP '2016-12-22 00:00:00')"
    )
    con.execute(
        "INSERT INTO sentences VALUES ('a', 0, -1, 'title', 'Talks in Moscow'), "
        "('a', 1, 0, 'body', 'Lavrov met Cavusoglu.')"
    )
    con.execute(
        f"INSERT INTO events ({', '.join(V1_EVENT_COLUMNS)}) VALUES "
        "('a-e1', 'a', 1, 'RUSGOV', 'RUS', 'GOV', 'Lavrov', "
        "'SERGEY_LAVROV', '2004-03-09', NULL, 'TURGOV', 'TUR', 'GOV', 'Cavusoglu', NULL, NULL, "
        "NULL, '042', '04', 1, 1.9, 'asserted', 'met', 'MEET/active', ['said'], '2016-12-20', "
        "'day', DATE '2016-12-20', 'on Tuesday', 'in Moscow', 'Moscow', 'RUS', 'RU-MOW', "
        "55.75, 37.62, '524901', 'city')"
    )
    con.execute(
        "INSERT INTO events (event_id, doc_id, sentence_index, source_code, source_text, code, "
        "root_code, quad_class, goldstein, modality, trigger, rule, cues) VALUES "
        "('a-e2', 'a', 0, '---', '', '190', '19', 4, -10.0, 'negated', 'fight', 'r/relaxed', [])"
    )
    con.execute("INSERT INTO settings VALUES ('coder', 'tidings-coder 1')")


def _write_v2(con: duckdb.DuckDBPyConnection) -> None:
    """Version 1's data, then an imported GDELT event and its import log entry."""
    _write_v1(con)
    con.execute(
        "INSERT INTO events (event_id, doc_id, sentence_index, source_code, source_text, "
        "target_code, target_text, code, root_code, quad_class, goldstein, modality, trigger, "
        "rule, cues, date, date_precision, date_start, provenance, sentence_text, external_id, "
        "source_url, intensity, extras) VALUES ('gdelt:1', 'gdelt:f.csv', -1, 'USA', 'USA', "
        "'RUS', 'RUSSIA', '040', '04', 1, 1.0, 'asserted', '', 'import:gdelt', [], "
        "'2016-12-21', 'day', DATE '2016-12-21', 'gdelt:f.csv', NULL, '1', "
        "'https://news.example/x', NULL, '{\"NumMentions\": \"4\"}')"
    )
    con.execute(
        "INSERT INTO imports VALUES ('gdelt:f.csv', 'gdelt', '/data/f.csv', "
        "TIMESTAMP '2016-12-22 01:00:00', 1, 0, '0.1.0')"
    )


#: How Tidings filled a store at each earlier schema version.
def _write_v3(con: duckdb.DuckDBPyConnection) -> None:
    """Version 2's data, then a merged event with its mention (as ``tidings merge`` writes)."""
    _write_v2(con)
    con.execute(
        "INSERT INTO merged_events (merged_id, root_event_id, source_code, source_text, code, "
        "root_code, quad_class, goldstein, modality, date, date_precision, date_start, date_end, "
        "first_seen, provenance, num_mentions, num_sources, num_articles, confidence) VALUES "
        "('m1', 'a-e1', 'RUSGOV', 'Lavrov', '040', '04', 1, 1.0, 'asserted', '2016-12-20', "
        "'day', DATE '2016-12-20', DATE '2016-12-20', DATE '2016-12-20', 'tidings', 1, 1, 1, 1.0)"
    )
    con.execute(
        "INSERT INTO event_mentions (event_id, merged_id, mention_rank, doc_id, sentence_index, "
        "article, outlet, published, confidence, modality) VALUES ('a-e1', 'm1', 0, 'a', 0, "
        "'a', 'Example Times', DATE '2016-12-20', 1.0, 'asserted')"
    )


def _write_v4(con: duckdb.DuckDBPyConnection) -> None:
    """Version 3's data, then a recorded copy of article ``a`` and the detector's state."""
    _write_v3(con)
    con.execute(
        "INSERT INTO article_copies VALUES ('c', 'a', 'exact', 1.0, 'Talks in Moscow', "
        "'Other Times', 'https://other.example/a', DATE '2016-12-21', '/data/c.md', "
        "TIMESTAMP '2016-12-21 11:00:00')"
    )
    con.execute(
        "INSERT INTO dedup_state VALUES ('minhash', '\\x01\\x02'::BLOB, "
        "TIMESTAMP '2016-12-21 11:00:00')"
    )


WRITERS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {
    1: _write_v1,
    2: _write_v2,
    3: _write_v3,
    4: _write_v4,
}


def _build(path: Path, version: int) -> dict[str, tuple[list[str], list[tuple]]]:
    """A store at ``version`` with that version's data; returns every table's rows."""
    con = duckdb.connect(str(path))
    steps = _schema.load_migrations()[:version]
    assert _schema.ensure_schema(con, read_only=False, label=str(path), migrations=steps) == version
    WRITERS[version](con)
    tables = _tables(con)
    snapshot = {name: _rows(con, name) for name in tables if name != "schema_version"}
    con.close()
    return snapshot


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_catalog = current_database() ORDER BY 1"
    ).fetchall()
    return [name for (name,) in rows]


def _rows(
    con: duckdb.DuckDBPyConnection, table: str, columns: list[str] | None = None
) -> tuple[list[str], list[tuple]]:
    if columns is None:
        columns = [
            name
            for (name,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position",
                [table],
            ).fetchall()
        ]
    select = ", ".join(f'"{c}"' for c in columns)
    return columns, con.execute(f"SELECT {select} FROM {table} ORDER BY ALL").fetchall()


def test_every_earlier_version_has_a_writer() -> None:
    assert LATEST >= 3
    assert sorted(WRITERS) == list(range(1, LATEST))


@pytest.mark.parametrize("version", range(1, LATEST))
def test_upgrade_keeps_every_row_and_value(tmp_path: Path, version: int) -> None:
    path = tmp_path / f"v{version}.duckdb"
    before = _build(path, version)
    with Store(path) as store:
        assert store.schema_version == LATEST
        con = store.connection
        versions = [v for (v,) in con.execute("SELECT version FROM schema_version").fetchall()]
        assert versions == list(range(1, LATEST + 1))
        for table, (columns, rows) in before.items():
            assert _rows(con, table, columns) == (columns, rows), table
        assert {"merged_events", "event_mentions", "article_copies"} <= set(_tables(con))
        merged = 1 if version >= 3 else 0  # version 3 wrote one merged event
        assert con.execute("SELECT count(*) FROM merged_events").fetchall() == [(merged,)]
        if version < 2:  # columns added by migration 0002 take their defaults
            assert con.execute(
                "SELECT DISTINCT provenance, sentence_text, extras FROM events"
            ).fetchall() == [("tidings", None, None)]
        # events coded before migration 0005 have no confidence and read back as 1.0
        assert con.execute("SELECT DISTINCT confidence FROM events").fetchall() == [(None,)]
        # the store's own API still reads what the old code wrote
        events = store.events()
        (talks,) = [e for e in events if e.event_id == "a-e1"]
        assert talks.sentence == "Lavrov met Cavusoglu."
        assert talks.location is not None and talks.location.lat == 55.75
        assert talks.confidence == 1.0
        assert store.setting("coder") == "tidings-coder 1"


@pytest.mark.parametrize("version", range(1, LATEST))
def test_old_store_opened_for_analysis_is_migrated_then_read_only(
    tmp_path: Path, version: int
) -> None:
    path = tmp_path / f"v{version}.duckdb"
    _build(path, version)
    with tidings.open(path) as store:
        assert store.read_only
        assert store.store.schema_version == LATEST
        assert store.events(modality=None).count() == (2 if version == 1 else 3)
        # and the merge works on the upgraded data
    with tidings.open(path, read_only=False) as store:
        summary = store.merge()
        assert summary.mentions == (2 if version == 1 else 3)


def test_newest_migration_is_the_event_confidence() -> None:
    last = _schema.load_migrations()[-1]
    assert last.version == 5
    assert last.description.startswith("Event confidence")
