"""GDELT exports over merged events: one row per event, every report a mention."""

from __future__ import annotations

import json

import pytest

from tidings.analytics._merge import rebuild_merged
from tidings.api import code_inputs, open_store
from tidings.errors import InputError
from tidings.exchange import export_events


def test_gdelt_merged_counts_mentions(tmp_path):
    corpus = tmp_path / "c.jsonl"
    rows = [
        {
            "id": "a",
            "date": "2016-12-21",
            "source": "Outlet A",
            "text": "Japan condemned North Korea on Tuesday.",
        },
        {
            "id": "b",
            "date": "2016-12-21",
            "source": "Outlet B",
            "text": "On Tuesday, Japan strongly condemned North Korea over its missile test.",
        },
    ]
    corpus.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    db = tmp_path / "m.duckdb"
    code_inputs([str(corpus)], db=db, deduplicate=False)
    events_out, mentions_out = tmp_path / "e.tsv", tmp_path / "m.tsv"
    with pytest.raises(InputError, match="tidings merge"):
        export_events(db, "gdelt-merged", events_out)
    with open_store(db) as store:
        rebuild_merged(store)
    export_events(db, "gdelt-merged", events_out)
    export_events(db, "gdelt-merged-mentions", mentions_out)
    event_rows = [line.split("\t") for line in events_out.read_text().splitlines()]
    condemn = [r for r in event_rows if r[26] == "111"]
    assert len(condemn) == 1
    assert (condemn[0][31], condemn[0][32], condemn[0][33]) == ("2", "2", "2")
    mention_rows = [line.split("\t") for line in mentions_out.read_text().splitlines()]
    keyed = [r for r in mention_rows if r[0] == condemn[0][0]]
    assert len(keyed) == 2 and {r[4] for r in keyed} == {"Outlet A", "Outlet B"}


def test_gdelt_merged_mentions_include_recorded_copies(tmp_path):
    """A wire story coded once but carried by another outlet: two mentions, two articles."""
    story = "Japan condemned North Korea on Tuesday over its missile test near Hokkaido."
    rows = [
        {
            "id": "wire",
            "date": "2016-12-21",
            "source": "Wire",
            "url": "https://wire.example/1",
            "text": story,
        },
        {
            "id": "copy",
            "date": "2016-12-22",
            "source": "Daily",
            "url": "https://daily.example/9",
            "text": story,
        },
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    db = tmp_path / "m.duckdb"
    summary = code_inputs([str(corpus)], db=db)
    assert summary.duplicates == 1
    with open_store(db) as store:
        rebuild_merged(store)
    events_out, mentions_out = tmp_path / "e.tsv", tmp_path / "m.tsv"
    export_events(db, "gdelt-merged", events_out)
    export_events(db, "gdelt-merged-mentions", mentions_out)
    condemn = [
        r for r in (x.split("\t") for x in events_out.read_text().splitlines()) if r[26] == "111"
    ]
    assert len(condemn) == 1
    assert (condemn[0][31], condemn[0][32], condemn[0][33]) == ("2", "2", "2")
    keyed = [
        r
        for r in (x.split("\t") for x in mentions_out.read_text().splitlines())
        if r[0] == condemn[0][0]
    ]
    assert sorted((r[4], r[5]) for r in keyed) == [
        ("Daily", "https://daily.example/9"),
        ("Wire", "https://wire.example/1"),
    ]
    assert sorted(r[2][:8] for r in keyed) == ["20161221", "20161222"]
