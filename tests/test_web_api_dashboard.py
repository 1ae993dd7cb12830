"""What the dashboard's timeline asks of the API on a store with outlying dates.

A store of recent news with one event dated 1871 (a background year that was
once taken as an event date) must not make the timeline span 150 years: the
API reports the whole span, the focus (1st-99th percentile of the dates)
and how many events lie outside it, and chooses the automatic interval for
the focus.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient

from tidings.model import DEFAULT_MIN_CONFIDENCE
from tidings.web import create_app

from .conftest import SEED


@pytest.fixture(scope="module")
def outlier_db(tmp_path_factory: pytest.TempPathFactory, pipeline) -> Path:
    from tidings.api import code_inputs

    db = tmp_path_factory.mktemp("web-dash") / "outlier.duckdb"
    assert code_inputs([str(SEED)], db=db, pipeline=pipeline).stored == 1
    with duckdb.connect(str(db)) as con:
        (n,) = con.execute("SELECT count(*) FROM events WHERE date_start IS NOT NULL").fetchone()
        assert n >= 30
        # Copies under new ids, so that one event is under 1% of the dates (the 1st
        # percentile of fewer than 100 dates is their minimum).
        con.execute(
            "INSERT INTO events SELECT e.* REPLACE (e.event_id || '#' || k AS event_id) "
            "FROM events e, range(1, 10) r(k)"
        )
        con.execute(
            "UPDATE events SET date_start = DATE '1871-01-01', date = '1871', "
            "date_precision = 'year' WHERE event_id = (SELECT min(event_id) FROM events "
            "WHERE modality = 'asserted' AND coalesce(confidence, 1) >= ?)",
            [DEFAULT_MIN_CONFIDENCE],
        )
    return db


@pytest.fixture(scope="module")
def client(outlier_db: Path):
    app = create_app(outlier_db, allowed_hosts=["testserver"])
    with TestClient(app) as test_client:
        yield test_client
    app.state.db.close()


def quantiles(db: Path) -> tuple[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        low, high = con.execute(
            "SELECT quantile_disc(date_start, 0.01), quantile_disc(date_start, 0.99) "
            "FROM events WHERE modality IN ('asserted', 'reported') "
            "AND coalesce(confidence, 1) >= ?",
            [DEFAULT_MIN_CONFIDENCE],
        ).fetchone()
    return low.isoformat(), high.isoformat()


def test_timeline_focus_is_where_the_data_is(client: TestClient, outlier_db: Path) -> None:
    data = client.get("/api/timeline").json()
    assert data["start"] == "1871-01-01"
    low, high = quantiles(outlier_db)
    assert data["focus"] == {"start": low, "end": high}
    assert low >= "2015" and high.startswith("2016")
    assert data["outside"]["before"] >= 1
    # The automatic interval suits the focus (2015-2016: weeks), and week buckets
    # from 1871 would be too many: only the focus is bucketed.
    assert data["interval"] == "week" and data["clipped"] is True
    first_week = (dt.date.fromisoformat(low) - dt.timedelta(days=6)).isoformat()
    assert data["buckets"] and all(first_week <= b["period"] <= high for b in data["buckets"])


def test_explicit_range_is_bucketed_whole_or_refused(client: TestClient) -> None:
    wide = client.get("/api/timeline", params={"since": "1871", "until": "2016"}).json()
    assert wide["interval"] == "month" and wide["clipped"] is False
    assert wide["buckets"][0]["period"] == "1871-01-01"
    refused = client.get(
        "/api/timeline", params={"since": "1871", "until": "2016", "interval": "day"}
    )
    assert refused.status_code == 422 and refused.json()["parameter"] == "interval"


def test_an_empty_store_has_no_focus(client: TestClient) -> None:
    data = client.get("/api/timeline", params={"actor": "ZZZ"}).json()
    assert data["focus"] is None and data["buckets"] == []
