"""The documentation site builds with warnings as errors, from this checkout (issue 14)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mkdocs", reason="mkdocs is not installed (pip install '.[docs]')")
pytest.importorskip("mkdocstrings", reason="mkdocstrings is not installed")
pytest.importorskip("material", reason="mkdocs-material is not installed")

REPO = Path(__file__).resolve().parents[1]


def test_site_builds_strict_with_generated_pages(tmp_path):
    from tidings.store.filters import FILTERS

    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    filters = (site / "filters" / "index.html").read_text(encoding="utf-8")
    for spec in FILTERS:  # the docs' filter list is generated from the table
        assert spec.name in filters and spec.option in filters
    from tidings.analytics._study_options import STUDY_OPTIONS

    for option in STUDY_OPTIONS:  # and so is the study options' table
        assert option.option in filters
    cli = (site / "cli" / "index.html").read_text(encoding="utf-8")
    assert "tidings events" in cli and "--actor-country" in cli and "--plot" in cli
    api = (site / "python-api" / "index.html").read_text(encoding="utf-8")
    assert "top_actors" in api and "code_inputs" in api
    assert "petrarch-unit-tests" in (site / "evaluation" / "index.html").read_text("utf-8")
    assert not (site / "_hooks.py").exists()
