"""The command line as a user runs it: output formats, the store, bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tidings.cli import main

from .conftest import SEED


def run(argv, capsys, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = 0
    try:
        main(argv)
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    return code, out, err


def test_code_seed_jsonl_contract(tmp_path, capsys):
    db = tmp_path / "t.duckdb"
    code, out, err = run(["code", str(SEED), "--format", "jsonl", "--db", str(db)], capsys)
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) >= 8
    keys = {
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
        "evidence",
    }
    for row in rows:
        assert keys <= set(row)
        assert set(row["source"]) == {"code", "country", "agent", "text"}
        assert {"trigger", "rule"} <= set(row["evidence"])
        assert row["quad_class"] in (1, 2, 3, 4)
    assert "1 stored" in err


def test_rerun_adds_nothing_and_events_reads_the_store(tmp_path, capsys):
    db = tmp_path / "t.duckdb"
    run(["code", str(SEED), "--format", "jsonl", "--db", str(db)], capsys)
    code, _, err = run(["code", str(SEED), "--format", "jsonl", "--db", str(db)], capsys)
    assert code == 0 and "1 already stored" in err
    # settings do not reach what is stored, and the run says so
    code, _, err = run(["code", str(SEED), "--strict", "--db", str(db)], capsys)
    assert code == 0 and "were not coded again" in err and "tidings recode" in err
    code, out, _ = run(["events", "--db", str(db), "--format", "jsonl"], capsys)
    all_events = [json.loads(line) for line in out.splitlines()]
    code, out, _ = run(
        ["events", "--db", str(db), "--format", "jsonl", "--actor", "TUR", "--code", "04"], capsys
    )
    tur_talks = [json.loads(line) for line in out.splitlines()]
    assert 0 < len(tur_talks) < len(all_events)
    for event in tur_talks:
        assert event["code"].startswith("04")
        assert "TUR" in (event["source"]["code"][:3], event["target"]["code"][:3])
    assert len({e["event_id"] for e in all_events}) == len(all_events)


def test_table_and_csv_formats(tmp_path, capsys):
    code, out, _ = run(["code", str(SEED), "--no-store"], capsys)
    assert code == 0 and "RUSGOV" in out and "events" in out
    code, out, _ = run(["code", str(SEED), "--no-store", "--format", "csv"], capsys)
    lines = out.splitlines()
    assert lines[0].startswith("event_id,doc_id,sentence_index")
    assert len(lines) > 5
    assert not (tmp_path / "tidings.duckdb").exists()


def test_stdin(capsys, monkeypatch):
    code, out, _ = run(
        ["code", "-", "--no-store", "--format", "jsonl"],
        capsys,
        stdin="Talks\n\nJapan condemned North Korea on Monday.\n",
        monkeypatch=monkeypatch,
    )
    assert code == 0
    (event,) = [json.loads(line) for line in out.splitlines()]
    assert event["source"]["code"] == "JPN" and event["code"] == "111"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.txt", "no such file"),
        (lambda p: _write(p / "empty.txt", b"   \n"), "empty"),
        (lambda p: _mkdir(p / "nothing"), "no supported files"),
        (lambda p: _write(p / "bin.txt", b"\x00\x01\x02binary"), "binary"),
    ],
)
def test_bad_input_one_line_error(tmp_path, capsys, make, message):
    path = make(tmp_path)
    code, _, err = run(["code", str(path), "--no-store"], capsys)
    assert code != 0
    assert message in err
    assert "Traceback" not in err
    assert all(line.startswith("tidings: ") for line in err.strip().splitlines())


def test_invalid_utf8_is_a_warning(tmp_path, capsys):
    path = _write(tmp_path / "latin.txt", b"Talks\n\nJapan condemned North Korea.\n" + b"\xff\n")
    code, out, err = run(["code", str(path), "--no-store", "--format", "jsonl"], capsys)
    assert code == 0
    assert "warning" in err
    assert len(out.splitlines()) == 1


def test_malformed_jsonl_line_names_the_line(tmp_path, capsys):
    path = tmp_path / "c.jsonl"
    path.write_text(
        '{"id": "a", "text": "Japan condemned North Korea."}\n'
        "{not json\n"
        '{"id": "b", "text": "China praised Pakistan."}\n',
        encoding="utf-8",
    )
    code, out, err = run(
        ["code", str(path), "--no-store", "--format", "jsonl", "--min-confidence", "0"], capsys
    )
    assert code == 0
    assert ":2" in err and "Traceback" not in err
    assert {json.loads(line)["doc_id"] for line in out.splitlines()} == {"a", "b"}


def test_events_on_missing_store(tmp_path, capsys):
    code, _, err = run(["events", "--db", str(tmp_path / "none.duckdb")], capsys)
    assert code == 1 and "no event store" in err


def test_console_script_entry_point(tmp_path):
    """The installed `tidings` command runs the quickstart."""
    exe = Path(sys.executable).with_name("tidings")
    result = subprocess.run(
        [str(exe), "code", str(SEED), "--db", str(tmp_path / "q.duckdb")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "RUSGOV" in result.stdout and "TURGOV" in result.stdout


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _mkdir(path: Path) -> Path:
    path.mkdir()
    (path / "notes.pdf").write_bytes(b"%PDF")
    return path


def test_missing_model_is_a_one_line_error(capsys, monkeypatch):
    monkeypatch.setenv("TIDINGS_MODEL", "no_such_spacy_pipeline")
    code, _, err = run(["code", str(SEED), "--no-store"], capsys)
    assert code == 1
    assert "no_such_spacy_pipeline" in err and "not installed" in err
    assert len(err.strip().splitlines()) == 1


def test_strict_drops_relaxed_fallback_events(capsys):
    every = ["--no-store", "--format", "jsonl", "--min-confidence", "0"]
    _, out, _ = run(["code", str(SEED), *every, "--strict"], capsys)
    strict = [json.loads(line) for line in out.splitlines()]
    _, out, _ = run(["code", str(SEED), *every], capsys)
    relaxed = [json.loads(line) for line in out.splitlines()]
    assert strict and not any(e["evidence"]["rule"].endswith("/relaxed") for e in strict)
    assert any(e["evidence"]["rule"].endswith("/relaxed") for e in relaxed)
    assert {e["event_id"] for e in strict} <= {e["event_id"] for e in relaxed}


def test_language_not_chosen_is_stored_not_coded(tmp_path, capsys, monkeypatch):
    text = (
        "Переговоры в Москве\n\nМинистры иностранных дел России, Турции и Ирана встретились "
        "во вторник в Москве и обсудили урегулирование в Сирии.\n"
    )
    db = tmp_path / "ru.duckdb"
    code, out, err = run(
        ["code", "-", "--db", str(db), "--format", "jsonl", "--languages", "en"],
        capsys,
        stdin=text,
        monkeypatch=monkeypatch,
    )
    assert code == 0, err
    assert out.strip() == ""
    assert "1 not coded (language)" in err
    from tidings.api import open_store

    with open_store(db, read_only=True) as store:
        (article,) = store.articles()
    assert article.language == "ru"


def test_russian_article_is_coded_by_default(tmp_path, capsys, monkeypatch):
    text = (
        "Переговоры в Москве\n\nМинистры иностранных дел России и Турции встретились "
        "во вторник в Москве.\n"
    )
    code, out, err = run(
        ["code", "-", "--no-store", "--format", "jsonl"],
        capsys,
        stdin=text,
        monkeypatch=monkeypatch,
    )
    assert code == 0, err
    events = [json.loads(line) for line in out.splitlines()]
    assert any(e["root_code"] == "04" and e["source"]["country"] in {"RUS", "TUR"} for e in events)
    code, _, err = run(
        ["code", "-", "--no-store", "--languages", "en,xx"],
        capsys,
        stdin=text,
        monkeypatch=monkeypatch,
    )
    assert code != 0 and "unknown language 'xx'" in err


def test_events_place_filters(tmp_path, capsys):
    db = tmp_path / "p.duckdb"
    run(["code", str(SEED), "--format", "jsonl", "--db", str(db)], capsys)
    every = ["--min-confidence", "0"]  # place filters on every stored event
    _, out, _ = run(
        ["events", "--db", str(db), "--format", "jsonl", "--country", "KAZ", *every], capsys
    )
    kaz = [json.loads(line) for line in out.splitlines()]
    assert kaz and all(e["location"]["country"] == "KAZ" for e in kaz)
    _, out, _ = run(
        ["events", "--db", str(db), "--format", "jsonl", "--near", "55.75,37.62,30", *every],
        capsys,
    )
    near = [json.loads(line) for line in out.splitlines()]
    assert near and all(e["location"]["name"] == "Moscow" for e in near)
    _, out, _ = run(["events", "--db", str(db), "--format", "jsonl", "--place", "astana"], capsys)
    assert all(
        "Astana" in (e["location"] or {}).get("name", "") for e in map(json.loads, out.splitlines())
    )
    code, _, err = run(["events", "--db", str(db), "--near", "1,2"], capsys)
    assert code == 2 and "--near" in err


def test_code_prints_the_default_view_that_events_shows(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(
        "Japan did not condemn China.\n\nRussia strongly condemned Turkey on Monday.\n",
        encoding="utf-8",
    )
    db = tmp_path / "t.duckdb"
    argv = ["code", str(article), "--format", "jsonl", "--db", str(db), "--min-confidence", "0"]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    printed = [json.loads(line) for line in out.splitlines()]
    _, out, _ = run(
        ["events", "--db", str(db), "--format", "jsonl", "--min-confidence", "0"], capsys
    )
    assert {e["event_id"] for e in printed} == {json.loads(x)["event_id"] for x in out.splitlines()}
    assert printed and all(e["modality"] in ("asserted", "reported") for e in printed)
    code, out, _ = run([*argv, "--all-modalities", "--no-store"], capsys)
    assert "negated" in {json.loads(line)["modality"] for line in out.splitlines()}
