"""``tidings.open``: cheap to import, read-only by default, and the README examples run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import tidings
from tidings.analytics import EventQuery, EventStore, Query
from tidings.errors import StoreError
from tidings.store import Store

from .test_analytics import ARTICLES, GDELT


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("python-api") / "tidings.duckdb"
    with Store(path) as store:
        for article in ARTICLES:
            store.save(article)
        store.connection.execute(GDELT)
    return path


def test_import_tidings_stays_cheap() -> None:
    code = (
        "import sys, tidings; "
        "print(sorted(m for m in ('tidings.analytics', 'tidings.store', 'duckdb', 'pandas', "
        "'pyarrow') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


def test_open_is_read_only_by_default(db: Path) -> None:
    with tidings.open(db) as store:
        assert isinstance(store, EventStore)
        assert store.read_only and store.path == str(db)
        assert "read-only" in repr(store)
        with pytest.raises(StoreError, match="read-only"):
            store.sql("INSERT INTO settings VALUES ('x', 'y')").rows()
    with tidings.open(db, read_only=False) as store:
        assert not store.read_only
        store.sql("INSERT INTO settings VALUES ('x', 'y')").rows()
        store.sql("DELETE FROM settings WHERE key = 'x'").rows()


def test_open_missing_store_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no event store"):
        tidings.open(tmp_path / "nothing.duckdb")
    assert not (tmp_path / "nothing.duckdb").exists()


def test_queries_are_lazy_and_inspectable(db: Path) -> None:
    with tidings.open(db) as store:
        query = store.events(actor="RUS", since="2016-01-01")
        assert isinstance(query, EventQuery)
        assert "starts_with" in query.sql and "RUS" not in query.sql
        assert "RUS" in query.params
        timeline = store.timeline("RUS", "TUR", by="week")
        assert isinstance(timeline, Query) and "TUR" not in timeline.sql


def test_readme_examples(db: Path) -> None:
    """The examples given for the README, as written there."""
    pytest.importorskip("pandas")
    import tidings

    with tidings.open(db) as store:
        df = store.events(actor="RUS", since="2016-01-01").df()
        assert len(df) == 9
        table = store.events(dyad=("RUS", "TUR"), root="04").arrow()
        assert table.num_rows == 2
        for event in store.events(code="05", country="TUR", modality=None).iter():
            assert event.root_code == "05"
        weekly = store.timeline("RUS", "TUR", by="week", since="2016-12-01").df()
        assert list(weekly.columns[:3]) == ["period", "events", "q1"]
        assert weekly["events"].sum() == 4
        assert len(store.top_dyads(20).df()) == 7
        assert store.top_actors(10, level="country").df()["actor"][0] == "RUS"
        assert store.event_types(since="2016").df()["share"].sum() == pytest.approx(1.0)
        network = store.network(min_weight=2)
        assert len(network.edges.df()) == 2 and len(network.nodes.df()) == 3
        (count,) = store.sql("SELECT count(*) FROM events WHERE root_code = ?", ["19"]).rows()[0]
        assert count == 1
        assert store.stats()["events"] == 12
    with tidings.open(db, read_only=False) as store:
        summary = store.merge(window=1)
        assert summary.mentions == 12
        merged = store.merged(actor="RUS").df()
        assert {"merged_id", "num_mentions", "num_sources", "num_articles"} <= set(merged.columns)
        assert len(store.mentions(merged["merged_id"][0]).df()) >= 1
        # a-e1 (RUS->TUR) and a-e2 (TUR->RUS) are two events: dyads are directed
        assert store.timeline("RUS", "TUR", by="week", merged=True).df()["events"].sum() == 4
