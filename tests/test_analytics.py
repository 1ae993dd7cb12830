"""The analytics API: filters, result shapes, time series, top-N, event types, networks.

One small hand-built store (three articles and an imported GDELT event)
serves every test; filters are checked against a plain-Python oracle over
the same events, aggregates against numbers worked out by hand.
"""

from __future__ import annotations

import datetime as dt
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tidings.analytics import EventStore
from tidings.errors import StoreError
from tidings.model import Actor, Article, CodedArticle, Event, Evidence, Paragraph, Place, Sentence
from tidings.store import Store

MOSCOW = Place("Moscow", country="RUS", lat=55.75, lon=37.62, feature_id="524901", type="city")
ANKARA = Place("Ankara", country="TUR", lat=39.92, lon=32.85, feature_id="323786", type="city")


def actor(code: str | None) -> Actor | None:
    if code is None:
        return None
    country = code[:3] if code[:3].isalpha() and code != "---" else None
    return Actor(code=code, text=f"{code.lower()} words", country=country, agent=code[3:] or None)


def ev(
    doc: str,
    n: int,
    source: str,
    target: str | None,
    code: str,
    date: str | None,
    *,
    precision: str = "day",
    modality: str = "asserted",
    quad: int = 1,
    goldstein: float = 1.0,
    location: Place | None = None,
    rule: str = "rule",
) -> Event:
    return Event(
        event_id=f"{doc}-e{n}",
        doc_id=doc,
        sentence_index=n,
        sentence=f"Sentence {n} of {doc}.",
        source=actor(source),  # type: ignore[arg-type]
        target=actor(target),
        code=code,
        root_code=code[:2],
        quad_class=quad,
        goldstein=goldstein,
        modality=modality,
        evidence=Evidence(trigger="met", rule=rule, place_text=location.name if location else None),
        date=date,
        date_precision=precision if date else None,
        location=location,
    )


def coded(doc: str, outlet: str, published: str, events: list[Event]) -> CodedArticle:
    sentences = tuple(
        Sentence(doc, i, i, f"Sentence {i} of {doc}.") for i in range(len(events) + 1)
    )
    article = Article(
        doc_id=doc,
        title=f"Title {doc}",
        paragraphs=(Paragraph("Body."),),
        date=dt.date.fromisoformat(published),
        outlet=outlet,
        url=f"https://{outlet.lower().replace(' ', '')}.example/{doc}",
    )
    return CodedArticle(article, sentences, tuple(events))


ARTICLES = [
    coded(
        "a",
        "Moscow Times",
        "2016-12-20",
        [
            ev("a", 1, "RUSGOV", "TURGOV", "042", "2016-12-20", location=MOSCOW, goldstein=1.9),
            ev("a", 2, "TURGOV", "RUSGOV", "043", "2016-12-20", modality="reported"),
            ev("a", 3, "RUSMIL", "TURMIL", "190", "2016-12-27", quad=4, goldstein=-10.0),
            ev("a", 4, "RUSGOV", "USAGOV", "041", "2016-12-21", goldstein=1.0),
            ev("a", 5, "RUSGOV", "TURGOV", "051", "2016-12", precision="month", goldstein=3.4),
            ev("a", 6, "RUSGOV", None, "010", None),
            ev("a", 7, "RUSGOV", "TURGOV", "042", "2016-12-20", modality="negated"),
        ],
    ),
    coded(
        "b",
        "Hurriyet",
        "2017-01-05",
        [
            ev("b", 1, "TURGOV", "RUSGOV", "057", "2017-01-03", rule="x/relaxed", goldstein=8.0),
            ev("b", 2, "USAGOV", "RUSGOV", "112", "2017-01-04", quad=3, goldstein=-2.0),
            ev("b", 3, "IRNGOV", "TURGOV", "036", "2017-01-04", modality="future", location=ANKARA),
        ],
    ),
    coded(
        "c",
        "Moscow Times",
        "2017-01-20",
        [ev("c", 1, "RUSGOV", "IRNGOV", "046", "2017-01-19", precision="publication")],
    ),
]

GDELT = (
    "INSERT INTO events (event_id, doc_id, sentence_index, source_code, source_country, "
    "source_text, target_code, target_country, target_text, code, root_code, quad_class, "
    "goldstein, modality, trigger, rule, cues, date, date_precision, date_start, provenance, "
    "source_url) VALUES ('gdelt:1', 'gdelt:f.csv', -1, 'USA', 'USA', 'UNITED STATES', 'RUS', "
    "'RUS', 'RUSSIA', '040', '04', 1, 1.0, 'asserted', '', 'import:gdelt', [], '2017-01-02', "
    "'day', DATE '2017-01-02', 'gdelt:f.csv', 'https://news.example/x')"
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("analytics") / "store.duckdb"
    with Store(path) as store:
        for article in ARTICLES:
            store.save(article)
        store.connection.execute(GDELT)
    return path


@pytest.fixture
def store(db: Path):
    with EventStore(db) as opened:
        yield opened


@pytest.fixture(scope="module")
def everything(db: Path) -> list[Event]:
    with Store(db, read_only=True) as raw:
        return raw.events()


# ------------------------------------------------------------------ filters

DEFAULT = {"asserted", "reported"}


def prefix(event: Event, value: str) -> bool:
    return event.source.code.startswith(value) or bool(
        event.target and event.target.code.startswith(value)
    )


def in_range(event: Event, since: str, until: str) -> bool:
    return event.date is not None and since <= event.date[:10] <= until


CASES: list[tuple[dict[str, Any], Callable[[Event], bool]]] = [
    ({}, lambda e: True),
    ({"actor": "RUS"}, lambda e: prefix(e, "RUS")),
    ({"actor": ["IRN", "USA"]}, lambda e: prefix(e, "IRN") or prefix(e, "USA")),
    ({"actor_code": "RUS"}, lambda e: "RUS" in (e.source.code, e.target and e.target.code)),
    (
        {"actor_country": "tur"},
        lambda e: "TUR" in (e.source.country, e.target and e.target.country),
    ),
    ({"actor_agent": "MIL"}, lambda e: "MIL" in (e.source.agent, e.target and e.target.agent)),
    ({"actor_name": "USAGOV WORDS"}, lambda e: prefix(e, "USAGOV")),
    ({"source": "TUR"}, lambda e: e.source.code.startswith("TUR")),
    ({"target": "RUSGOV"}, lambda e: bool(e.target and e.target.code == "RUSGOV")),
    (
        {"dyad": ("RUS", "TUR")},
        lambda e: bool(e.target) and {e.source.code[:3], e.target.code[:3]} == {"RUS", "TUR"},
    ),
    (
        {"dyad": ("RUS", "TUR"), "directed": True},
        lambda e: e.source.code[:3] == "RUS" and bool(e.target and e.target.code[:3] == "TUR"),
    ),
    ({"code": "04"}, lambda e: e.code.startswith("04")),
    ({"code": ["19", "11"]}, lambda e: e.root_code in ("19", "11")),
    ({"root": 4}, lambda e: e.root_code == "04"),
    ({"root": ["05", "19"]}, lambda e: e.root_code in ("05", "19")),
    ({"quad_class": [3, 4]}, lambda e: e.quad_class in (3, 4)),
    ({"since": "2017", "until": "2017-01-04"}, lambda e: in_range(e, "2017-01-01", "2017-01-04")),
    ({"until": "2016-12"}, lambda e: in_range(e, "0000", "2016-12-31")),
    ({"place": "mosc"}, lambda e: bool(e.location and e.location.name == "Moscow")),
    ({"country": "TUR"}, lambda e: bool(e.location and e.location.country == "TUR")),
    ({"near": (55.7, 37.6, 50)}, lambda e: bool(e.location and e.location.name == "Moscow")),
    ({"outlet": "moscow times"}, lambda e: e.doc_id in ("a", "c")),
    ({"provenance": "gdelt"}, lambda e: e.event_id.startswith("gdelt")),
    ({"provenance": "tidings"}, lambda e: not e.event_id.startswith("gdelt")),
    ({"doc_id": "b"}, lambda e: e.doc_id == "b"),
]


@pytest.mark.parametrize(("filters", "oracle"), CASES, ids=[repr(c[0]) for c in CASES])
def test_filters_match_the_oracle(
    store: EventStore, everything: list[Event], filters: dict[str, Any], oracle: Callable
) -> None:
    expected = [e.event_id for e in everything if e.modality in DEFAULT and oracle(e)]
    query = store.events(**filters)
    assert [e.event_id for e in query.iter()] == expected
    assert query.count() == len(expected)


def test_modality_default_all_and_lists(store: EventStore, everything: list[Event]) -> None:
    assert store.events(modality=None).count() == len(everything) == 12
    assert store.events(modality="all").count() == 12
    assert [e.event_id for e in store.events(modality=["negated", "future"]).iter()] == [
        "a-e7",
        "b-e3",
    ]


def test_results_as_dataframe_arrow_events_and_records(
    store: EventStore, everything: list[Event]
) -> None:
    pytest.importorskip("pandas")
    query = store.events(actor="RUS", since="2016-01-01")
    frame = query.df()
    assert list(frame["event_id"]) == [e.event_id for e in query.iter()]
    assert {"sentence", "outlet", "url", "published", "provenance", "date_start"} <= set(
        frame.columns
    )
    row = frame.set_index("event_id").loc["a-e1"]
    assert (row["outlet"], row["sentence"], row["location_name"]) == (
        "Moscow Times",
        "Sentence 1 of a.",
        "Moscow",
    )
    table = query.arrow()
    assert table.num_rows == len(frame) and table.column_names == list(frame.columns)
    by_id = {e.event_id: e for e in everything}
    assert all(event == by_id[event.event_id] for event in query.iter())
    assert query.records()[0]["event_id"] == frame["event_id"][0]
    assert store.events(limit=2).count() == 2 and len(store.events().limit(3).to_list()) == 3
    gdelt = store.events(provenance="gdelt").records()[0]
    assert (gdelt["url"], gdelt["outlet"], gdelt["sentence"]) == (
        "https://news.example/x",
        None,
        "",
    )


def test_bad_filters_are_refused_before_any_sql(store: EventStore) -> None:
    with pytest.raises(TypeError, match="unknown filter 'actors'"):
        store.events(actors="RUS")
    for bad in (
        {"root": 33},
        {"root": True},
        {"quad_class": 5},
        {"modality": "sure"},
        {"dyad": ("RUS",)},
        {"near": (91, 0, 1)},
        {"since": "2016-13"},
        {"actor": ""},
        {"place": " "},
    ):
        with pytest.raises(ValueError):
            store.events(**bad)
    with pytest.raises(ValueError):
        store.events().limit(-1)


def test_values_are_bound_never_spliced(store: EventStore) -> None:
    nasty = "RUS') OR 1=1; DROP TABLE events; --"
    with pytest.raises(ValueError, match="actor"):  # codes are checked: never a code
        store.events(actor=nasty)
    assert store.events(actor_name=nasty, outlet=nasty, place=nasty).count() == 0
    assert store.events(modality=None).count() == 12


# --------------------------------------------------------------- timelines


def test_weekly_dyad_timeline(store: EventStore) -> None:
    rows = store.timeline("RUS", "TUR", by="week").records()
    # a-e1, a-e2 (week of 2016-12-19), a-e3 (12-26), b-e1 (2017-01-02); a-e5 is
    # month-precision (not in weeks), a-e7 negated
    assert [(str(r["period"]), r["events"]) for r in rows] == [
        ("2016-12-19", 2),
        ("2016-12-26", 1),
        ("2017-01-02", 1),
    ]
    first = rows[0]
    assert (first["q1"], first["q4"], first["goldstein_sum"]) == (2, 0, pytest.approx(2.9))
    assert first["goldstein_mean"] == pytest.approx(1.45)
    assert (rows[1]["q4"], rows[1]["goldstein_sum"]) == (1, -10.0)
    directed = store.timeline("TUR", "RUS", by="week", directed=True).records()
    assert [r["events"] for r in directed] == [1, 0, 1]  # the empty week is filled


def test_timeline_periods_fill_and_precision(store: EventStore) -> None:
    monthly = store.timeline("RUS", "TUR", by="month").records()
    # month-precision a-e5 counts in December
    assert [(str(r["period"]), r["events"]) for r in monthly] == [
        ("2016-12-01", 4),
        ("2017-01-01", 1),
    ]
    daily = store.timeline(
        "RUSGOV", by="day", since="2016-12-19", until="2016-12-22", fill=True
    ).records()
    assert [r["events"] for r in daily] == [0, 2, 1, 0]
    assert daily[0]["goldstein_mean"] is None
    sparse = store.timeline("RUSGOV", by="day", fill=False).records()
    assert all(r["events"] > 0 for r in sparse)
    everything = store.timeline(by="month", modality=None).records()
    assert sum(r["events"] for r in everything) == 11  # all but the undated event
    with pytest.raises(ValueError, match="by must be"):
        store.timeline("RUS", by="year")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="first actor"):
        store.timeline(None, "TUR")


def test_normalized_timeline(store: EventStore) -> None:
    rows = store.timeline(by="month", normalize=True).records()
    december, january = rows
    # articles: a (2016-12-20); b, c and the GDELT event's URL in January
    assert (december["articles"], january["articles"]) == (1, 3)
    assert december["events_per_article"] == december["events"] / 1
    assert january["events_per_article"] == pytest.approx(january["events"] / 3)
    assert january["q3_per_article"] == pytest.approx(1 / 3)


# ------------------------------------------------------------ top-N, types


def test_top_dyads_directed_undirected_and_by_country(store: EventStore) -> None:
    top = store.top_dyads(3).records()
    assert [(r["source"], r["target"], r["events"]) for r in top] == [
        ("RUSGOV", "TURGOV", 2),  # ties in order of the actors
        ("TURGOV", "RUSGOV", 2),
        ("RUSGOV", "IRNGOV", 1),
    ]
    assert (top[0]["goldstein_sum"], top[0]["q1"]) == (pytest.approx(5.3), 2)
    assert top[0]["goldstein_mean"] == pytest.approx(2.65)
    undirected = store.top_dyads(2, directed=False).records()
    assert [(r["actor1"], r["actor2"], r["events"]) for r in undirected] == [
        ("RUSGOV", "TURGOV", 4),
        ("RUSGOV", "USAGOV", 2),
    ]
    countries = store.top_dyads(2, directed=False, level="country").records()
    assert [(r["actor1"], r["actor2"], r["events"]) for r in countries] == [
        ("RUS", "TUR", 5),
        ("RUS", "USA", 3),
    ]
    with pytest.raises(ValueError):
        store.top_dyads(0)


def test_top_dyads_two_passes_agree_with_one(tmp_path: Path) -> None:
    """The two-pass plan must give what the plain one-pass GROUP BY gives, ties included."""
    path = tmp_path / "random.duckdb"
    with Store(path) as raw:
        raw.connection.execute(
            "INSERT INTO events (event_id, doc_id, sentence_index, source_code, source_text, "
            "target_code, code, root_code, quad_class, goldstein, modality, trigger, rule, cues) "
            "SELECT 'r' || i, 'd', 0, 'A' || (hash(i, 1) % 7), '', "
            "CASE WHEN i % 9 = 0 THEN NULL ELSE 'A' || (hash(i, 2) % 7) END, '010', '01', "
            "1 + hash(i, 3) % 4, (hash(i, 4) % 20) - 10.0, 'asserted', '', '', [] "
            "FROM range(3000) t(i)"
        )
    with EventStore(path) as store:
        for directed in (True, False):
            names = ("source", "target") if directed else ("actor1", "actor2")
            first, second = (
                ("source_code", "target_code")
                if directed
                else ("least(source_code, target_code)", "greatest(source_code, target_code)")
            )
            one_pass = store.sql(
                f"SELECT {first} AS {names[0]}, {second} AS {names[1]}, count(*) AS events "
                "FROM events WHERE target_code IS NOT NULL GROUP BY 1, 2 "
                f"ORDER BY events DESC, {names[0]}, {names[1]} LIMIT 10"
            ).rows()
            two = store.top_dyads(10, directed=directed).records()
            assert [(r[names[0]], r[names[1]], r["events"]) for r in two] == one_pass
            assert all(r["q1"] + r["q2"] + r["q3"] + r["q4"] == r["events"] for r in two)


def test_top_actors(store: EventStore) -> None:
    top = store.top_actors(3).records()
    assert [(r["actor"], r["events"], r["as_source"], r["as_target"]) for r in top] == [
        ("RUSGOV", 8, 5, 3),
        ("TURGOV", 4, 2, 2),
        ("USAGOV", 2, 1, 1),
    ]
    by_role = store.top_actors(1, role="target").records()
    assert (by_role[0]["actor"], by_role[0]["events"], by_role[0]["as_source"]) == ("RUSGOV", 3, 0)
    countries = store.top_actors(2, level="country").records()
    assert [(r["actor"], r["events"]) for r in countries] == [("RUS", 10), ("TUR", 5)]


def test_top_actors_counts(store: EventStore, everything: list[Event]) -> None:
    wanted = [e for e in everything if e.modality in DEFAULT]
    expected: dict[str, int] = {}
    for event in wanted:
        codes = {event.source.code, *([event.target.code] if event.target else [])}
        for code in codes:
            expected[code] = expected.get(code, 0) + 1
    got = {r["actor"]: r["events"] for r in store.top_actors(50).records()}
    assert got == expected


def test_event_types(store: EventStore) -> None:
    rows = store.event_types().records()
    assert [(r["root"], r["events"]) for r in rows] == [
        ("01", 1),
        ("04", 5),
        ("05", 2),
        ("11", 1),
        ("19", 1),
    ]
    assert sum(r["share"] for r in rows) == pytest.approx(1.0)
    labels = {r["root"]: (r["label"], r["quad_class"]) for r in rows}
    assert labels["19"] == ("FIGHT", 4) and labels["04"] == ("CONSULT", 1)


def test_networks(store: EventStore) -> None:
    network = store.network()
    edges = {(r["source"], r["target"]): r["weight"] for r in network.edges.records()}
    assert edges[("RUSGOV", "TURGOV")] == 4
    assert ("RUS", "USA") in edges  # the imported event
    nodes = {r["actor"]: r for r in network.nodes.records()}
    assert nodes["RUSGOV"]["degree"] == 3  # TURGOV, USAGOV, IRNGOV
    strong = store.network(min_weight=2).edges.records()
    assert [(r["source"], r["target"], r["weight"]) for r in strong] == [
        ("RUSGOV", "TURGOV", 4),
        ("RUSGOV", "USAGOV", 2),
    ]
    by_article = store.network(by="article", modality=None).edges.records()
    pairs = {(r["source"], r["target"]) for r in by_article}
    assert ("IRNGOV", "USAGOV") in pairs  # both named in article b, never in one event
    assert not any(s == "USA" or t == "USA" for s, t in pairs)  # imports have no article
    with pytest.raises(ValueError):
        store.network(by="article", merged=True)


class _Graph:
    """Just enough of networkx.Graph to check what to_networkx() adds."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: dict[tuple[str, str], dict[str, Any]] = {}

    def add_node(self, name: str, **attributes: Any) -> None:
        self.nodes[name] = attributes

    def add_edge(self, source: str, target: str, **attributes: Any) -> None:
        self.edges[(source, target)] = attributes


def test_network_to_networkx(store: EventStore, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        import networkx
    except ImportError:  # not a dependency: check the conversion against a stand-in
        networkx = types.SimpleNamespace(Graph=_Graph)
        monkeypatch.setitem(sys.modules, "networkx", networkx)
    graph = store.network().to_networkx()
    assert isinstance(graph, networkx.Graph)
    if isinstance(graph, _Graph):
        assert graph.edges[("RUSGOV", "TURGOV")]["weight"] == 4
        assert graph.nodes["RUSGOV"] == {"degree": 3, "weight": 7}
    else:
        assert graph["RUSGOV"]["TURGOV"]["weight"] == 4
        assert graph.nodes["RUSGOV"]["degree"] == 3


# -------------------------------------------------------------- the facade


def test_stats(store: EventStore) -> None:
    stats = store.stats()
    assert (stats["articles"], stats["events"], stats["undated"]) == (3, 12, 1)
    assert stats["modality"] == {"asserted": 9, "future": 1, "negated": 1, "reported": 1}
    assert stats["provenance"] == {"gdelt": 1, "tidings": 11}
    assert stats["root"]["04"] == 6
    assert (str(stats["first_date"]), str(stats["last_date"])) == ("2016-12-01", "2017-01-19")
    assert stats["merge"]["built"] is False


def test_raw_sql_is_read_only_by_default(store: EventStore) -> None:
    assert store.sql("SELECT count(*) FROM events WHERE root_code = ?", ["19"]).rows() == [(1,)]
    assert store.sql("SELECT $r AS r", {"r": 4}).records() == [{"r": 4}]
    with pytest.raises(StoreError, match="read-only"):
        store.sql("DELETE FROM events").rows()
    assert store.events(modality=None).count() == 12
    query = store.sql("SELECT 1 AS one")
    assert query.columns() == ["one"] and query.count() == 1
    assert "SELECT 1" in repr(query)


def test_iterating_while_querying_and_after_close(db: Path) -> None:
    store = EventStore(db)
    seen = []
    for event in store.events(modality=None).iter(batch_size=2):
        seen.append((event.event_id, store.events(doc_id=event.doc_id, modality=None).count()))
    assert len(seen) == 12 and dict(seen)["a-e1"] == 7
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.events().count()
    store.close()  # twice is fine
