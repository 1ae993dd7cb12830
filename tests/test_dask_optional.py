"""Dask and pyarrow stay optional: the base install works, --dask/--parquet say what is missing.

These tests need neither package (they hide them when installed), so they
run on every installation, unlike ``test_dask.py``.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tidings.api._dask import DASK_MISSING, run_dask
from tidings.api._parquet import PARQUET_MISSING, EventDataset, partition_of
from tidings.errors import TidingsError
from tidings.pipeline import PipelineConfig


def test_importing_the_api_and_cli_loads_neither_dask_nor_pyarrow():
    code = (
        "import sys, tidings.api, tidings.cli; "
        "print(sorted(m for m in ('dask', 'distributed', 'pyarrow') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_dask_missing_is_a_one_line_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import now raises ImportError
    with pytest.raises(TidingsError, match="\\.\\[dask\\]") as caught:
        next(run_dask(iter([]), PipelineConfig(), address="tcp://127.0.0.1:8786"))
    assert str(caught.value) == DASK_MISSING and "\n" not in DASK_MISSING


def test_cli_dask_without_dask(monkeypatch, capsys, tmp_path):
    from tidings.cli import main

    monkeypatch.setitem(sys.modules, "distributed", None)
    article = tmp_path / "a.txt"
    article.write_text("Japan condemned North Korea.", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["code", str(article), "--no-store", "--dask", "tcp://127.0.0.1:8786"])
    assert exited.value.code == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == f"tidings: error: {DASK_MISSING}"


def test_parquet_without_pyarrow(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(TidingsError) as caught:
        EventDataset(tmp_path / "out")
    assert str(caught.value) == PARQUET_MISSING


@pytest.mark.parametrize(
    ("date", "partition"),
    [
        ("2016-12-21", (2016, 12)),
        ("2016-03", (2016, 3)),
        ("2015", (2015, 0)),
        (None, (0, 0)),
        ("", (0, 0)),
    ],
)
def test_partition_of(date, partition):
    assert partition_of(date) == partition
