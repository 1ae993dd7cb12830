"""The store's side of imports: migration 0002, bulk inserts, records, settings."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from tidings.errors import StoreError
from tidings.store import ALL_EVENT_COLUMNS, FLAT_COLUMNS, EventRecord, Store, _schema

from .test_store import full_event, make_coded, make_event


def _v1_store(path: Path) -> None:
    """A store as Tidings wrote it before migration 0002, holding one coded event."""
    first = _schema.load_migrations()[:1]
    con = duckdb.connect(str(path))
    _schema.ensure_schema(con, read_only=False, label=str(path), migrations=first)
    con.execute(
        "INSERT INTO articles VALUES ('a', 'T', [], NULL, NULL, NULL, 'en', NULL, NULL, "
        "'[]', '[]', current_timestamp)"
    )
    con.execute("INSERT INTO sentences VALUES ('a', 1, 0, 'body', 'Sentence 1 of a.')")
    con.execute(
        "INSERT INTO events (event_id, doc_id, sentence_index, source_code, source_text, code, "
        "root_code, quad_class, goldstein, modality, trigger, rule, cues) VALUES "
        "('a-e1', 'a', 1, 'RUS', 'Russia', '042', '04', 1, 1.9, 'asserted', 'met', 'r', [])"
    )
    con.close()


def test_v1_store_is_migrated_and_keeps_its_events(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    _v1_store(db)
    with pytest.raises(StoreError, match="older than this Tidings"):
        Store(db, read_only=True)
    with Store(db) as store:
        assert store.schema_version == _schema.latest_version()
        (event,) = store.events()
        assert event.event_id == "a-e1" and event.sentence == "Sentence 1 of a."
        (record,) = store.iter_records()
        assert record.provenance == "tidings"
        assert record.extras is None and record.external_id is None
        assert store.events(provenance="tidings") == [event]
        assert store.events(provenance="gdelt") == []
        assert store.imports() == []


def test_saved_events_get_tidings_provenance_and_article_context(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        store.save(make_coded("full", (full_event("full"),)))
        (record,) = store.iter_records()
        assert isinstance(record, EventRecord)
        assert record.event == full_event("full")
        assert record.provenance == "tidings"
        assert record.url == "https://example.org/full"
        assert record.outlet == "Example Times"
        assert record.published == dt.date(2024, 3, 5)
        assert isinstance(record.ingested_at, dt.datetime)
        assert record.paragraph_index == 1
        (row,) = [row for batch in store.iter_flat() for row in batch]
        flat = dict(zip(FLAT_COLUMNS, row, strict=True))
        assert flat["sentence"] == "Sentence 2 of full."
        assert flat["cues"] == ["said", "according to"]
        assert flat["provenance"] == "tidings" and flat["extras"] is None
        assert "date_start" not in flat and "sentence_text" not in flat


def _imported_row_sql(event_id: str, extras: str | None = "{}") -> str:
    values = {name: "NULL" for name in ALL_EVENT_COLUMNS}
    values.update(
        event_id=f"'{event_id}'",
        doc_id="'gdelt:f.csv'",
        sentence_index="-1",
        source_code="'USA'",
        source_text="'UNITED STATES'",
        code="'042'",
        root_code="'04'",
        quad_class="1",
        goldstein="1.9",
        modality="'asserted'",
        trigger="''",
        rule="'import:gdelt'",
        cues="[]::TEXT[]",
        date="'2015-02-18'",
        date_precision="'day'",
        date_start="DATE '2015-02-18'",
        provenance="'gdelt:f.csv'",
        external_id=f"'{event_id[6:]}'",
        source_url="'https://example.org/x'",
        extras="NULL" if extras is None else f"'{extras}'",
    )
    return "SELECT " + ", ".join(f"{values[name]} AS {name}" for name in ALL_EVENT_COLUMNS)


def test_insert_imported_skips_known_events_and_logs_the_import(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        sql = _imported_row_sql("gdelt:1") + " UNION ALL " + _imported_row_sql("gdelt:2")
        kwargs = {"source": "gdelt:f.csv", "fmt": "gdelt", "path": "/x/f.csv", "version": "0"}
        assert store.insert_imported(sql, rejected=3, **kwargs) == 2
        assert store.insert_imported(sql, rejected=0, **kwargs) == 0
        (log,) = store.imports()
        assert log["source"] == "gdelt:f.csv" and log["events"] == 0 and log["rejected"] == 0
        events = store.events(provenance="gdelt")
        assert [e.event_id for e in events] == ["gdelt:1", "gdelt:2"]
        assert events[0].sentence == "" and events[0].sentence_index == -1
        record = next(store.iter_records(code="042"))
        assert record.provenance == "gdelt:f.csv"
        assert record.external_id == "1" and record.source_url == "https://example.org/x"
        assert record.extras == {} and record.url is None
        assert store.counts()["articles"] == 0


def test_insert_imported_failure_rolls_back(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        bad = _imported_row_sql("gdelt:1", extras="not json")
        with pytest.raises(StoreError, match=r"cannot import gdelt:f\.csv") as info:
            store.insert_imported(
                bad, source="gdelt:f.csv", fmt="gdelt", path="p", rejected=0, version="0"
            )
        assert "\n" not in str(info.value)
        assert store.counts()["events"] == 0 and store.imports() == []


def test_imported_event_and_coded_article_coexist(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        store.insert_imported(
            _imported_row_sql("gdelt:9"),
            source="gdelt:f.csv",
            fmt="gdelt",
            path="p",
            rejected=0,
            version="0",
        )
        assert store.save(make_coded("a", (make_event("a", 1),)))
        assert store.counts() == {"articles": 1, "sentences": 3, "events": 2}
        assert [e.event_id for e in store.events(provenance="tidings")] == ["a-e1"]


def test_read_only_store_refuses_imports_and_settings(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    Store(db).close()
    with Store(db, read_only=True) as store:
        with pytest.raises(StoreError, match="read-only"):
            store.insert_imported(
                "SELECT 1", source="x", fmt="gdelt", path="p", rejected=0, version="0"
            )
        with pytest.raises(StoreError, match="read-only"):
            store.set_setting("coder", "x")


def test_settings(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        assert store.setting("coder") is None
        store.set_setting("coder", "tidings.dep_coder.v1")
        store.set_setting("coder", "tidings.dep_coder.v2")
        assert store.setting("coder") == "tidings.dep_coder.v2"


def test_iter_records_filters_like_events(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        store.save(
            make_coded(
                "a",
                (
                    make_event("a", 1, modality="negated"),
                    make_event("a", 2, code="190", sentence_index=2),
                ),
            )
        )
        assert [r.event.event_id for r in store.iter_records(modalities=["negated"])] == ["a-e1"]
        assert [r.event.event_id for r in store.iter_records(code="19")] == ["a-e2"]
        assert list(store.iter_records(modalities=[])) == []
        assert [r.event.event_id for r in store.iter_records(limit=1, batch_size=1)] == ["a-e1"]
        with pytest.raises(ValueError):
            list(store.iter_records(since="March"))


def test_flat_columns_are_the_event_columns_minus_derived_ones() -> None:
    assert FLAT_COLUMNS[:4] == ("event_id", "doc_id", "sentence_index", "sentence")
    assert set(FLAT_COLUMNS) == (set(ALL_EVENT_COLUMNS) - {"date_start", "sentence_text"}) | {
        "sentence"
    }
    assert json.dumps(list(FLAT_COLUMNS))  # plain strings
