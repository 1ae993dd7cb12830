"""ruff is part of the test suite, so CI and the README's test command check style too."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _ruff(*args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    paths = [p for p in ("src", "tests", "scripts", "benchmarks") if (REPO / p).exists()]
    return subprocess.run(
        [exe, *args, *paths], cwd=REPO, capture_output=True, text=True, timeout=120
    )


def test_ruff_clean() -> None:
    result = _ruff("check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_formatted() -> None:
    """One format, checked like the lints: a reformat never hides in an unrelated diff."""
    result = _ruff("format", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
