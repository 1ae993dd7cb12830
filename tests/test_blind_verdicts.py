"""The judged blind sheets of ``scripts/blind_samples/`` that ``scripts/fit_confidence.py``
fits the confidence model with: every shipped sheet parses, and a sheet's rows become
verdicts with the actor countries the scorer keys on."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


@pytest.fixture(scope="module")
def blind():
    spec = importlib.util.spec_from_file_location("blind_verdicts", SCRIPTS / "blind_verdicts.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["blind_verdicts"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_sheet_row_becomes_a_verdict_keyed_by_countries(blind, tmp_path):
    sheet = tmp_path / "s.tsv"
    sheet.write_text(
        "# provenance\n"
        "n\tarticle\tcode\tmodality\tconfidence\tsource -> target\trule\tverdict\tsentence\n"
        "1\tA1\t111\tasserted\t0.80\tRussia[RUS/GOV] -> the U.S. [envoy][USA]\tr\tyes\t"
        "Russia  criticised\tthe US.\n"
        "2\tA1\t010\tasserted\t0.40\tHRW[None/NGO] -> -\tr\t?\tHRW said so.\n"
        "3\tA2\t190\tasserted\t0.70\tX[SYR] -> Y[TUR]\tr\t\tnot judged yet\n"
        "4\tA2\t190\tasserted\t0.70\tX[SYR] -> Y[TUR]\tr\tno\tThey fought.\n",
        encoding="utf-8",
    )
    verdicts = blind.read_verdicts([sheet])
    assert [(v.article, v.code, v.source, v.target, v.label) for v in verdicts] == [
        ("A1", "111", "RUS", "USA", 1.0),
        ("A1", "010", None, None, 0.5),
        ("A2", "190", "SYR", "TUR", 0.0),
    ]
    assert verdicts[0].sentence == "Russia criticised"  # whitespace-normalised, tab cut
    assert not any(v.developed_on for v in verdicts)
    used = tmp_path / "used.tsv"
    used.write_text("# developed-on: yes\n" + sheet.read_text(encoding="utf-8"), encoding="utf-8")
    assert all(v.developed_on for v in blind.read_verdicts([used]))


def test_every_shipped_sheet_is_fully_judged(blind):
    sheets = sorted(blind.BLIND_DIR.glob("*.tsv"))
    assert sheets
    for sheet in sheets:
        rows = [
            line.split("\t")
            for line in sheet.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#") and not line.startswith("n\t")
        ]
        assert rows, sheet.name
        assert len(blind.read_verdicts([sheet])) == len(rows), f"{sheet.name}: unjudged rows"
