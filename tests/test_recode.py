"""tidings ingest stores without coding; tidings recode codes stored articles again."""

from __future__ import annotations

from tidings.api import ingest_inputs, open_store, recode_store

from .conftest import SEED


def test_ingest_then_recode_then_strict_recode(tmp_path):
    db = tmp_path / "r.duckdb"
    summary = ingest_inputs([str(SEED)], db=db)
    assert summary.stored == 1
    with open_store(db, read_only=True) as store:
        assert store.counts()["articles"] == 1 and store.counts()["events"] == 0
    full = recode_store(db=db)
    assert full.events > 20
    with open_store(db, read_only=True) as store:
        relaxed = store.events()
        assert len(relaxed) == full.events
        assert store.counts()["articles"] == 1
    strict = recode_store(db=db, strict=True)
    with open_store(db, read_only=True) as store:
        events = store.events()
    assert len(events) == strict.events < len(relaxed)
    assert not any(e.evidence.rule.endswith("/relaxed") for e in events)
    assert {e.event_id for e in events} <= {e.event_id for e in relaxed}


def test_recode_keeps_imported_events(tmp_path):
    from pathlib import Path

    from tidings.exchange import import_events

    db = tmp_path / "m.duckdb"
    ingest_inputs([str(SEED)], db=db)
    sample = Path(__file__).parent / "fixtures" / "exchange" / "icews14_sample.csv"
    imported = import_events(db, "icews14", sample).imported
    recode_store(db=db)
    with open_store(db, read_only=True) as store:
        assert len(store.events(provenance="icews")) == imported
        assert store.events(provenance="tidings")
