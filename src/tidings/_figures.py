"""Charts written to files: the one place that loads matplotlib and saves a figure.

Why one module: ``tidings timeline --plot``, ``tidings aftermath --plot`` and ``tidings
evaluate realnews --curve`` all draw with matplotlib (an optional extra) and write a file
whose suffix names the format.  Each used to load matplotlib and catch write errors its
own way, and they drifted: one accepted any suffix matplotlib knows, one only PNG and
SVG, and one let a ``.json`` path end in an "unexpected" error.  Here the formats, the
missing-extra message and the write errors are defined once; a bad path is a one-line
:class:`~tidings.errors.InputError`, checked before any drawing is done.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tidings.errors import InputError

__all__ = ["FIGURE_FORMATS", "check_figure_path", "pyplot", "save_figure"]

#: File suffixes a chart can be written as (matplotlib picks the format from them).
FIGURE_FORMATS = (".png", ".svg", ".pdf")


def check_figure_path(path: str | Path, option: str) -> Path:
    """``path`` as a Path, or an InputError naming ``option`` when its suffix is no format."""
    path = Path(path)
    if path.suffix.lower() not in FIGURE_FORMATS:
        formats = ", ".join(FIGURE_FORMATS)
        raise InputError(f"{option} {path}: the file must end in one of {formats}")
    return path


def pyplot(option: str) -> Any:
    """matplotlib's pyplot on the Agg backend (no display needed), or an InputError saying
    how to install the ``plot`` extra that ``option`` needs."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise InputError(
            f"{option} needs matplotlib: pip install 'tidings[plot]' (or matplotlib)"
        ) from None
    return plt


def save_figure(figure: Any, path: Path, **options: Any) -> Path:
    """Write ``figure`` to ``path`` and close it; a write failure is an InputError."""
    import matplotlib.pyplot as plt

    try:
        figure.savefig(path, **options)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise InputError(f"{path}: cannot write the plot ({reason})") from None
    finally:
        plt.close(figure)
    return path
