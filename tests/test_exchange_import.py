"""Imports of GDELT and ICEWS files: mapping, bad lines, compression, limits, errors."""

from __future__ import annotations

import gzip
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from tidings.errors import InputError
from tidings.exchange import import_events
from tidings.model import Place
from tidings.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "exchange"
GDELT = FIXTURES / "gdelt_sample.export.CSV"
ICEWS = FIXTURES / "icews_sample.tab"
ICEWS14 = FIXTURES / "icews14_sample.csv"
SHARED_ICEWS14 = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "events" / "icews14_events_named.csv"
)


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "s.duckdb") as opened:
        yield opened


def records(store: Store) -> dict[str, object]:
    return {r.event.event_id: r for r in store.iter_records()}


# --------------------------------------------------------------------- GDELT


def test_gdelt_import(store: Store) -> None:
    summary = import_events(store, "gdelt", GDELT)
    assert (summary.imported, summary.rejected, summary.rows) == (4, 4, 8)
    assert summary.source == "gdelt:gdelt_sample.export.CSV"
    assert summary.problems == [
        "line 4: expected 61 tab-separated fields, found 4",
        "line 5: SQLDATE 2024-03-05 is not a date (YYYYMMDD)",
        "line 6: EventCode ABC is not a CAMEO event code",
        "line 8: GLOBALEVENTID 1160000001 repeats an earlier row",
    ]
    got = records(store)
    assert set(got) == {f"gdelt:116000000{n}" for n in (1, 2, 3, 7)}
    first = got["gdelt:1160000001"]
    event = first.event
    assert (event.doc_id, event.sentence_index, event.sentence) == (first.provenance, -1, "")
    assert first.provenance == "gdelt:gdelt_sample.export.CSV"
    assert (event.source.code, event.source.text, event.source.agent) == (
        "USAGOV",
        "UNITED STATES",
        "GOV",
    )
    assert (event.target.code, event.target.country) == ("RUS", "RUS")
    assert (event.code, event.root_code) == ("0841", "08")
    assert (event.quad_class, event.goldstein) == (2, 7.0)
    assert (event.date, event.date_precision, event.modality) == ("2024-03-05", "day", "asserted")
    assert event.evidence.rule == "import:gdelt"
    assert event.location == Place(
        "Moscow, Moskva, Russia", "RUS", "RS48", 55.7522, 37.6156, "gdelt:-2960561", "city"
    )
    assert first.external_id == "1160000001"
    assert first.source_url == "https://example.org/news/2024/03/05/prisoner-exchange"
    assert first.extras["NumMentions"] == "4" and first.extras["Actor1Geo_ADM1Code"] == "USDC"
    assert "Actor2Geo_Type" not in first.extras  # empty in the file

    victim = got["gdelt:1160000002"].event
    assert (victim.source.code, victim.source.text) == ("---", "")
    assert victim.location == Place("Ukraine", "UKR", None, 49.0, 32.0, "gdelt:UP", "country")
    austin = got["gdelt:1160000003"].event.location
    assert (austin.adm1, austin.type, austin.country) == ("US-TX", "city", "USA")
    assert store.imports()[0]["rejected"] == 4


def test_gdelt_zip_and_gz_and_reimport(store: Store, tmp_path: Path) -> None:
    archive = tmp_path / "20240305151500.export.CSV.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.write(GDELT, "20240305151500.export.CSV")
    summary = import_events(store, "gdelt", archive)
    assert summary.imported == 4 and summary.source == f"gdelt:{archive.name}"
    assert summary.problems[0].startswith("line 4:")
    packed = tmp_path / "sample.export.CSV.gz"
    packed.write_bytes(gzip.compress(GDELT.read_bytes()))
    again = import_events(store, "gdelt", packed)
    assert (again.imported, again.duplicates, again.rejected) == (0, 4, 4)  # same GLOBALEVENTIDs
    assert store.counts()["events"] == 4


def test_gdelt_limit(store: Store) -> None:
    summary = import_events(store, "gdelt", GDELT, limit=2)
    assert summary.imported == 2
    assert sorted(records(store)) == ["gdelt:1160000001", "gdelt:1160000002"]
    assert import_events(store, "gdelt", GDELT, limit=0).imported == 0


# --------------------------------------------------------------------- ICEWS


def test_icews_import(store: Store) -> None:
    summary = import_events(store, "icews", ICEWS)
    assert (summary.imported, summary.rejected) == (4, 3)
    assert summary.problems == [
        "line 5: Event Date 2014-13-02 is not a date (YYYY-MM-DD)",
        "line 6: CAMEO code 999 is not a CAMEO event code",
        "line 7: expected 20 tab-separated fields, found 3",
    ]
    got = records(store)
    police = got["icews:926685"]
    event = police.event
    assert (event.source.code, event.source.country, event.source.agent) == ("AUSCOP", "AUS", "COP")
    assert event.source.text == "Police (Australia)"
    assert event.target.code == "AUSCVL"
    assert (event.code, event.goldstein, event.quad_class) == ("173", -5.0, 4)
    assert police.intensity == -5.0 and police.external_id == "926685"
    assert event.location == Place("Sydney", "AUS", None, -33.8679, 151.2073, None, "city")
    assert police.extras["Story ID"] == "28235806"
    assert police.extras["Province"] == "New South Wales"
    lavrov = got["icews:926687"].event
    assert (lavrov.source.code, lavrov.target.code) == ("RUSGOV", "USAGOV")
    assert lavrov.code == "036"  # "36" lost its leading zero in the file
    assert lavrov.location.type == "adm1" and lavrov.location.name == "Moskva"
    riot = got["icews:926690"]
    assert riot.event.target is None
    assert riot.event.goldstein == -7.5 and riot.intensity == -6.5  # codebook vs ICEWS
    assert riot.event.location == Place("India", "IND", None, 20.0, 77.0, None, "country")


def test_icews14_format_is_sniffed(store: Store) -> None:
    summary = import_events(store, "icews", ICEWS14)
    assert (summary.imported, summary.rejected) == (5, 1)
    assert summary.problems == ["line 6: Event Date not a date is not a date (YYYY-MM-DD)"]
    got = records(store)
    assert set(got) == {f"icews:icews14_sample.csv:{n}" for n in (1, 2, 3, 4, 6)}
    obama = got["icews:icews14_sample.csv:2"].event
    assert (obama.source.code, obama.source.entry) == ("USAGOV", "BARACK_OBAMA")
    assert obama.target.code == "CHN"
    rouhani = got["icews:icews14_sample.csv:3"].event
    assert rouhani.code == "020"  # from its label: the code column is empty
    assert rouhani.source.code == "IRNGOV"
    thai = got["icews:icews14_sample.csv:4"].event
    assert (thai.source.code, thai.target.code) == ("THAOPP", "THAGOV")
    assert got["icews:icews14_sample.csv:1"].extras == {
        "event_text": "Arrest, detain, or charge with legal action",
        "tkg_split": "train",
    }


def test_icews14_by_name_and_provenance_filter(store: Store) -> None:
    import_events(store, "icews14", ICEWS14)
    import_events(store, "gdelt", GDELT)
    assert len(store.events(provenance="icews")) == 5
    assert len(store.events(provenance="gdelt:gdelt_sample")) == 4
    assert store.events(provenance="tidings") == []
    assert [row["format"] for row in store.imports()] == ["icews14", "gdelt"]


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_ICEWS14.exists(), reason="shared ICEWS 2014 data absent")
def test_icews14_shared_file(store: Store) -> None:
    summary = import_events(store, "icews", SHARED_ICEWS14)
    assert (summary.imported, summary.rejected) == (90_730, 0)
    (coded,) = store.connection.execute(
        "SELECT count(*) FILTER (source_code <> '---') / count(*) FROM events"
    ).fetchone()
    assert coded > 0.75  # names without country or sector that no dictionary knows stay ---


# -------------------------------------------------------------------- errors


def test_unreadable_inputs_are_input_errors(store: Store, tmp_path: Path) -> None:
    empty = tmp_path / "empty.tsv"
    empty.touch()
    blank = tmp_path / "blank.tsv"
    blank.write_text("\n\n")
    binary = tmp_path / "binary.tsv"
    binary.write_bytes(b"\x00\x01\x02PK\x00" * 100)
    broken_zip = tmp_path / "broken.zip"
    broken_zip.write_bytes(b"PK not really")
    two = tmp_path / "two.zip"
    with zipfile.ZipFile(two, "w") as handle:
        handle.writestr("a.csv", "x")
        handle.writestr("b.csv", "y")
    cases = [
        ("gdelt", tmp_path / "missing.tsv", "no such file"),
        ("gdelt", tmp_path, "is a directory"),
        ("gdelt", empty, "empty file"),
        ("icews", blank, "empty file"),
        ("gdelt", binary, "binary file"),
        ("gdelt", broken_zip, "not a readable zip"),
        ("gdelt", two, "a zip of 2 files"),
        ("icews", GDELT, "not an ICEWS file"),
        ("parquet", GDELT, "not a readable Parquet file"),
        ("xml", GDELT, "unknown import format 'xml'"),
    ]
    for fmt, path, message in cases:
        with pytest.raises(InputError, match=message) as info:
            import_events(store, fmt, path)
        assert "\n" not in str(info.value)
    with pytest.raises(InputError, match="limit"):
        import_events(store, "gdelt", GDELT, limit=-1)
    assert store.counts()["events"] == 0 and store.imports() == []


def test_gdelt_1_files_are_named(store: Store, tmp_path: Path) -> None:
    old = tmp_path / "20130401.export.CSV"
    old.write_text("\t".join(["1"] * 57) + "\n")
    with pytest.raises(InputError, match=r"a GDELT 1\.0 event file \(57 columns\)"):
        import_events(store, "gdelt", old)


def test_jsonl_of_the_code_command_imports(store: Store, tmp_path: Path) -> None:
    """Objects with only the README contract's fields (``tidings code --format jsonl``)."""
    contract = {
        "event_id": "e1",
        "doc_id": "sha1:0123456789abcdef",
        "sentence_index": 3,
        "sentence": "Lavrov met Cavusoglu in Moscow.",
        "date": "2016-12-20",
        "date_precision": "day",
        "source": {"code": "RUSGOV", "country": "RUS", "agent": "GOV", "text": "Lavrov"},
        "target": {"code": "TURGOV", "country": "TUR", "agent": "GOV", "text": "Cavusoglu"},
        "code": "040",
        "root_code": "04",
        "quad_class": 1,
        "goldstein": 1.0,
        "modality": "asserted",
        "location": None,
        "evidence": {"trigger": "met", "rule": "core:meet/symmetric", "cues": []},
    }
    path = tmp_path / "coded.jsonl"
    bad = dict(contract, event_id="e2", quad_class="one")
    missing = {key: value for key, value in contract.items() if key != "code"}
    path.write_text(
        "\n".join(json.dumps(obj) for obj in (contract, bad, missing)) + "\n{not json\n"
    )
    summary = import_events(store, "jsonl", path)
    assert (summary.imported, summary.rejected) == (1, 3)
    assert [p.split(":")[0] for p in summary.problems] == ["line 2", "line 3", "line 4"]
    assert "quad_class: unexpected value 'one'" in summary.problems[0]
    assert summary.problems[1] == "line 3: code is missing"
    (record,) = store.iter_records()
    assert record.provenance == "tidings" and record.event.source.entry is None
    assert record.event.sentence == "Lavrov met Cavusoglu in Moscow."
    # No confidence in the file (older output): 1.0, never hidden.
    assert record.event.to_dict() == {**contract, "location": None, "confidence": 1.0,
        "evidence": {"trigger": "met", "rule": "core:meet/symmetric", "cues": [],
        "date_text": None, "place_text": None}}  # fmt: skip


def test_a_file_of_garbage_lines_is_reported_not_raised(store: Store, tmp_path: Path) -> None:
    junk = tmp_path / "junk.tsv"
    junk.write_text("".join(f"line {n} is not GDELT\n" for n in range(25)))
    summary = import_events(store, "gdelt", junk)
    assert (summary.imported, summary.rejected, summary.rows) == (0, 25, 25)
    assert len(summary.problems) == 10
    assert summary.problems[0] == "line 1: expected 61 tab-separated fields, found 1"


def test_icews_header_variants(store: Store, tmp_path: Path) -> None:
    text = ICEWS.read_text(encoding="utf-8").splitlines()
    header = text[0].lower().replace(" ", "_")
    variant = tmp_path / "events.tsv"
    variant.write_text("\n".join([header, *text[1:4]]) + "\n", encoding="utf-8")
    assert import_events(store, "icews", variant).imported == 3
    dup = tmp_path / "dup.tsv"
    dup.write_text("Event Date\tEvent Date\tSource Name\tCAMEO Code\n2014-01-01\t\tX\t010\n")
    with pytest.raises(InputError, match="names a column twice"):
        import_events(store, "icews", dup)


def test_import_by_path_creates_the_store(tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    copy = tmp_path / "events.tab"
    shutil.copy(ICEWS, copy)
    summary = import_events(db, "icews", copy)
    assert summary.imported == 4 and summary.rate > 0
    with Store(db, read_only=True) as store:
        assert store.counts()["events"] == 4
