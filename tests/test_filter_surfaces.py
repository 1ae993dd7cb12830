"""Every filter works identically in the Python API, the CLI and HTTP (issue 14).

The filters are declared once (:data:`tidings.store.filters.FILTERS`); this test
runs each filter of the README's list through the three surfaces on the same
store and compares the matching event ids.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tidings.store.filters import FILTER_NAMES, FILTERS, filters_markdown

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "moscow-times-2016-12-21-aftermath.md"

# name -> (Python API keywords, CLI arguments, HTTP query parameters)
CASES: dict[str, tuple[dict, list[str], dict]] = {
    "since": ({"since": "2016-12-21"}, ["--since", "2016-12-21"], {"since": "2016-12-21"}),
    "until": ({"until": "2016-12-20"}, ["--until", "2016-12-20"], {"until": "2016-12-20"}),
    "actor": ({"actor": "TUR"}, ["--actor", "TUR"], {"actor": "TUR"}),
    "actor_code": ({"actor_code": "RUSGOV"}, ["--actor-code", "RUSGOV"], {"actor_code": "RUSGOV"}),
    "actor_country": (
        {"actor_country": ["SYR", "IRN"]},
        ["--actor-country", "SYR", "--actor-country", "IRN"],
        {"actor_country": "SYR,IRN"},
    ),
    "actor_agent": ({"actor_agent": "GOV"}, ["--actor-agent", "GOV"], {"actor_agent": "GOV"}),
    "actor_name": ({"actor_name": "lavrov"}, ["--actor-name", "lavrov"], {"actor_name": "lavrov"}),
    "source": ({"source": "RUS"}, ["--source", "RUS"], {"source": "RUS"}),
    "target": ({"target": "TUR"}, ["--target", "TUR"], {"target": "TUR"}),
    "dyad": ({"dyad": ("RUS", "TUR")}, ["--dyad", "RUS,TUR"], {"dyad": "RUS,TUR"}),
    "directed": (
        {"dyad": ("RUS", "TUR"), "directed": True},
        ["--dyad", "RUS,TUR", "--directed"],
        {"dyad": "RUS,TUR", "directed": "true"},
    ),
    "code": ({"code": "04"}, ["--code", "04"], {"code": "04"}),
    "root": ({"root": ["05", "12"]}, ["--root", "05", "--root", "12"], {"root": ["05", "12"]}),
    "quad_class": ({"quad_class": 3}, ["--quad-class", "3"], {"quad_class": "3"}),
    "modality": (
        {"modality": ["future", "hypothetical"]},
        ["--modality", "future,hypothetical"],
        {"modality": ["future", "hypothetical"]},
    ),
    "min_confidence": (
        {"min_confidence": 0.3},
        ["--min-confidence", "0.3"],
        {"min_confidence": "0.3"},
    ),
    "place": ({"place": "moscow"}, ["--place", "moscow"], {"place": "moscow"}),
    "country": (  # the Astana events sit below the default confidence threshold
        {"country": "KAZ", "min_confidence": 0},
        ["--country", "KAZ", "--min-confidence", "0"],
        {"country": "KAZ", "min_confidence": "0"},
    ),
    "near": (
        {"near": (55.75, 37.62, 30)},
        ["--near", "55.75,37.62,30"],
        {"near": "55.75,37.62,30"},
    ),
    "outlet": ({"outlet": "wire daily"}, ["--outlet", "Wire Daily"], {"outlet": "WIRE DAILY"}),
    "provenance": (
        {"provenance": "tidings"},
        ["--provenance", "tidings"],
        {"provenance": "tidings"},
    ),
    "doc_id": ({"doc_id": "wire-1"}, ["--doc-id", "wire-1"], {"doc_id": "wire-1"}),
}


def _readme_filters() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    paragraph = text[text.index("Filters (all optional") :].split("\n\n")[0]
    return re.findall(r"`([a-z_]+)", paragraph)


@pytest.fixture(scope="module")
def store(tmp_path_factory, pipeline):
    from tidings.api import code_inputs

    folder = tmp_path_factory.mktemp("filters")
    wire = folder / "wire.jsonl"
    wire.write_text(
        json.dumps(
            {
                "id": "wire-1",
                "date": "2016-12-22",
                "source": "Wire Daily",
                "text": "Syrian President Bashar al-Assad praised Iran on Thursday. "
                "Turkey will condemn Russia next week.",
            }
        )
        + "\n"
        # No country anywhere in the article: its actors stay agent-only (CVL, GOV).
        + json.dumps(
            {
                "id": "wire-2",
                "date": "2016-12-23",
                "source": "Wire Daily",
                "text": "Protesters accused the government of corruption on Friday.",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    db = folder / "f.duckdb"
    code_inputs([str(SEED), str(wire)], db=db, pipeline=pipeline)
    return db


def _api(db: Path, keywords: dict) -> set[str]:
    from tidings.analytics import EventStore

    with EventStore(db, read_only=True) as events:
        return set(events.events(**keywords).df()["event_id"])


def _cli(db: Path, arguments: list[str]) -> set[str]:
    from tidings.cli import cli

    result = CliRunner().invoke(cli, ["events", "--db", str(db), "--format", "jsonl", *arguments])
    assert result.exit_code == 0, result.output
    return {json.loads(line)["event_id"] for line in result.stdout.splitlines() if line.strip()}


def _http(db: Path, params: dict) -> set[str]:
    from tidings.web import create_app

    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    response = client.get("/api/events", params={**params, "limit": "500"})
    assert response.status_code == 200, response.text
    return {row["event_id"] for row in response.json()["events"]}


def test_readme_lists_every_declared_filter():
    assert _readme_filters() == list(FILTER_NAMES)
    assert set(CASES) >= set(FILTER_NAMES) - {s.name for s in FILTERS if s.column}


def _case(name: str) -> tuple[dict, list[str], dict]:
    """The case of ``name``; a one-column filter declared with a ``column`` (say a
    ``min_confidence`` of kind number) gets a generic one."""
    if name in CASES:
        return CASES[name]
    spec = next(s for s in FILTERS if s.name == name)
    value = {"number": "0.5", "text": "x"}.get(spec.kind, "RUS")
    python = float(value) if spec.kind == "number" else value
    return {name: python}, [spec.option, value], {name: value}


@pytest.mark.parametrize("name", _readme_filters())
def test_filter_is_the_same_on_every_surface(store, name):
    keywords, arguments, params = _case(name)
    everything = _api(store, {"modality": None, "min_confidence": 0})
    api = _api(store, keywords)
    assert api == _cli(store, arguments) == _http(store, params)
    if name not in CASES:
        return  # a generic case: the same on every surface is what is checked
    if name not in ("provenance",):  # every event of this store is coded here
        assert api < everything, f"{name} should narrow this store's events"
    if name not in ("until",):
        assert api, f"{name} should match some of this store's events"


def test_defaults_agree_asserted_and_reported(store):
    """`tidings events`, the API and HTTP default to asserted + reported events."""
    from tidings.analytics import EventStore

    default = _api(store, {})
    assert default == _cli(store, []) == _http(store, {})
    with EventStore(store, read_only=True) as events:
        modalities = set(events.events().df()["modality"])
        every = set(events.events(modality=None).df()["event_id"])
    assert modalities <= {"asserted", "reported"} and default < every
    assert _cli(store, ["--all-modalities"]) == every == _http(store, {"modality": "all"})


def test_bad_values_are_refused_on_every_surface(store):
    from tidings.analytics import EventStore
    from tidings.cli import cli
    from tidings.web import create_app

    with EventStore(store, read_only=True) as events, pytest.raises(ValueError, match="root"):
        events.events(root="21")
    result = CliRunner().invoke(cli, ["events", "--db", str(store), "--root", "21"])
    assert result.exit_code == 2 and "--root" in result.output
    client = TestClient(create_app(store), base_url="http://127.0.0.1")
    response = client.get("/api/events", params={"root": "21"})
    assert response.status_code == 422 and response.json()["parameter"] == "root"
    response = client.get("/api/events", params={"bogus": "1", "provenence": "x"})
    assert response.status_code == 422
    assert "bogus" in response.json()["error"] and "provenence" in response.json()["error"]


def test_cli_limit_and_docs_list():
    from tidings.cli import cli

    help_text = CliRunner().invoke(cli, ["events", "--help"]).output
    for spec in FILTERS:
        assert spec.option in help_text
    assert "--limit" in help_text
    table = filters_markdown()
    assert all(f"`{name}`" in table for name in FILTER_NAMES)


def test_country_level_lists_countries_and_organisations_only(store):
    from tidings.analytics import EventStore

    agents = {"GOV", "MED", "LEG", "CVL", "BUS", "OPP", "MIL", "---"}
    with EventStore(store, read_only=True) as events:
        every = {"min_confidence": 0.0}  # the agent-only actors are low-confidence events
        actors = set(events.top_actors(100, level="country", **every).df()["actor"])
        dyads = events.top_dyads(100, level="country", **every).df()
        nodes = set(events.network(level="country", **every).nodes.df()["actor"])
        codes = set(events.top_actors(100, **every).df()["actor"])
    assert {"RUS", "TUR"} <= actors
    assert codes & {"GOV", "CVL", "LEG"}, "the store has agent-only actors to leave out"
    assert not actors & agents and not nodes & agents
    assert not (set(dyads["source"]) | set(dyads["target"])) & agents
    assert all(len(a) == 3 or a.startswith(("IGO", "NGO", "IMG", "MNC")) for a in actors)


def test_plots_of_timeline_and_dyads(store, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from tidings.cli import cli

    for command, extra in (("timeline", ["RUS", "--by", "month"]), ("dyads", ["--top", "5"])):
        out = tmp_path / f"{command}.png"
        result = CliRunner().invoke(
            cli, [command, *extra, "--db", str(store), "--plot", str(out), "--format", "csv"]
        )
        assert result.exit_code == 0, result.output
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 2000
        bad = CliRunner().invoke(cli, [command, *extra, "--db", str(store), "--plot", "x.json"])
        assert bad.exit_code == 1 and "must end in one of" in str(bad.exception), bad.output
        assert not bad.output  # rejected before the query printed anything
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed
    from tidings.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["dyads", "--db", str(store), "--plot", str(tmp_path / "x.png")])
    assert stopped.value.code == 1


def test_network_to_networkx(store):
    networkx = pytest.importorskip("networkx")
    from tidings.analytics import EventStore

    with EventStore(store, read_only=True) as events:
        graph = events.network(level="country").to_networkx()
    assert isinstance(graph, networkx.Graph) and graph.has_node("RUS")
    assert all("weight" in data for *_, data in graph.edges(data=True))
