"""The hand-written tables of ``scripts/dictionary_patches/`` that
``scripts/build_dictionaries.py`` reads: the shipped ones pass its checks, and a
malformed one stops the build with the file and field named, before anything is
written.  (That the tables give the packaged dictionaries byte for byte is
checked in test_dictionaries_actors.py.)"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILD_SCRIPT = ROOT / "scripts" / "build_dictionaries.py"
PATCHES = ROOT / "scripts" / "dictionary_patches"


def build(tmp_path: Path, patches: Path) -> subprocess.CompletedProcess:
    """Run the build with ``patches`` and no Phoenix files (it must stop before reading them)."""
    return subprocess.run(
        [
            sys.executable,
            str(BUILD_SCRIPT),
            *("--patches", str(patches)),
            *("--phoenix", str(tmp_path / "no-phoenix")),
            *("--out", str(tmp_path / "out")),
        ],
        capture_output=True,
        text=True,
    )


def test_the_shipped_tables_pass_the_checks(tmp_path):
    result = build(tmp_path, PATCHES)
    # the tables were read and accepted; only then is the missing source noticed
    assert result.returncode == 2
    assert "no Phoenix dictionaries" in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        # a misspelt field would otherwise be ignored
        ("source_fixes.toml", "\nwhy = ", "\nwyh = ", "fix[0].wyh: unknown field"),
        ("names.toml", "[kept_ambiguous]", "[kept_ambigous]", "kept_ambigous: unknown field"),
        # a fix for a misspelt file would never apply
        (
            "source_fixes.toml",
            'file = "Phoenix.agents.txt"',
            'file = "Phoenix.agent.txt"',
            "'Phoenix.agent.txt' is not a source file",
        ),
        ("source_fixes.toml", "line = 745", 'line = "745"', "fix[0].line: must be an integer"),
        ("places.toml", '{ first = "moron" }', '{ frist = "moron" }', "spans[0].frist: unknown"),
        ("supplement.toml", 'names = ["moscow"]', "names = []", "actors[9].names: must be"),
        ("supplement.toml", '{ id = "ANKARA"', '{ id = "MOSCOW"', "'MOSCOW' is listed twice"),
        ("places.toml", "[capitals]", "[capitals", "places.toml: not valid TOML"),
    ],
)
def test_a_malformed_table_stops_the_build(tmp_path, file, old, new, message):
    patches = tmp_path / "patches"
    shutil.copytree(PATCHES, patches)
    text = (patches / file).read_text(encoding="utf-8")
    assert old in text  # the table still has what this test breaks
    (patches / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    result = build(tmp_path, patches)
    assert result.returncode == 2
    assert f"{file}: " in result.stderr and message in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()
