"""Round trips: store -> export -> import gives the same events (as far as each format carries).

*Unchanged* means, per format:

* JSONL and Parquet (lossless): every field of the Event, and the import
  fields (provenance, external id, source URL, intensity, extras), compared
  with ``==`` after reading both stores back.
* GDELT (``carried_gdelt``): the event id (through the sidecar), the date as a
  day, both actors' code (``---`` <-> empty), name, country and agent, the
  CAMEO code, root, QuadClass and Goldstein value, and the place's name,
  country (through FIPS), ADM1, coordinates, feature id and GDELT type.
  Not carried: the sentence, modality, evidence, date precision, actor
  dictionary entries and role dates.
* ICEWS (``carried_icews``): the event id, the day, both actors' name, country
  and agent, their code as country + agent (ICEWS has no actor codes), the
  CAMEO code (Goldstein and QuadClass then come from the codebook; the
  original Goldstein value travels as Intensity), and city/province/country
  places with their coordinates.

Text is compared as the TSV formats can hold it: tabs and line breaks become
spaces and surrounding spaces go.  The GDELT and ICEWS files themselves are
also a fixed point: exporting what was imported writes the same rows again.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import pycountry
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidings.dictionaries.cameo import load_codebook
from tidings.exchange import export_events, import_events
from tidings.exchange._mappings import country_name, fips_to_iso3, iso3_to_fips
from tidings.exchange._tables import GEO_TYPES, clean, geo_type
from tidings.model import (
    MODALITIES,
    Actor,
    Article,
    CodedArticle,
    Event,
    Evidence,
    Paragraph,
    Place,
    Sentence,
)
from tidings.store import EventRecord, Store

FIXTURES = Path(__file__).parent / "fixtures" / "exchange"
CODEBOOK = load_codebook()
CODES = sorted(CODEBOOK)
COUNTRIES = sorted({c.alpha_3 for c in pycountry.countries} | {"KSV"})
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ------------------------------------------------------------------ strategies

any_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
#: Text as a TSV field can hold it: no control characters, no surrounding space.
field_text = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="()"),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)
finite = st.floats(allow_nan=False, allow_infinity=False)
coordinate = st.floats(-180, 180, allow_nan=False)
code3 = st.from_regex(r"[A-Z]{3}", fullmatch=True)


def _date() -> st.SearchStrategy[tuple[str | None, str | None]]:
    day = st.dates(dt.date(1, 1, 2), dt.date(9998, 12, 31))
    return st.one_of(
        st.just((None, None)),
        day.map(lambda d: (d.isoformat(), "day")),
        day.map(lambda d: (d.isoformat()[:7], "month")),
        day.map(lambda d: (d.isoformat()[:4], "year")),
    )


def _optional(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


@st.composite
def any_event(draw, doc_id: str, index: int) -> Event:
    """Any event the store accepts: every field free within its type."""
    actor = st.builds(
        Actor,
        code=any_text,
        text=any_text,
        country=_optional(any_text),
        agent=_optional(any_text),
        entry=_optional(any_text),
        role_start=_optional(any_text),
        role_end=_optional(any_text),
    )
    place = st.builds(
        Place,
        name=any_text,
        country=_optional(any_text),
        adm1=_optional(any_text),
        lat=_optional(finite),
        lon=_optional(finite),
        feature_id=_optional(any_text),
        type=_optional(any_text),
    )
    date, precision = draw(_date())
    return Event(
        event_id=f"{doc_id}/{index}/" + draw(any_text),
        doc_id=doc_id,
        sentence_index=index,
        sentence=draw(any_text),
        source=draw(actor),
        target=draw(_optional(actor)),
        code=draw(any_text),
        root_code=draw(any_text),
        quad_class=draw(st.integers(-(2**31), 2**31 - 1)),
        goldstein=draw(finite),
        modality=draw(st.sampled_from(MODALITIES) | any_text),
        evidence=Evidence(
            trigger=draw(any_text),
            rule=draw(any_text),
            cues=tuple(draw(st.lists(any_text, max_size=3))),
            date_text=draw(_optional(any_text)),
            place_text=draw(_optional(any_text)),
        ),
        date=date,
        date_precision=draw(_optional(any_text)) if draw(st.booleans()) else precision,
        location=draw(_optional(place)),
    )


@st.composite
def tsv_event(draw, doc_id: str, index: int, *, icews: bool) -> Event:
    """An event as our coder makes them, with text a TSV field can hold."""
    countries = st.sampled_from(COUNTRIES)

    def actor(target: bool) -> Actor:
        country = draw(countries if icews else _optional(countries))
        agent = draw(_optional(code3 | st.sampled_from(["GOV", "MIL", "COP", "REB", "GOVMED"])))
        code = (country or "") + (agent or "")
        if not icews:
            code = draw(st.just(code or "---") | st.sampled_from(["---", "IGOUNO", "RUSGOVFRM"]))
        return Actor(code=code, text=draw(field_text), country=country, agent=agent)

    kind = draw(st.sampled_from(["city", "adm1", "country"] + ([] if icews else ["region", None])))
    country = draw(_optional(countries)) if kind != "country" or not icews else draw(countries)
    us_adm1 = st.from_regex(r"US-[A-Z]{2}", fullmatch=True)
    place = Place(
        name=draw(field_text),
        country=country,
        adm1=draw(_optional(us_adm1 | field_text)) if not icews else None,
        lat=draw(_optional(st.floats(-90, 90, allow_nan=False))),
        lon=draw(_optional(coordinate)),
        feature_id=draw(_optional(field_text.map(lambda t: f"geonames:{t}"))),
        type=kind,
    )
    code = draw(st.sampled_from(CODES))
    entry = CODEBOOK[code]
    date, precision = draw(_date())
    return Event(
        # 16 hex digits like a coder's id, unique across the two articles
        event_id=draw(st.from_regex(r"[0-9a-f]{14}", fullmatch=True)) + f"{doc_id[-1]}{index:x}",
        doc_id=doc_id,
        sentence_index=index,
        sentence=f"Sentence {index}.",
        source=actor(False),
        target=draw(st.none() | st.builds(lambda: actor(True))),
        code=code,
        root_code=code[:2],
        quad_class=entry.quad_class,
        goldstein=draw(finite) if not icews else entry.goldstein,
        modality=draw(st.sampled_from(["asserted", "reported"])),
        evidence=Evidence(trigger="met", rule="r", cues=("said",)),
        date=date,
        date_precision=precision,
        location=draw(_optional(st.just(place))),
    )


def coded(events: list[Event], doc_id: str) -> CodedArticle:
    """The article holding ``events``, each in its own sentence."""
    sentences = tuple(
        Sentence(doc_id, e.sentence_index, e.sentence_index, e.sentence) for e in events
    )
    article = Article(
        doc_id=doc_id,
        title="",
        paragraphs=(Paragraph("body"),),
        date=dt.date(2024, 3, 5),
        url=f"https://example.org/{doc_id}",
        outlet="Example Times",
    )
    return CodedArticle(article, sentences, tuple(events))


def articles(make) -> st.SearchStrategy[list[CodedArticle]]:
    @st.composite
    def build(draw):
        out = []
        for doc in ("doc-a", "doc-b"):  # at least one event: an empty file is an input error
            n = draw(st.integers(1 if doc == "doc-a" else 0, 3))
            out.append(coded([draw(make(doc, i)) for i in range(n)], doc))
        return out

    return build()


#: Folders made by reimported(): Hypothesis runs it many times per test, where the
#: function-scoped tmp_path cannot be used, so they are removed when the module ends.
_FOLDERS: list[Path] = []


@pytest.fixture(autouse=True, scope="module")
def _remove_folders():
    yield
    while _FOLDERS:
        shutil.rmtree(_FOLDERS.pop(), ignore_errors=True)


def reimported(items: list[CodedArticle], fmt: str, **export) -> tuple[Store, Store, Path]:
    """Save, export to a file, import into a fresh store; both stores stay open."""
    folder = Path(tempfile.mkdtemp(prefix="tidings-rt-"))
    _FOLDERS.append(folder)
    first, second = Store(":memory:"), Store(":memory:")
    for item in items:
        assert first.save(item)
    out = folder / f"events.{fmt}"
    export_events(first, fmt, out, modalities=None, **export)
    import_events(second, fmt, out)
    return first, second, out


def lossless(record: EventRecord) -> tuple:
    return (
        record.event,
        record.provenance,
        record.external_id,
        record.source_url,
        record.intensity,
        record.extras,
    )


# -------------------------------------------------------------------- lossless


@SETTINGS
@given(articles(any_event))
def test_any_event_survives_jsonl(items: list[CodedArticle]) -> None:
    first, second, _ = reimported(items, "jsonl")
    assert [lossless(r) for r in second.iter_records()] == [
        lossless(r) for r in first.iter_records()
    ]


@SETTINGS
@given(articles(any_event))
def test_any_event_survives_parquet(items: list[CodedArticle]) -> None:
    first, second, _ = reimported(items, "parquet")
    assert [lossless(r) for r in second.iter_records()] == [
        lossless(r) for r in first.iter_records()
    ]


def test_imported_events_survive_jsonl_and_parquet(tmp_path: Path) -> None:
    with Store(tmp_path / "a.duckdb") as first:
        import_events(first, "gdelt", FIXTURES / "gdelt_sample.export.CSV")
        import_events(first, "icews", FIXTURES / "icews_sample.tab")
        expected = [lossless(r) for r in first.iter_records()]
        assert len(expected) == 8
        for fmt in ("jsonl", "parquet"):
            export_events(first, fmt, tmp_path / f"e.{fmt}", modalities=None)
            with Store(tmp_path / f"{fmt}.duckdb") as second:
                summary = import_events(second, fmt, tmp_path / f"e.{fmt}")
                assert (summary.imported, summary.rejected) == (8, 0)
                assert [lossless(r) for r in second.iter_records()] == expected
                again = import_events(second, fmt, tmp_path / f"e.{fmt}")
                assert (again.imported, again.duplicates) == (0, 8)


# ----------------------------------------------------------------------- GDELT


def _norm(text: str | None) -> str | None:
    return clean(text).strip() or None if text is not None else None


def _actor_gdelt(actor: Actor | None, target: bool) -> tuple | None:
    if actor is None or (target and actor.code == "---" and not _norm(actor.text)):
        return None
    return (actor.code or "---", _norm(actor.text) or "", actor.country, actor.agent)


def _place_gdelt(place: Place | None) -> tuple | None:
    if place is None:
        return None
    kind = geo_type(place)
    if not (_norm(place.name) or place.lat is not None or kind):
        return None
    feature = _norm(place.feature_id)
    if feature is not None and ":" not in feature:
        feature = "gdelt:" + feature
    return (
        _norm(place.name) or "",
        fips_to_iso3(iso3_to_fips(place.country)),
        None if kind == 1 else _norm(place.adm1),
        place.lat,
        place.lon,
        feature,
        GEO_TYPES.get(kind),
    )


def _day(event: Event) -> str | None:
    if event.date is None:
        return None
    from tidings.store import period_bounds

    return period_bounds(event.date)[0].isoformat()


def carried_gdelt(event: Event) -> tuple:
    return (
        event.event_id,
        _day(event),
        _actor_gdelt(event.source, False),
        _actor_gdelt(event.target, True),
        event.code,
        event.root_code,
        event.quad_class,
        event.goldstein,
        _place_gdelt(event.location),
    )


def _sorted_rows(path: Path) -> list[str]:
    header, *rows = path.read_text(encoding="utf-8").split("\n")
    return [header, *sorted(rows)] if path.suffix == ".icews" else sorted([header, *rows])


@SETTINGS
@given(articles(lambda doc, i: tsv_event(doc, i, icews=False)))
def test_gdelt_carries_its_fields(items: list[CodedArticle]) -> None:
    first, second, out = reimported(items, "gdelt")
    by_id = {e.event_id: e for e in second.events()}
    originals = first.events()
    assert len(by_id) == len(originals)
    for event in originals:
        back = by_id[event.event_id]
        assert carried_gdelt(back) == carried_gdelt(event)
        assert back.date_precision == ("day" if event.date else None)
        assert back.modality == "asserted" and back.sentence_index == -1
    again = out.with_name("again.gdelt")
    export_events(second, "gdelt", again)
    assert _sorted_rows(again) == _sorted_rows(out)


def test_gdelt_file_imported_and_exported_keeps_its_rows(tmp_path: Path) -> None:
    source = FIXTURES / "gdelt_sample.export.CSV"
    with Store(tmp_path / "s.duckdb") as store:
        import_events(store, "gdelt", source)
        export_events(store, "gdelt", tmp_path / "out.tsv")
    good = [line for number, line in enumerate(source.read_text().splitlines(), 1)
            if number in (1, 2, 3, 9)]  # fmt: skip
    written = (tmp_path / "out.tsv").read_text().splitlines()

    # GDELT writes Goldstein values as "7.0" too; a few of its numbers are normalised
    # ("49" -> "49.0" for coordinates) and the fraction of the year is recomputed.
    def normal(line: str) -> list[str]:
        fields = line.split("\t")
        fields[4] = ""  # FractionDate
        for index in (40, 41, 48, 49, 56, 57):  # Lat/Long of the three geographies
            fields[index] = str(float(fields[index])) if fields[index] else ""
        return fields

    assert sorted(map(normal, written)) == sorted(map(normal, good))


# ----------------------------------------------------------------------- ICEWS


def _actor_icews(actor: Actor | None) -> tuple | None:
    if actor is None:
        return None
    code = (actor.country or "") + (actor.agent or "")
    return (code, _norm(actor.text), actor.country, actor.agent)


def _place_icews(place: Place | None) -> tuple | None:
    if place is None or place.type not in ("city", "adm1", "country"):
        return None
    if place.type == "country":
        if place.country is None:
            return None
        return (country_name(place.country), place.country, place.lat, place.lon, "country")
    return (_norm(place.name), place.country, place.lat, place.lon, place.type)


def carried_icews(event: Event) -> tuple:
    entry = CODEBOOK.nearest(event.code)
    return (
        event.event_id,
        _day(event),
        _actor_icews(event.source),
        _actor_icews(event.target),
        event.code,
        event.root_code,
        entry.quad_class,
        entry.goldstein,
        _place_icews(event.location),
    )


@SETTINGS
@given(articles(lambda doc, i: tsv_event(doc, i, icews=True)))
def test_icews_carries_its_fields(items: list[CodedArticle]) -> None:
    first, second, out = reimported(items, "icews")
    records = {r.event.event_id: r for r in second.iter_records()}
    originals = first.events()
    assert len(records) == len(originals)
    for event in originals:
        back = records[event.event_id]
        assert carried_icews(back.event) == carried_icews(event)
        assert back.intensity == event.goldstein
        assert back.extras["Story ID"] == event.doc_id
        assert back.extras["Sentence Number"] == str(event.sentence_index + 1)
    again = out.with_name("again.icews")
    export_events(second, "icews", again)
    assert _sorted_rows(again) == _sorted_rows(out.with_suffix(".icews"))


def test_month_precision_becomes_a_day(tmp_path: Path) -> None:
    from .test_store import make_coded, make_event

    with Store(tmp_path / "a.duckdb") as first, Store(tmp_path / "b.duckdb") as second:
        first.save(make_coded("a", (make_event("a", 1, date="2024-02", precision="month"),)))
        for fmt in ("gdelt", "icews"):
            export_events(first, fmt, tmp_path / f"e.{fmt}")
            import_events(second, fmt, tmp_path / f"e.{fmt}")
        (event,) = second.events()
        assert (event.event_id, event.date, event.date_precision) == ("a-e1", "2024-02-01", "day")
        assert replace(event, date="2024-02") != event
