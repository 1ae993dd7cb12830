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


def _imported_event(client) -> dict:
    data = get(client, "/api/events", since="2014-01-01", until="2014-12-31", limit=5)
    return data["events"][0]


def test_imported_events_carry_their_origin_not_a_coding(client):
    event = _imported_event(client)
    assert event["provenance"].startswith("icews:")
    origin = event["origin"]
    assert origin["dataset"] == "icews" and origin["file"].endswith(".csv")
    assert origin["fields"].get("event_text"), origin  # ICEWS' own wording, kept by the import
    detail = get(client, f"/api/events/{event['event_id']}")["event"]
    why = detail["explain"]
    assert "rule" not in why
    assert origin["file"] in why["origin"] and "ICEWS" in why["origin"]
    assert "text" not in why["modality"].lower()  # never "stated as fact by the text"
    # An event coded from text has no origin and keeps its rule explained.
    coded = get(client, "/api/events", since="2016-12-20", until="2016-12-20", limit=1)
    coded_detail = get(client, f"/api/events/{coded['events'][0]['event_id']}")["event"]
    assert coded_detail["origin"] is None and coded_detail["explain"]["rule"]


def test_country_level_network_has_countries_and_organisations_only(client, mixed_db):
    import duckdb

    from tidings.dictionaries._petrarch.actors import INTERNATIONAL_PREFIXES

    with duckdb.connect(str(mixed_db), read_only=True) as con:
        agents = {
            row[0]
            for row in con.execute(
                "SELECT source_code FROM events WHERE source_country IS NULL "
                "AND source_code <> '---' AND NOT list_contains(?, left(source_code, 3))",
                [sorted(INTERNATIONAL_PREFIXES)],
            ).fetchall()
        }
    for directed in (False, True):
        data = get(client, "/api/dyads", level="country", directed_edges=directed, limit=1000)
        ids = {node["id"] for node in data["nodes"]}
        assert ids, data
        for node in ids:
            assert len(node) == 3 or node[:3] in INTERNATIONAL_PREFIXES, node
        assert not ids & agents
    if ICEWS14.exists():  # the full import has agent-only actors (GOV, MED...) to leave out
        assert {"GOV", "MED"} <= agents
        ids = {n["id"] for n in get(client, "/api/dyads", level="country", limit=1000)["nodes"]}
        assert any(node.startswith("IGO") for node in ids)
