"""ruff is part of the test suite, so CI and the README's test command check style too."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_ruff_clean() -> None:
    exe = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    paths = [p for p in ("src", "tests", "scripts", "benchmarks") if (REPO / p).exists()]
    result = subprocess.run(
        [exe, "check", *paths], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
