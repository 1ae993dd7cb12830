"""The JSON API of ``tidings serve``, on a store coded from the bundled example.

The Moscow Times op-ed of 2016-12-21 reports the talks of the Russian,
Turkish and Iranian ministers in Moscow on 2016-12-20 (CAMEO 040), both in
the photo caption and in the body; these tests follow that episode through
the events, timeline, dyads, places and detail endpoints, then check the
filters, cursor pagination, the 422 messages and that hostile parameters are
bound as values, never run as SQL.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import duckdb
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient

from tidings.model import DEFAULT_MIN_CONFIDENCE
from tidings.web import create_app
from tidings.web._db import Database, QueryFailed, QueryTimeout

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "moscow-times-2016-12-21-aftermath.md"
PAYLOADS = [
    line
    for line in (REPO / "tests" / "fixtures" / "web" / "injection_payloads.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip() and not line.startswith("# ")
]
CONTRACT = {
    "event_id",
    "doc_id",
    "sentence_index",
    "sentence",
    "date",
    "date_precision",
    "source",
    "target",
    "code",
    "root_code",
    "quad_class",
    "goldstein",
    "modality",
    "location",
    "evidence",
}
TALKS = {frozenset(("RUS", "TUR")), frozenset(("RUS", "IRN")), frozenset(("TUR", "IRN"))}


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory, pipeline) -> Path:
    from tidings.api import code_inputs

    db = tmp_path_factory.mktemp("web-api") / "seed.duckdb"
    summary = code_inputs([str(SEED)], db=db, pipeline=pipeline)
    assert summary.stored == 1 and summary.events > 20
    return db


@pytest.fixture(scope="module")
def client(seed_db: Path):
    app = create_app(seed_db, allowed_hosts=["testserver"])
    with TestClient(app) as test_client:
        yield test_client
    app.state.db.close()


def get(client: TestClient, url: str, **params):
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def all_events(client: TestClient, **params) -> list[dict]:
    return get(client, "/api/events", limit=500, **params)["events"]


def countries(event: dict) -> frozenset[str]:
    return frozenset((event["source"]["country"], (event["target"] or {}).get("country")))


# ------------------------------------------------------------------ the talks


def test_health_and_version(client: TestClient) -> None:
    health = get(client, "/api/health")
    assert health["status"] == "ok" and health["articles"] == 1 and health["events"] > 20
    version = get(client, "/api/version")
    assert version["api"] == "1" and version["schema_version"] >= 1 and version["tidings"]


def test_talks_come_back_from_events(client: TestClient) -> None:
    events = all_events(client, since="2016-12-20", until="2016-12-20", code="04")
    talks = [e for e in events if "met for talks" in e["sentence"]]
    assert {countries(e) for e in talks} >= TALKS
    for event in talks:
        assert event.keys() >= CONTRACT
        assert event["date"] == "2016-12-20" and event["code"] == "040"
        assert event["label"] and event["quad_class"] == 1
        assert event["location"]["name"] == "Moscow"
        assert event["article"]["outlet"] == "themoscowtimes.com"


def test_talks_in_the_timeline(client: TestClient) -> None:
    data = get(client, "/api/timeline", by="day", since="2016-12")
    assert data["interval"] == "day"
    day = next(b for b in data["buckets"] if b["period"] == "2016-12-20")
    assert day["count"] >= 4 and day["q1"] == day["count"]
    assert day["goldstein_mean"] == pytest.approx(1.0)
    assert (
        sum(b["count"] for b in data["buckets"])
        == get(client, "/api/events", since="2016-12")["total"]
    )


def test_timeline_intervals(client: TestClient) -> None:
    weekly = get(client, "/api/timeline", by="week")
    assert "2016-12-19" in {b["period"] for b in weekly["buckets"]}  # ISO weeks start Monday
    # the parameter is named as in the CLI and Python ("by"); its first name still works
    assert get(client, "/api/timeline", interval="week") == weekly
    monthly = get(client, "/api/timeline", by="month")
    assert {"2015-09-01", "2016-12-01"} <= {b["period"] for b in monthly["buckets"]}
    assert get(client, "/api/timeline")["interval"] in {"day", "week", "month"}
    nothing = get(client, "/api/timeline", since="1990", until="1990")
    assert nothing["buckets"] == [] and nothing["start"] is None


def test_talks_in_the_dyads(client: TestClient) -> None:
    data = get(client, "/api/dyads", level="country", since="2016-12-20", until="2016-12-20")
    edges = {frozenset((e["source"], e["target"])): e for e in data["edges"]}
    assert set(edges) >= TALKS
    assert edges[frozenset(("RUS", "TUR"))]["weight"] >= 2  # caption and body
    assert all(e["goldstein_mean"] == pytest.approx(1.0) for e in edges.values())
    assert {"RUS", "TUR", "IRN"} <= {n["id"] for n in data["nodes"]}
    by_code = get(client, "/api/dyads", level="code", code="040", since="2016-12-20")
    pairs = {frozenset((e["source"], e["target"])) for e in by_code["edges"]}
    assert frozenset(("RUSGOVMIL", "TURGOVMIL")) in pairs


def test_dyads_directed_and_unknown(client: TestClient) -> None:
    undirected = get(client, "/api/dyads", level="country")
    assert all(e["source"] <= e["target"] for e in undirected["edges"])
    assert "---" not in {n["id"] for n in undirected["nodes"]}
    with_unknown = get(client, "/api/dyads", unknown="true", min_confidence=0)
    assert "---" in {n["id"] for n in with_unknown["nodes"]}
    capped = get(client, "/api/dyads", limit=1)
    assert len(capped["edges"]) == 1 and capped["truncated"] is True


def test_places_geojson(client: TestClient) -> None:
    data = get(client, "/api/places")
    assert data["type"] == "FeatureCollection"
    moscow = next(f for f in data["features"] if f["properties"]["name"] == "Moscow")
    lon, lat = moscow["geometry"]["coordinates"]
    assert moscow["geometry"]["type"] == "Point"
    assert lat == pytest.approx(55.75, abs=0.1) and lon == pytest.approx(37.62, abs=0.1)
    assert moscow["properties"]["count"] >= 4 and moscow["properties"]["country"] == "RUS"


def test_event_detail_has_mentions_sentence_and_paragraphs(client: TestClient) -> None:
    (caption,) = [
        e
        for e in all_events(client, code="040", since="2016-12-20", until="2016-12-20")
        if "enter a hall" in e["sentence"]
    ]
    detail = get(client, f"/api/events/{caption['event_id']}")
    assert detail["event"]["event_id"] == caption["event_id"]
    assert set(detail["event"]["explain"]) == {"modality", "date", "place", "rule"}
    assert "Dec. 20, 2016" in detail["event"]["explain"]["date"]
    mentions = detail["mentions"]
    assert mentions[0]["event_id"] == caption["event_id"]
    assert any("met for talks" in m["sentence"] for m in mentions)  # the body's report
    article = detail["articles"][caption["doc_id"]]
    assert article["title"].startswith("The Aftermath")
    assert article["authors"] == ["Vladimir Frolov"]
    spans = {
        s["index"]: (p["text"], s["start"], s["end"])
        for p in article["paragraphs"]
        for s in p["sentences"]
    }
    for mention in mentions:
        text, start, end = spans[mention["sentence_index"]]
        assert text[start:end] == mention["sentence"]
    assert article["paragraphs"][0]["kind"] == "caption"


def test_event_detail_unknown_is_404(client: TestClient) -> None:
    response = client.get("/api/events/nope")
    assert response.status_code == 404 and "nope" in response.json()["error"]
    assert client.get("/api/events/" + "x" * 500).status_code == 422


def test_cameo_codebook(client: TestClient) -> None:
    data = get(client, "/api/cameo")
    codes = {c["code"]: c for c in data["codes"]}
    assert codes["051"]["label"] == "Praise or endorse" and codes["040"]["quad_class"] == 1
    assert len([c for c in codes if len(c) == 2]) == 20
    assert data["default_modalities"] == ["asserted", "reported"]


def test_actor_autocomplete(client: TestClient) -> None:
    turkey = get(client, "/api/actors", q="tur")["actors"]
    assert turkey[0]["code"] == "TUR" and all("TUR" in a["code"] or a["text"] for a in turkey)
    lavrov = get(client, "/api/actors", q="Lavrov")["actors"]
    assert "RUSGOV" in {a["code"] for a in lavrov}
    assert get(client, "/api/actors", q="%")["actors"] == []  # % is a literal, not a wildcard
    assert len(get(client, "/api/actors", q="a", limit=2)["actors"]) <= 2


# -------------------------------------------------------------------- filters


def test_actor_filter_matches_either_side_by_prefix_or_country(client: TestClient) -> None:
    events = all_events(client, actor="TUR")
    assert events
    for e in events:
        sides = [e["source"], e["target"] or {"code": "", "country": None}]
        assert any(s["code"].startswith("TUR") or s["country"] == "TUR" for s in sides)
    assert all(e["source"]["code"].startswith("TUR") for e in all_events(client, source="TUR"))
    targets = all_events(client, target="tur")  # case-insensitive
    assert targets and all(e["target"]["country"] == "TUR" for e in targets)


def test_dyad_filter(client: TestClient) -> None:
    both = all_events(client, dyad="IRN,RUS")
    assert both and all(countries(e) == frozenset(("RUS", "IRN")) for e in both)
    forward = all_events(client, dyad="RUS,IRN", directed="true")
    backward = all_events(client, dyad="IRN,RUS", directed="true")
    assert len(forward) + len(backward) == len(both)


def test_code_root_quad_class_and_modality_filters(client: TestClient) -> None:
    assert all(e["code"].startswith("04") for e in all_events(client, code="04"))
    assert {e["root_code"] for e in all_events(client, root=["04", "5"])} <= {"04", "05"}
    assert {e["quad_class"] for e in all_events(client, quad_class=["3", "4"])} <= {3, 4}
    default = all_events(client)
    assert {e["modality"] for e in default} <= {"asserted", "reported"}
    everything = all_events(client, modality="all")
    assert len(everything) > len(default)
    hypothetical = all_events(client, modality="hypothetical", min_confidence=0)
    assert hypothetical and {e["modality"] for e in hypothetical} == {"hypothetical"}
    assert len(all_events(client, modality=["asserted", "future"])) >= len(
        all_events(client, modality="asserted")
    )


def test_low_confidence_events_are_out_of_the_default_view(client: TestClient) -> None:
    default = all_events(client)
    assert default and all(e["confidence"] >= DEFAULT_MIN_CONFIDENCE for e in default)
    every = all_events(client, min_confidence=0)
    assert len(every) > len(default)
    assert {e["event_id"] for e in default} < {e["event_id"] for e in every}
    assert get(client, "/api/cameo")["default_min_confidence"] == DEFAULT_MIN_CONFIDENCE
    response = client.get("/api/events", params={"min_confidence": 2})
    assert response.status_code == 422 and response.json()["parameter"] == "min_confidence"


def test_place_country_near_and_outlet_filters(client: TestClient) -> None:
    moscow = all_events(client, place="moscow")
    assert moscow and {e["location"]["name"] for e in moscow} == {"Moscow"}
    assert {e["location"]["country"] for e in all_events(client, country="syr")} == {"SYR"}
    near = all_events(client, near="55.7,37.6,50")
    assert {e["event_id"] for e in near} == {e["event_id"] for e in moscow}
    assert all_events(client, near="-33.9,18.4,100") == []  # Cape Town
    assert len(all_events(client, outlet="themoscowtimes.com")) == len(all_events(client))
    assert all_events(client, outlet="example.org") == []


def test_date_filters_take_periods(client: TestClient) -> None:
    december = all_events(client, since="2016-12", until="2016-12")
    assert december and all(e["date"].startswith("2016-12") for e in december)
    # the seed article's events of September 2015 (month precision)
    assert {e["date"] for e in all_events(client, until="2015")} == {"2015-09"}
    assert all_events(client, until="2015-08") == []
    september = all_events(client, since="2015-09-01", until="2015-09-30")
    assert september and {e["date"] for e in september} == {"2015-09"}


# ----------------------------------------------------------------- pagination


@pytest.mark.parametrize("sort", ["-date", "date", "goldstein", "-goldstein"])
def test_cursor_pagination_visits_every_event_once(client: TestClient, sort: str) -> None:
    full = all_events(client, sort=sort, modality="all")
    seen: list[str] = []
    page = get(client, "/api/events", limit=4, sort=sort, modality="all")
    assert page["total"] == len(full)
    while True:
        seen.extend(e["event_id"] for e in page["events"])
        if page["next_cursor"] is None:
            break
        page = get(
            client, "/api/events", limit=4, sort=sort, modality="all", cursor=page["next_cursor"]
        )
        assert page["total"] is None
    assert seen == [e["event_id"] for e in full]
    key = "goldstein" if "goldstein" in sort else "date"
    values = [e[key] or "" for e in full]
    if key == "goldstein":
        assert values == sorted(values, reverse=sort.startswith("-"))


def test_page_size_is_capped(client: TestClient) -> None:
    response = client.get("/api/events", params={"limit": 501})
    assert response.status_code == 422 and response.json()["parameter"] == "limit"


# ------------------------------------------------------------------------ 422s


@pytest.mark.parametrize(
    ("url", "params", "name"),
    [
        ("/api/events", {"limit": "0"}, "limit"),
        ("/api/events", {"limit": "ten"}, "limit"),
        ("/api/events", {"since": "yesterday"}, "since"),
        ("/api/events", {"since": "2016-02-30"}, "since"),
        ("/api/events", {"since": "2017", "until": "2016"}, "until"),
        ("/api/events", {"actor": "RUS GOV"}, "actor"),
        ("/api/events", {"source": "RU$"}, "source"),
        ("/api/events", {"dyad": "RUS"}, "dyad"),
        ("/api/events", {"code": "4a"}, "code"),
        ("/api/events", {"root": "21"}, "root"),
        ("/api/events", {"quad_class": "5"}, "quad_class"),
        ("/api/events", {"modality": "rumoured"}, "modality"),
        ("/api/events", {"country": "Russia"}, "country"),
        ("/api/events", {"near": "55,37"}, "near"),
        ("/api/events", {"near": "95,37,10"}, "near"),
        ("/api/events", {"near": "nan,37,10"}, "near"),
        ("/api/events", {"sort": "random()"}, "sort"),
        ("/api/events", {"cursor": "not-a-cursor"}, "cursor"),
        ("/api/events", {"directed": "maybe"}, "directed"),
        ("/api/timeline", {"by": "year"}, "by"),
        ("/api/timeline", {"interval": "year"}, "interval"),
        ("/api/dyads", {"level": "agent"}, "level"),
        ("/api/dyads", {"limit": "1001"}, "limit"),
        ("/api/places", {"limit": "-1"}, "limit"),
        ("/api/actors", {}, "q"),
        ("/api/actors", {"q": ""}, "q"),
        ("/api/export", {"format": "xml"}, "format"),
        ("/api/export", {"limit": "100001"}, "limit"),
    ],
)
def test_invalid_parameters_are_422_naming_the_parameter(
    client: TestClient, url: str, params: dict, name: str
) -> None:
    response = client.get(url, params=params)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["parameter"] == name
    assert f"'{name}'" in body["error"]


def test_cursor_of_another_sort_is_refused(client: TestClient) -> None:
    cursor = get(client, "/api/events", limit=1, sort="date")["next_cursor"]
    response = client.get("/api/events", params={"cursor": cursor, "sort": "goldstein"})
    assert response.status_code == 422 and "sort" in response.json()["error"]


def test_timeline_refuses_too_many_buckets(seed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "wide.duckdb"
    shutil.copy(seed_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE events SET date_start = DATE '1900-01-01' WHERE sentence_index = 0")
    app = create_app(db, allowed_hosts=["testserver"])
    with TestClient(app) as wide:
        every = {"min_confidence": 0}  # the headline's events may be below the default view
        response = wide.get("/api/timeline", params={"by": "day", **every})
        assert response.status_code == 422 and response.json()["parameter"] == "by"
        response = wide.get("/api/timeline", params={"interval": "day", **every})
        assert response.status_code == 422 and response.json()["parameter"] == "interval"
        assert wide.get("/api/timeline", params=every).json()["interval"] == "month"
    app.state.db.close()


# ---------------------------------------------------------- oversized / hostile


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"actor": "A" * 10_000}, "actor"),
        ({"place": "x" * 5_000}, "place"),
        ({"outlet": "y" * 201}, "outlet"),
        ({"modality": ["asserted"] * 21}, "modality"),
        ({"root": ",".join(["04"] * 25)}, "root"),
        ({"cursor": "c" * 1_000}, "cursor"),
        ({"place": "Moscow\x00"}, "place"),
    ],
)
def test_oversized_parameters_are_refused(client: TestClient, params: dict, name: str) -> None:
    response = client.get("/api/events", params=params)
    assert response.status_code == 422
    assert response.json()["parameter"] == name
    assert len(response.content) < 2_000  # the input is not echoed back


def test_injection_in_codes_is_refused(client: TestClient) -> None:
    before = get(client, "/api/health")["events"]
    for name in ("actor", "source", "target", "code", "country", "root", "quad_class"):
        response = client.get("/api/events", params={name: "RUS'; DROP TABLE events; --"})
        assert response.status_code == 422, name
        assert response.json()["parameter"] == name
    assert client.get("/api/events", params={"dyad": "RUS,TUR'--"}).status_code == 422
    assert get(client, "/api/health")["events"] == before


@pytest.mark.parametrize("payload", PAYLOADS)
def test_injection_in_free_text_is_bound_as_a_value(client: TestClient, payload: str) -> None:
    before = get(client, "/api/health")
    assert get(client, "/api/events", place=payload)["events"] == []
    assert get(client, "/api/events", outlet=payload)["events"] == []
    assert get(client, "/api/timeline", place=payload)["buckets"] == []
    assert get(client, "/api/dyads", outlet=payload)["edges"] == []
    assert get(client, "/api/places", place=payload)["features"] == []
    get(client, "/api/actors", q=payload[:64])  # answers, whatever it matches
    assert client.get(f"/api/events/{payload}").status_code in {404, 422}
    assert get(client, "/api/health") == before
    assert not Path("/tmp/stolen.csv").exists() and not Path("/tmp/evil.duckdb").exists()


def test_database_is_read_only_and_cannot_touch_files(client: TestClient) -> None:
    db: Database = client.app.state.db
    with pytest.raises(QueryFailed):
        db.query("DELETE FROM events")
    with pytest.raises(QueryFailed):
        db.query("SELECT * FROM read_csv('/etc/passwd')")
    with pytest.raises(QueryFailed):
        db.query("SET enable_external_access = true")


def test_slow_query_is_interrupted(client: TestClient, monkeypatch) -> None:
    db: Database = client.app.state.db
    with pytest.raises(QueryTimeout):
        db.query("SELECT count(*) FROM range(100000000000) a", timeout=0.2)

    def slow(*args, **kwargs):
        raise QueryTimeout("too slow")

    monkeypatch.setattr("tidings.web._aggregates.timeline", slow)
    response = client.get("/api/timeline")
    assert response.status_code == 503 and "too long" in response.json()["error"]


def test_no_writes_and_no_cors_by_default(client: TestClient) -> None:
    assert client.post("/api/events").status_code == 405
    assert client.delete("/api/events/x").status_code == 405
    response = client.get("/api/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_unexpected_host_is_refused(seed_db: Path) -> None:
    app = create_app(seed_db)  # loopback names only
    with TestClient(app, base_url="http://127.0.0.1:8000") as local:
        assert local.get("/api/health").status_code == 200
        rebound = local.get("/api/health", headers={"Host": "attacker.example"})
        assert rebound.status_code == 400


def test_cors_when_asked(seed_db: Path) -> None:
    app = create_app(seed_db, allowed_hosts=["testserver"], cors_origins=["http://app.local"])
    with TestClient(app) as cors:
        response = cors.get("/api/health", headers={"Origin": "http://app.local"})
        assert response.headers["access-control-allow-origin"] == "http://app.local"
        other = cors.get("/api/health", headers={"Origin": "http://other.local"})
        assert "access-control-allow-origin" not in other.headers


# --------------------------------------------------------------------- export


def test_export_jsonl_follows_the_contract(client: TestClient) -> None:
    response = client.get("/api/export", params={"format": "jsonl", "actor": "TUR"})
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert len(lines) == len(all_events(client, actor="TUR"))
    assert all(line.keys() >= CONTRACT for line in lines)


def test_export_csv_is_capped_and_defused(client: TestClient) -> None:
    response = client.get("/api/export", params={"format": "csv", "limit": 3})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 3 and response.headers["content-type"].startswith("text/csv")
    assert {"event_id", "source_code", "code", "goldstein", "sentence"} <= rows[0].keys()
    every = list(csv.DictReader(io.StringIO(client.get("/api/export?format=csv").text)))
    assert not any(r["source_text"].startswith(("=", "+", "@")) for r in every)


# ------------------------------------------------------- schema and the page


def test_extra_columns_are_ignored(seed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "extra.duckdb"
    shutil.copy(seed_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("ALTER TABLE events ADD COLUMN reviewer TEXT DEFAULT 'someone'")
        con.execute("ALTER TABLE articles ADD COLUMN paywall BOOLEAN DEFAULT false")
    app = create_app(db, allowed_hosts=["testserver"])
    with TestClient(app) as extra:
        events = extra.get("/api/events").json()["events"]
        assert events and "reviewer" not in events[0]
        detail = extra.get(f"/api/events/{events[0]['event_id']}").json()
        assert detail["articles"]
    app.state.db.close()


def test_imported_event_without_article(seed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "imported.duckdb"
    shutil.copy(seed_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute(
            "INSERT INTO events (event_id, doc_id, sentence_index, source_code, source_country, "
            "source_text, target_code, target_country, target_text, code, root_code, quad_class, "
            "goldstein, modality, trigger, rule, cues, date, date_precision, date_start, "
            "provenance, sentence_text, source_url) VALUES ('g1', 'gdelt:x.csv', -1, 'RUS', "
            "'RUS', 'Russia', 'TUR', 'TUR', 'Turkey', '040', '04', 1, 1.0, 'asserted', '', '', "
            "[], '2016-12-20', 'day', DATE '2016-12-20', 'gdelt:x.csv', 'Imported text.', "
            "'https://example.org/a')"
        )
    app = create_app(db, allowed_hosts=["testserver"])
    with TestClient(app) as imported:
        listed = [
            e
            for e in imported.get("/api/events", params={"limit": 500}).json()["events"]
            if e["event_id"] == "g1"
        ]
        assert listed[0]["sentence"] == "Imported text."
        assert listed[0]["provenance"] == "gdelt:x.csv"
        assert listed[0]["article"]["url"] == "https://example.org/a"
        detail = imported.get("/api/events/g1").json()
        assert detail["event"]["sentence"] == "Imported text."
        assert detail["articles"]["gdelt:x.csv"] is None  # no article behind an import
        # ...but the coded reports of the same talks are its other mentions.
        assert any("met for talks" in m["sentence"] for m in detail["mentions"])
        why = detail["event"]["explain"]  # explained by its origin, not by a coding rule
        assert "rule" not in why and "x.csv" in why["origin"] and "GDELT" in why["origin"]
    app.state.db.close()


def test_empty_store(tmp_path: Path) -> None:
    from tidings.store import Store

    db = tmp_path / "empty.duckdb"
    Store(db).close()
    app = create_app(db, allowed_hosts=["testserver"])
    with TestClient(app) as empty:
        assert empty.get("/api/events").json()["events"] == []
        assert empty.get("/api/timeline").json()["buckets"] == []
        assert empty.get("/api/dyads").json()["edges"] == []
        assert empty.get("/api/places").json()["features"] == []
        assert empty.get("/api/health").json()["events"] == 0
    app.state.db.close()


def test_openapi_lists_the_endpoints(client: TestClient) -> None:
    paths = get(client, "/openapi.json")["paths"]
    for path in (
        "/api/events",
        "/api/events/{event_id}",
        "/api/timeline",
        "/api/dyads",
        "/api/places",
        "/api/actors",
        "/api/cameo",
        "/api/export",
        "/api/health",
        "/api/version",
    ):
        assert path in paths
    assert all(set(methods) == {"get"} for methods in paths.values())


def test_dashboard_is_served_with_local_assets_only(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "http://" not in page.text and "https://" not in page.text
    for asset in (
        "/static/js/main.js",
        "/static/css/app.css",
        "/static/vendor/d3.min.js",
        "/static/vendor/topojson-client.min.js",
        "/static/vendor/countries-110m.json",
        "/static/vendor/LICENSE-d3.txt",
        "/static/vendor/LICENSE-world-atlas.txt",
    ):
        assert client.get(asset).status_code == 200, asset
    static = REPO / "src" / "tidings" / "web" / "static" / "js"
    for module in static.glob("*.js"):
        text = module.read_text(encoding="utf-8")
        assert "innerHTML" not in text and "http" not in text.replace("history", ""), module


def test_serve_command(seed_db: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from tidings.cli.serve_cmd import serve

    calls = []

    def fake_serve(db, *, announce, **kw):
        calls.append((db, kw))
        announce()  # the banner, once the store is open

    monkeypatch.setattr("tidings.web.serve", fake_serve)
    result = CliRunner().invoke(serve, ["--db", str(seed_db), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "serving" in result.output
    assert calls == [
        (str(seed_db), {"host": "127.0.0.1", "port": 8123, "cors_origins": (), "timeout": 5.0})
    ]
    missing = CliRunner().invoke(serve, ["--db", str(seed_db) + ".missing"])
    assert missing.exit_code != 0 and "does not exist" in str(missing.exception)
