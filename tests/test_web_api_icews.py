"""The HTTP API on a store holding the coded example article plus the ICEWS 2014 import."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tidings.web import create_app

from .conftest import SEED, SHARED

REPO = Path(__file__).resolve().parents[1]
ICEWS14 = SHARED / "data" / "events" / "icews14_events_named.csv"
SAMPLE = REPO / "tests" / "fixtures" / "exchange" / "icews14_sample.csv"


@pytest.fixture(scope="module")
def mixed_db(tmp_path_factory, pipeline) -> Path:
    from tidings.api import code_inputs
    from tidings.exchange import import_events

    db = tmp_path_factory.mktemp("web-icews") / "mixed.duckdb"
    code_inputs([str(SEED)], db=db, pipeline=pipeline)
    source = ICEWS14 if ICEWS14.exists() else SAMPLE
    summary = import_events(db, "icews14", source)
    assert summary.imported > 0
    return db


@pytest.fixture(scope="module")
def client(mixed_db):
    app = create_app(mixed_db, allowed_hosts=["testserver"])
    with TestClient(app) as test_client:
        yield test_client
    app.state.db.close()


def get(client, url, **params):
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_coded_talks_still_found_beside_imported_events(client):
    data = get(client, "/api/events", since="2016-12-20", until="2016-12-20", code="04", limit=50)
    pairs = {
        frozenset((e["source"]["country"], e["target"]["country"]))
        for e in data["events"]
        if e.get("target")
    }
    assert {frozenset(("RUS", "TUR")), frozenset(("RUS", "IRN"))} <= pairs


def test_imported_2014_events_are_queryable(client):
    data = get(client, "/api/events", since="2014-01-01", until="2014-12-31", limit=20)
    assert data["events"], "no ICEWS 2014 events served"
    assert all(e["date"].startswith("2014") for e in data["events"])
    timeline = get(
        client, "/api/timeline", since="2014-01-01", until="2014-12-31", interval="month"
    )
    assert timeline


def test_dyads_span_both_sources(client):
    data = get(client, "/api/dyads", level="country", limit=1000)
    assert data
