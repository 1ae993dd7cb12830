"""--dictionaries: users' PETRARCH-format dictionaries overlay the packaged ones."""

from __future__ import annotations

import json

from .test_cli import run


def test_overlay_directory_adds_an_actor(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "dicts"
    folder.mkdir()
    (folder / "my.actors.txt").write_text("GONDORIA_  [GDR]\n+GONDORIAN_\n", encoding="utf-8")
    text = "Gondoria condemned Japan on Monday.\n"
    every = ["--min-confidence", "0"]  # an unidentified source is below the default view
    _, out, _ = run(
        ["code", "-", "--no-store", "--format", "jsonl", *every],
        capsys,
        stdin=text,
        monkeypatch=monkeypatch,
    )
    # unknown to the packaged dictionaries: an unidentified source, never Japan
    (before,) = [json.loads(line) for line in out.splitlines()]
    assert (before["source"]["code"], before["source"]["text"]) == ("---", "Gondoria")
    code, out, err = run(
        ["code", "-", "--no-store", "--format", "jsonl", *every, "--dictionaries", str(folder)],
        capsys,
        stdin=text,
        monkeypatch=monkeypatch,
    )
    assert code == 0, err
    (event,) = [json.loads(line) for line in out.splitlines()]
    assert (event["source"]["code"], event["code"], event["target"]["code"]) == (
        "GDR",
        "111",
        "JPN",
    )


def test_dictionaries_check_reports_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.actors.jsonl"
    bad.write_text(
        '{"id": "GDR", "type": "country", "names": ["gondoria"], "codes": [{"code": "GDR"}]}\n'
        "{not json\n",
        encoding="utf-8",
    )
    code, out, _ = run(["dictionaries", "check", str(bad)], capsys)
    assert code == 1
    assert f"{bad}:2:" in out
