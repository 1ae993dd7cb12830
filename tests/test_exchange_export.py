"""Exports: every format's columns, conventions, stamp and filters."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tidings.errors import InputError, StoreError
from tidings.exchange import EXPORT_FORMATS, export_events, read_sidecar, sidecar_path
from tidings.exchange._stamp import dictionaries_hash
from tidings.exchange._tables import GDELT_EVENT_COLUMNS, GDELT_MENTION_COLUMNS, ICEWS_COLUMNS
from tidings.model import Actor, Place
from tidings.store import FLAT_COLUMNS, Store

from .test_store import full_event, make_coded, make_event

KYIV = Place("Kyiv", "UKR", "UA-30", 50.45466, 30.5238, "geonames:703448", "city")
AUSTIN = Place("Austin", "USA", "US-TX", 30.26715, -97.74306, "geonames:4671654", "city")


@pytest.fixture
def store(tmp_path: Path):
    """Two articles: six events of varied shape, one of them negated."""
    with Store(tmp_path / "s.duckdb") as opened:
        opened.save(
            make_coded(
                "a",
                (
                    replace(full_event("a"), location=KYIV, modality="asserted"),
                    make_event("a", 2, modality="negated", location=KYIV),
                    make_event("a", 3, target=None, code="190", modality="reported"),
                    replace(
                        make_event("a", 4, date=None, sentence_index=0, source="---"),
                        sentence="Title of a",
                    ),
                    make_event("a", 5, date="2024-02", precision="month", code="0431"),
                ),
                n_sentences=3,
            )
        )
        opened.save(
            make_coded(
                "b", (make_event("b", 1, source="USACOP", target="USACRM", location=AUSTIN),)
            )
        )
        yield opened


def lines(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]


def test_gdelt_event_table(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "events.tsv"
    summary = export_events(store, "gdelt", out, coder="tidings.dep_coder.v1")
    assert summary.events == 5 and summary.sidecar == str(sidecar_path(out))
    rows = [dict(zip(GDELT_EVENT_COLUMNS, row, strict=True)) for row in lines(out)]
    assert len(GDELT_EVENT_COLUMNS) == 61 and all(len(r) == 61 for r in rows)
    meta = read_sidecar(out)
    assert meta is not None and meta["events"] == 5 and meta["format"] == "gdelt"
    assert meta["stamp"] == (
        f"tidings 0.1.0 coder tidings.dep_coder.v1 dictionaries {dictionaries_hash()} format gdelt"
    )
    ids = meta["event_ids"]
    by_id = {ids[r["GLOBALEVENTID"]]: r for r in rows}
    assert set(by_id) == {"a-e1", "a-e3", "a-e4", "a-e5", "b-e1"}  # negated a-e2 left out

    full = by_id["a-e1"]
    assert int(full["GLOBALEVENTID"]) < 2**63
    assert (full["SQLDATE"], full["MonthYear"], full["Year"]) == ("20240304", "202403", "2024")
    assert full["FractionDate"] == "2024.1753"  # day 64 of the year / 365
    assert (full["Actor1Code"], full["Actor1Name"]) == ("RUSGOVFRM", "Russia's foreign minister")
    assert (full["Actor1CountryCode"], full["Actor1Type1Code"]) == ("RUS", "GOV")
    assert (full["Actor2Code"], full["Actor2CountryCode"]) == ("UKRGOV", "UKR")
    assert (full["EventCode"], full["EventBaseCode"], full["EventRootCode"]) == ("042", "042", "04")
    assert (full["QuadClass"], full["GoldsteinScale"]) == ("1", "1.9")
    assert (full["NumMentions"], full["NumSources"], full["NumArticles"]) == ("1", "1", "1")
    assert full["IsRootEvent"] == "0"  # sentence 2 is in the second paragraph
    assert full["ActionGeo_Type"] == "4"  # a city outside the US
    assert full["ActionGeo_CountryCode"] == "UP"  # FIPS, not ISO
    assert (full["ActionGeo_ADM1Code"], full["ActionGeo_FeatureID"]) == ("UA-30", "geonames:703448")
    assert (full["ActionGeo_Lat"], full["ActionGeo_Long"]) == ("50.45466", "30.5238")
    # the Ukrainian target is placed where the event happened (Kyiv); the Russian
    # source only by its country (a country-level place, GDELT type 1)
    assert (full["Actor2Geo_Type"], full["Actor2Geo_FeatureID"]) == ("4", "geonames:703448")
    assert (full["Actor1Geo_Type"], full["Actor1Geo_CountryCode"]) == ("1", "RS")
    assert len(full["DATEADDED"]) == 14 and full["DATEADDED"].isdigit()
    assert full["SOURCEURL"] == "https://example.org/a"

    assert by_id["a-e3"]["Actor2Code"] == by_id["a-e3"]["Actor2Name"] == ""
    assert by_id["a-e4"]["SQLDATE"] == "" and by_id["a-e4"]["Actor1Code"] == ""  # "---"
    assert by_id["a-e4"]["IsRootEvent"] == "1"  # the title
    assert by_id["a-e5"]["SQLDATE"] == "20240201"  # a month is written as its first day
    assert by_id["a-e5"]["EventBaseCode"] == "043"
    austin = by_id["b-e1"]
    assert (austin["ActionGeo_Type"], austin["ActionGeo_ADM1Code"]) == ("3", "USTX")
    assert austin["ActionGeo_CountryCode"] == "US"


def test_gdelt_mentions_table(store: Store, tmp_path: Path) -> None:
    export_events(store, "gdelt", tmp_path / "e.tsv")
    export_events(store, "gdelt-mentions", tmp_path / "m.tsv")
    events = {row[0] for row in lines(tmp_path / "e.tsv")}
    rows = [dict(zip(GDELT_MENTION_COLUMNS, r, strict=True)) for r in lines(tmp_path / "m.tsv")]
    assert len(GDELT_MENTION_COLUMNS) == 16
    assert {r["GLOBALEVENTID"] for r in rows} == events  # the two tables join
    ids = read_sidecar(tmp_path / "m.tsv")["event_ids"]
    full = next(r for r in rows if ids[r["GLOBALEVENTID"]] == "a-e1")
    assert full["EventTimeDate"] == "20240304000000"
    assert full["MentionTimeDate"] == "20240305000000"  # the article's date
    assert (full["MentionType"], full["MentionSourceName"]) == ("1", "Example Times")
    assert (full["MentionIdentifier"], full["SentenceID"]) == ("https://example.org/a", "3")
    assert full["ActionCharOffset"] == "-1" and full["InRawText"] == "1"
    assert "<TIDINGS_EVENT_ID>a-e1</TIDINGS_EVENT_ID>" in full["Extras"]
    assert "<TIDINGS_RULE>MEET:042</TIDINGS_RULE>" in full["Extras"]


def test_icews_table(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "events.tab"
    export_events(store, "icews", out)
    header, *rows = lines(out)
    assert tuple(header) == ICEWS_COLUMNS
    ids = read_sidecar(out)["event_ids"]
    by_id = {ids[r[0]]: dict(zip(ICEWS_COLUMNS, r, strict=True)) for r in rows}
    full = by_id["a-e1"]
    assert full["Event Date"] == "2024-03-04"
    assert (full["Source Name"], full["Source Sectors"], full["Source Country"]) == (
        "Russia's foreign minister",
        "Government",
        "Russia",
    )
    assert full["Target Country"] == "Ukraine"
    assert (full["Event Text"], full["CAMEO Code"], full["Intensity"]) == (
        "Make a visit",
        "042",
        "1.9",
    )
    assert (full["Story ID"], full["Sentence Number"], full["Publisher"]) == (
        "a",
        "3",
        "Example Times",
    )
    assert (full["City"], full["Country"], full["Latitude"]) == ("Kyiv", "Ukraine", "50.45466")
    assert by_id["a-e3"]["Target Name"] == ""
    assert by_id["a-e5"]["Event Text"].startswith("Host")  # 0431 is under 043


def test_csv_and_parquet_have_the_flat_columns(store: Store, tmp_path: Path) -> None:
    export_events(store, "csv", tmp_path / "e.csv", modalities=None)
    with open(tmp_path / "e.csv", newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    assert tuple(header) == FLAT_COLUMNS and len(rows) == 6
    full = dict(zip(header, next(r for r in rows if r[0] == "a-e1"), strict=True))
    assert json.loads(full["cues"]) == ["said", "according to"]
    assert full["provenance"] == "tidings" and full["extras"] == ""

    summary = export_events(store, "parquet", tmp_path / "e.parquet", modalities=None)
    assert summary.sidecar is None and summary.events == 6
    table = pq.read_table(tmp_path / "e.parquet")
    assert tuple(table.column_names) == FLAT_COLUMNS
    stamp = json.loads(table.schema.metadata[b"tidings"])
    assert stamp["format"] == "parquet" and stamp["tidings"] == "0.1.0"
    full = next(r for r in table.to_pylist() if r["event_id"] == "a-e1")
    assert full["cues"] == ["said", "according to"] and full["location_lat"] == 50.45466


def test_jsonl_is_the_contract_plus_lossless_fields(store: Store, tmp_path: Path) -> None:
    export_events(store, "jsonl", tmp_path / "e.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text().splitlines()]
    full = next(r for r in rows if r["event_id"] == "a-e1")
    expected = full_event("a").to_dict()
    for key in ("event_id", "doc_id", "sentence_index", "sentence", "code", "goldstein", "date"):
        assert full[key] == expected[key]
    assert full["source"]["entry"] == "SERGEY_LAVROV"
    assert full["source"]["role_start"] == "2004-03-09"
    assert full["provenance"] == "tidings" and full["extras"] is None
    assert {r["modality"] for r in rows} == {"asserted", "reported"}


def test_gexf_actor_network(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "net.gexf"
    summary = export_events(store, "gexf", out, modalities=None)
    text = out.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!-- tidings 0.1.0 coder')
    ns = {"g": "http://www.gexf.net/1.2draft"}
    root = ET.fromstring(text)
    assert summary.events == 6 and summary.sidecar is None
    assert root.find("g:meta/g:description", ns).text.startswith("tidings 0.1.0")
    nodes = {n.get("id") for n in root.iterfind(".//g:node", ns)}
    assert nodes == {"RUSGOVFRM", "UKRGOV", "RUSGOV", "---", "USACOP", "USACRM"}
    edges = {(e.get("source"), e.get("target")): e for e in root.iterfind(".//g:edge", ns)}
    assert set(edges) == {
        ("RUSGOVFRM", "UKRGOV"),
        ("RUSGOV", "UKRGOV"),
        ("---", "UKRGOV"),
        ("USACOP", "USACRM"),
    }
    dyad = edges[("RUSGOV", "UKRGOV")]  # a-e2 (negated) and a-e5
    assert dyad.get("weight") == "2.0"
    values = {v.get("for"): v.get("value") for v in dyad.iterfind(".//g:attvalue", ns)}
    assert values == {"0": "2", "1": "1.9", "2": "04"}


def test_geojson_skips_events_without_coordinates(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "e.geojson"
    summary = export_events(store, "geojson", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert (summary.events, summary.skipped) == (2, 3)
    assert data["tidings"]["events"] == 2 and data["tidings"]["format"] == "geojson"
    kyiv = next(f for f in data["features"] if f["id"] == "a-e1")
    assert kyiv["geometry"] == {"type": "Point", "coordinates": [30.5238, 50.45466]}
    assert kyiv["properties"]["location"]["name"] == "Kyiv"


def test_filters(store: Store, tmp_path: Path) -> None:
    def ids(**filters) -> list[str]:
        buffer = io.StringIO()
        export_events(store, "jsonl", buffer, **filters)
        return [json.loads(line)["event_id"] for line in buffer.getvalue().splitlines()]

    assert ids(modalities=["negated"]) == ["a-e2"]
    assert len(ids(modalities=None)) == 6
    assert ids(since="2024-03-04", until="2024-03-04") == ["a-e3", "a-e1", "b-e1"]
    assert ids(actor="USA") == ["b-e1"]
    assert ids(code="04", limit=1) == ["a-e5"]
    assert ids(provenance="gdelt") == []
    assert len(ids(provenance="tidings")) == 5


def test_stamp_uses_the_store_settings(store: Store, tmp_path: Path) -> None:
    store.set_setting("coder", "tidings.dep_coder.v9")
    store.set_setting("dictionaries", "user-profile-1")
    summary = export_events(store, "csv", tmp_path / "e.csv")
    assert summary.stamp.coder == "tidings.dep_coder.v9"
    assert read_sidecar(tmp_path / "e.csv")["dictionaries"] == "user-profile-1"


def test_stream_output_has_no_sidecar(store: Store) -> None:
    buffer = io.StringIO()
    summary = export_events(store, "gdelt", buffer)
    assert summary.sidecar is None and summary.events == 5
    assert len(buffer.getvalue().splitlines()) == 5
    binary = io.BytesIO()
    export_events(store, "parquet", binary)
    assert pq.read_table(io.BytesIO(binary.getvalue())).num_rows == 5


def test_export_by_path_opens_the_store_read_only(store: Store, tmp_path: Path) -> None:
    path = store.path
    store.close()
    summary = export_events(path, "jsonl", tmp_path / "e.jsonl")
    assert summary.events == 5
    with pytest.raises(StoreError, match="no event store"):
        export_events(tmp_path / "missing.duckdb", "jsonl", tmp_path / "x.jsonl")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fmt": "xml"}, "unknown export format 'xml'"),
        ({"modalities": ["sure"]}, "unknown modality 'sure'"),
        ({"since": "March 2024"}, "since: expected a date"),
        ({"limit": -1}, "limit"),
    ],
)
def test_bad_arguments_are_input_errors(store: Store, tmp_path: Path, kwargs, message) -> None:
    out = tmp_path / "never.tsv"
    arguments = {"fmt": "gdelt", **kwargs}
    with pytest.raises(InputError, match=message) as info:
        export_events(store, arguments.pop("fmt"), out, **arguments)
    assert "\n" not in str(info.value)
    assert not out.exists()


def test_output_errors(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        export_events(store, "csv", tmp_path)
    with pytest.raises(InputError, match="cannot write"):
        export_events(store, "csv", tmp_path / "no" / "such" / "dir.csv")


def test_every_format_is_exported(store: Store, tmp_path: Path) -> None:
    from tidings.analytics._merge import rebuild_merged

    rebuild_merged(store)  # the gdelt-merged formats read the merged events
    for fmt in EXPORT_FORMATS:
        summary = export_events(store, fmt, tmp_path / f"out.{fmt}")
        assert (tmp_path / f"out.{fmt}").stat().st_size > 0
        assert summary.format == fmt


def test_tabs_and_newlines_cannot_break_tsv_rows(store: Store, tmp_path: Path) -> None:
    odd = replace(
        make_event("c", 1),
        source=Actor(code="RUS", text="Russia\tand\nfriends", country="RUS"),
    )
    store.save(make_coded("c", (odd,)))
    for fmt in ("gdelt", "icews", "gdelt-mentions"):
        out = tmp_path / f"{fmt}.tsv"
        export_events(store, fmt, out)
        widths = {len(row) for row in lines(out)}
        assert len(widths) == 1, fmt
