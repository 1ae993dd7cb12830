"""Every chart option (timeline/dyads --plot, aftermath --plot, evaluate --curve) takes the
same formats and fails the same way on a bad path: one definition in ``tidings._figures``."""

from __future__ import annotations

import pytest

from tidings._figures import FIGURE_FORMATS, check_figure_path, save_figure
from tidings.errors import InputError


def test_a_path_without_a_figure_suffix_is_a_one_line_input_error(tmp_path):
    for suffix in FIGURE_FORMATS:
        assert check_figure_path(tmp_path / f"chart{suffix.upper()}", "--plot").name
    with pytest.raises(InputError, match=r"--curve .*chart\.json: the file must end in one of"):
        check_figure_path(tmp_path / "chart.json", "--curve")
    with pytest.raises(InputError):
        check_figure_path(tmp_path / "chart", "--plot")


def test_a_figure_that_cannot_be_written_is_an_input_error(tmp_path):
    plt = pytest.importorskip("matplotlib.pyplot")
    figure = plt.figure()
    with pytest.raises(InputError, match="cannot write the plot"):
        save_figure(figure, tmp_path / "missing-dir" / "chart.png")
    written = save_figure(plt.figure(), tmp_path / "chart.pdf")
    assert written.read_bytes()[:5] == b"%PDF-"


def test_evaluate_rejects_a_curve_file_of_no_figure_format_before_coding(tmp_path, capsys):
    from tidings.cli import main

    out = tmp_path / "curve.json"
    with pytest.raises(SystemExit) as stopped:
        main(["evaluate", "realnews", "--split", "tune", "--curve", str(out)])
    assert stopped.value.code == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("tidings: error: --curve") and "must end in one of" in error
    assert "unexpected" not in error and "\n" not in error
    assert not out.exists()
