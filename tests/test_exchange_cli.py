"""``tidings export`` and ``tidings import`` as a user runs them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tidings.cli import cli, main
from tidings.cli.exchange_cmd import export_cmd, import_cmd
from tidings.exchange import read_sidecar
from tidings.store import Store, _schema

from .test_store import full_event, make_coded, make_event

FIXTURES = Path(__file__).parent / "fixtures" / "exchange"

# Until the commands are registered in tidings.cli (by its owner), add them here.
for command in (export_cmd, import_cmd):
    if command.name not in cli.commands:
        cli.add_command(command)


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    """Run the CLI; return exit code, stdout and stderr."""
    code = 0
    try:
        main(argv)
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "t.duckdb"
    with Store(path) as store:
        store.save(make_coded("a", (full_event("a"), make_event("a", 2, modality="negated"))))
    return path


def test_import_then_export(tmp_path: Path, db: Path, capsys) -> None:
    code, out, err = run(
        ["import", "--format", "gdelt", str(FIXTURES / "gdelt_sample.export.CSV"), "--db", str(db)],
        capsys,
    )
    assert code == 0 and out == ""
    assert "line 4: expected 61 tab-separated fields, found 4" in err
    assert "4 events imported from" in err and "(0 already stored, 4 bad lines)" in err
    output = tmp_path / "events.tsv"
    code, out, err = run(
        ["export", "--format", "gdelt", "--db", str(db), "--output", str(output)], capsys
    )
    assert code == 0, err
    assert "5 events exported as gdelt to" in err and ".meta.json" in err
    assert len(output.read_text().splitlines()) == 5
    assert read_sidecar(output)["coder"] == "tidings.dep_coder.v1"
    argv = ["export", "--format", "gdelt", "--db", str(db), "-o", str(output)]
    code, out, err = run([*argv, "--provenance", "gdelt"], capsys)
    assert "4 events exported" in err


def test_export_to_stdout_and_modalities(db: Path, capsys) -> None:
    code, out, err = run(["export", "--format", "jsonl", "--db", str(db)], capsys)
    assert code == 0
    assert [json.loads(line)["event_id"] for line in out.splitlines()] == ["a-e1"]
    assert "# tidings 0.1.0 coder tidings.dep_coder.v1" in err and "no sidecar" in err
    code, out, _ = run(["export", "--format", "jsonl", "--db", str(db), "--all-modalities"], capsys)
    assert len(out.splitlines()) == 2
    code, out, _ = run(
        ["export", "--format", "jsonl", "--db", str(db), "--modality", "negated"], capsys
    )
    assert [json.loads(line)["event_id"] for line in out.splitlines()] == ["a-e2"]


def test_usage_errors(db: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    argv = ["export", "--format", "jsonl", "--db", str(db)]
    code, _, err = run([*argv, "--modality", "negated", "--all-modalities"], capsys)
    assert code == 2 and "not both" in err
    code, _, err = run(["export", "--format", "xml", "--db", str(db)], capsys)
    assert code == 2 and "xml" in err
    code, _, err = run(["export", "--format", "csv", "--db", str(db), "--since", "May"], capsys)
    assert code == 2 and "--since" in err and "not a date" in err  # as on every query command
    code, _, err = run(["export", "--format", "csv", "--db", str(tmp_path / "none.duckdb")], capsys)
    assert code == 1 and "no event store" in err
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, _, err = run(["export", "--format", "parquet", "--db", str(db)], capsys)
    assert code == 2 and "parquet is binary" in err


def test_import_errors(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "t.duckdb")
    missing = str(tmp_path / "nope.csv")
    code, _, err = run(["import", "--format", "gdelt", missing, "--db", db], capsys)
    assert code == 1 and err.strip() == f"tidings: error: {tmp_path / 'nope.csv'}: no such file"
    junk = tmp_path / "junk.tsv"
    junk.write_text("a\tb\nc\td\n")
    code, _, err = run(["import", "--format", "gdelt", str(junk), "--db", db], capsys)
    assert code == 1 and "no line could be imported" in err
    assert "line 2: expected 61 tab-separated fields, found 2" in err


def test_import_limit_and_many_bad_lines(tmp_path: Path, capsys) -> None:
    junk = tmp_path / "junk.tsv"
    good = (FIXTURES / "gdelt_sample.export.CSV").read_text().splitlines()[0]
    junk.write_text(good + "\n" + "".join(f"bad {n}\n" for n in range(12)))
    db = str(tmp_path / "t.duckdb")
    argv = ["import", "--format", "gdelt", str(junk), "--db", db, "--limit", "1"]
    code, _, err = run(argv, capsys)
    assert code == 0
    assert "... and 2 more bad lines" in err and "1 events imported" in err


def test_export_migrates_an_older_store(tmp_path: Path, capsys) -> None:
    import duckdb

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    _schema.ensure_schema(
        con, read_only=False, label=str(path), migrations=_schema.load_migrations()[:1]
    )
    con.close()
    code, out, err = run(["export", "--format", "csv", "--db", str(path)], capsys)
    assert code == 0, err
    assert out.splitlines()[0].startswith("event_id,doc_id")
