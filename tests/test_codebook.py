"""The CAMEO codebook: data file, loader, ``tidings cameo`` command, regeneration."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tidings.cli.cameo_cmd import cameo
from tidings.dictionaries.cameo import (
    CameoCode,
    Codebook,
    class5_of_root,
    load_codebook,
    quad_class_of_root,
)
from tidings.errors import DictionaryError

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DATA_DIR = REPO / "src" / "tidings" / "data" / "cameo"
TSV = DATA_DIR / "codebook.tsv"
BUILD_SCRIPT = REPO / "scripts" / "build_codebook.py"


@pytest.fixture(scope="module")
def book() -> Codebook:
    return load_codebook()


# ----------------------------------------------------------------------------- the data


def test_about_300_codes(book: Codebook) -> None:
    data_rows = [ln for ln in TSV.read_text(encoding="utf-8").splitlines() if ln[:1] != "#"]
    assert len(book) == len(data_rows) - 1  # minus the header row
    assert 290 <= len(book) <= 330
    assert [c.code for c in book.roots()] == [f"{n:02d}" for n in range(1, 21)]


def test_file_layout() -> None:
    text = TSV.read_text(encoding="utf-8")
    assert "\r" not in text and text.endswith("\n")
    lines = text.splitlines()
    assert lines[0].startswith("#")
    header = next(ln for ln in lines if not ln.startswith("#"))
    assert header.split("\t")[:7] == [
        "code",
        "root",
        "label",
        "goldstein",
        "quad_class",
        "class5",
        "plover",
    ]
    comments = "\n".join(ln for ln in lines if ln.startswith("#"))
    for needed in (
        "text_to_CAMEO",
        "MIT",
        "CC BY-SA 4.0",
        "CAMEO2PLOVER-2021",
        "GDELT-Event_Codebook-V2.0",
        "QuadClass",
        "ConfliBERT",
    ):
        assert needed in comments


def test_licence_and_provenance_beside_the_data() -> None:
    licence = (DATA_DIR / "LICENSE-text_to_CAMEO.txt").read_text(encoding="utf-8")
    assert "MIT License" in licence and "Philip Schrodt" in licence
    provenance = (DATA_DIR / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in provenance and "PLOVER" in provenance


def test_praise_and_goldstein_values(book: Codebook) -> None:
    assert "praise" in book["051"].label.lower()
    assert book["051"].goldstein == pytest.approx(3.4)
    assert book["190"].goldstein == pytest.approx(-10.0)
    assert book["190"].label == "Use conventional military force"
    assert all(-10.0 <= c.goldstein <= 10.0 for c in book.values())


def test_goldstein_inherited_from_parent(book: Codebook) -> None:
    # 1951/1952 and 1213/1214 are absent from GDELT's Goldstein table.
    assert book["1951"].goldstein == book["195"].goldstein
    assert book["1213"].goldstein == book["121"].goldstein


@pytest.mark.parametrize(
    ("code", "quad"),
    [
        ("01", 1),
        ("010", 1),
        ("057", 1),
        ("05", 1),
        ("06", 2),
        ("060", 2),
        ("0874", 2),
        ("094", 2),
        ("10", 3),
        ("100", 3),
        ("1454", 3),
        ("14", 3),
        ("15", 4),
        ("150", 4),
        ("2042", 4),
    ],
)
def test_quad_class_boundaries(book: Codebook, code: str, quad: int) -> None:
    assert book[code].quad_class == quad
    assert quad_class_of_root(code[:2]) == quad


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        ("010", 0),
        ("0256", 0),
        ("030", 1),
        ("057", 1),
        ("060", 2),
        ("0874", 2),
        ("090", 3),
        ("139", 3),
        ("140", 4),
        ("2042", 4),
    ],
)
def test_class5_boundaries(book: Codebook, code: str, cls: int) -> None:
    assert book[code].class5 == cls
    assert class5_of_root(code[:2]) == cls


def test_every_row_agrees_with_the_root_rules(book: Codebook) -> None:
    for c in book.values():
        assert c.root == c.code[:2]
        assert c.quad_class == quad_class_of_root(c.root)
        assert c.class5 == class5_of_root(c.root)


def test_root_helpers() -> None:
    assert quad_class_of_root("05") == 1
    assert quad_class_of_root("5") == 1  # a root read back as an integer
    assert quad_class_of_root("051") == 1  # any code under the root
    assert class5_of_root("20") == 4
    for bad in ("00", "21", "x", "", "-1"):
        with pytest.raises(ValueError):
            quad_class_of_root(bad)
        with pytest.raises(ValueError):
            class5_of_root(bad)


def test_plover(book: Codebook) -> None:
    # PLOVER draft 0.8 folds CAMEO's FIGHT (19) into ASSAULT.
    assert book["190"].plover == "ASSAULT"
    assert book["190"].plover_context == "military"
    assert book["051"].plover == "SUPPORT"
    assert book["163"].plover == "COERCE"  # the line's own category, not its section's
    assert book["0841"].plover == "RETREAT" and book["0841"].plover_mode == "release"
    assert book["091"].plover_context == "crime;corruption"
    assert book["1951"].plover == book["195"].plover  # inherited from the parent
    assert book["08"].plover == "CONCEDE"  # ambiguous heading -> generic code 080
    assert book["010"].plover is None and book["02"].plover is None  # 01/02 unmapped


def test_suicide_bombing_and_hierarchy(book: Codebook) -> None:
    assert "1831" in book
    assert "suicide" in book["1831"].label.lower()
    for c in book.values():
        assert c.code.isdigit() and 2 <= len(c.code) <= 4
        if c.parent is not None:
            assert c.parent in book


def test_labels_choices(book: Codebook) -> None:
    assert book["055"].label == "Apologize"  # misspelling corrected
    assert book["018"].label == "Make empathetic comment"  # later duplicate wins
    assert book["045"].label == "Engage in mediation"  # CAMEO, not ICEWS "Mediate"
    assert book["05"].label == "ENGAGE IN DIPLOMATIC COOPERATION"


# ----------------------------------------------------------------------------- the loader


def test_mapping_behaviour(book: Codebook) -> None:
    assert isinstance(book["051"], CameoCode)
    with pytest.raises(KeyError):
        book["999"]
    assert book.get("999") is None
    assert book.get("051") is book["051"]
    assert "051" in book and "999" not in book and 51 not in book
    codes = list(book)
    assert codes == sorted(codes) and codes[:3] == ["01", "010", "011"]
    with pytest.raises(TypeError):
        book["999"] = book["051"]  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        book["051"].label = "x"  # type: ignore[misc]


def test_search(book: Codebook) -> None:
    assert [c.code for c in book.search("praise")] == ["051"]
    assert [c.code for c in book.search("  PRAISE ")] == ["051"]
    assert {c.code for c in book.search("suicide")} >= {"183", "1831"}
    by_code = book.search("19")
    assert by_code and all(c.code.startswith("19") for c in by_code)
    assert book.search("") == [] and book.search("no such thing") == []


def test_nearest(book: Codebook) -> None:
    assert book.nearest("043").code == "043"
    assert book.nearest("0431").code == "043"
    assert book.nearest("0499").code == "04"
    assert book.nearest("04").code == "04"
    for bad in ("99", "", "x"):
        with pytest.raises(KeyError):
            book.nearest(bad)


def test_children(book: Codebook) -> None:
    assert [c.code for c in book.children("05")] == [f"05{i}" for i in range(8)]
    assert "0211" in {c.code for c in book.children("02", recursive=True)}
    assert "0211" not in {c.code for c in book.children("02")}


def test_default_codebook_is_cached() -> None:
    assert load_codebook() is load_codebook()


def test_load_from_path_and_errors(tmp_path: Path) -> None:
    good = tmp_path / "mini.tsv"
    good.write_text(
        "# comment\n"
        "code\troot\tlabel\tgoldstein\tquad_class\tclass5\tplover\n"
        "05\t05\tENGAGE\t3.5\t1\t1\tSUPPORT\n"
        "051\t05\tPraise or endorse\t3.4\t1\t1\t\n",
        encoding="utf-8",
    )
    mini = load_codebook(good)
    assert len(mini) == 2 and mini["051"].plover is None
    assert mini["051"].plover_mode is None

    bad = tmp_path / "bad.tsv"
    bad.write_text(
        "code\troot\tlabel\tgoldstein\tquad_class\tclass5\tplover\n051\t05\tPraise\tx\t1\t1\t\n",
        encoding="utf-8",
    )
    with pytest.raises(DictionaryError, match=r"bad\.tsv:2"):
        load_codebook(bad)
    with pytest.raises(DictionaryError):
        load_codebook(tmp_path / "missing.tsv")


# ----------------------------------------------------------------------------- the command


def test_cli_single_code() -> None:
    result = CliRunner().invoke(cameo, ["051"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for needed in ("051", "Praise or endorse", "3.4", "Verbal Cooperation", "SUPPORT"):
        assert needed in out


def test_cli_root_lists_children() -> None:
    result = CliRunner().invoke(cameo, ["05"])
    assert result.exit_code == 0, result.output
    for code in ("050", "051", "057"):
        assert code in result.stdout


def test_cli_search() -> None:
    result = CliRunner().invoke(cameo, ["--search", "praise"])
    assert result.exit_code == 0, result.output
    assert "051" in result.stdout and "Praise" in result.stdout


def test_cli_json() -> None:
    result = CliRunner().invoke(cameo, ["190", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["code"] == "190" and data["goldstein"] == -10.0
    assert data["quad_class"] == 4 and data["quad_class_name"] == "Material Conflict"
    assert data["plover"] == "ASSAULT"

    result = CliRunner().invoke(cameo, ["--search", "praise", "--format", "json"])
    assert [e["code"] for e in json.loads(result.stdout)] == ["051"]


@pytest.mark.parametrize("code", ["999", "0431", "51", "abc"])
def test_cli_unknown_code(code: str) -> None:
    result = CliRunner().invoke(cameo, [code])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and code in lines[0]


# ----------------------------------------------------------------------------- regeneration


def _load_build_script():
    spec = importlib.util.spec_from_file_location("build_codebook", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being created
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "data" / "cameo").is_dir(), reason="../shared is absent")
def test_regenerates_byte_for_byte() -> None:
    build = _load_build_script()
    wanted = build.outputs()
    assert set(wanted) == {TSV, DATA_DIR / "LICENSE-text_to_CAMEO.txt"}
    for path, data in wanted.items():
        assert path.read_bytes() == data, f"{path.name} is stale: run scripts/build_codebook.py"
    assert build.render(build.build()) == build.render(build.build())  # deterministic
