"""``tidings timeline``, ``dyads``, ``stats`` and ``merge`` on a hand-built store.

The commands are invoked directly (``tidings.cli.analytics_cmd``), so these
tests do not depend on how the main command group registers them.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tidings.cli.analytics_cmd import dyads_cmd, merge_cmd, stats_cmd, timeline_cmd
from tidings.store import Store

from .test_analytics import ARTICLES, GDELT


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.duckdb"
    with Store(path) as store:
        for article in ARTICLES:
            store.save(article)
        store.connection.execute(GDELT)
    return path


def run(command, *args: str) -> Result:
    return CliRunner().invoke(command, list(args), catch_exceptions=False)


def test_timeline_formats(db: Path) -> None:
    table = run(timeline_cmd, "RUS", "TUR", "--by", "week", "--db", str(db))
    assert table.exit_code == 0, table.output
    assert "RUS - TUR by week" in table.output and "2016-12-19" in table.output
    out = run(timeline_cmd, "RUS", "TUR", "--db", str(db), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert [(r["period"], r["events"], r["q4"]) for r in rows] == [
        ("2016-12-19", "2", "0"),
        ("2016-12-26", "1", "1"),
        ("2017-01-02", "1", "0"),
    ]
    options = ["--by", "month", "--format", "json", "--normalize", "--all-modalities"]
    out = run(timeline_cmd, "RUS", "--db", str(db), *options)
    months = json.loads(out.output)
    assert [m["period"] for m in months] == ["2016-12-01", "2017-01-01"]
    assert months[0]["articles"] == 1 and months[0]["events_per_article"] == months[0]["events"]
    directed = run(timeline_cmd, "TUR", "RUS", "--directed", "--db", str(db), "--format", "json")
    assert [m["events"] for m in json.loads(directed.output)] == [1, 0, 1]


def test_timeline_usage_errors(db: Path) -> None:
    both = ["--modality", "asserted", "--all-modalities"]
    for args in (["A", "B", "C"], ["RUS", "--root", "42"], ["RUS", *both]):
        result = CliRunner().invoke(timeline_cmd, [*args, "--db", str(db)])
        assert result.exit_code == 2, result.output


def test_dyads(db: Path) -> None:
    out = run(dyads_cmd, "--top", "2", "--db", str(db), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert [(r["source"], r["target"], r["events"]) for r in rows] == [
        ("RUSGOV", "TURGOV", "2"),
        ("TURGOV", "RUSGOV", "2"),
    ]
    options = ["--undirected", "--level", "country", "--since", "2016-12", "--until", "2016-12"]
    out = run(dyads_cmd, "--top", "1", "--db", str(db), "--format", "json", *options)
    assert json.loads(out.output)[0] | {"goldstein_mean": None} == {
        "actor1": "RUS",
        "actor2": "TUR",
        "events": 4,
        "q1": 3,
        "q2": 0,
        "q3": 0,
        "q4": 1,
        "goldstein_mean": None,
    }
    table = run(dyads_cmd, "--db", str(db), "--actor", "IRN", "--all-modalities")
    assert "IRNGOV" in table.output and "USAGOV" not in table.output


def test_stats_and_merge(db: Path) -> None:
    before = run(stats_cmd, "--db", str(db))
    assert "12 events" in before.output and "merged: not built" in before.output
    merged = run(merge_cmd, "--db", str(db), "--window", "2")
    assert merged.exit_code == 0
    assert "12 mentions merged into" in merged.output and "window 2 days" in merged.output
    stats = json.loads(run(stats_cmd, "--db", str(db), "--format", "json").output)
    assert stats["merge"]["built"] and stats["merge"]["window"] == 2
    assert stats["merge"]["mentions"] == 12 and stats["merge"]["pending"] == 0
    assert stats["provenance"] == {"gdelt": 1, "tidings": 11}
    again = run(merge_cmd, "--db", str(db), "--update")
    assert "0 mentions merged into 0 events (update; window 2 days" in again.output
    weekly = run(timeline_cmd, "RUS", "TUR", "--db", str(db), "--merged", "--format", "json")
    assert sum(w["events"] for w in json.loads(weekly.output)) == 4


def test_merge_refuses_a_missing_store_and_mixed_options(tmp_path: Path, db: Path) -> None:
    from tidings.errors import StoreError

    with pytest.raises(StoreError, match="no event store"):
        run(merge_cmd, "--db", str(tmp_path / "none.duckdb"))
    assert not (tmp_path / "none.duckdb").exists()
    result = CliRunner().invoke(merge_cmd, ["--db", str(db), "--update", "--window", "3"])
    assert result.exit_code == 2
