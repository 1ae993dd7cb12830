"""``--plot FILE.png``: the table of ``tidings timeline`` or ``dyads`` as a chart.

matplotlib is an optional extra (``pip install '.[plot]'``); without it the
option is a one-line error saying so.  The chart is written with the Agg
backend (no display needed); the format follows the file's suffix (PNG, SVG or
PDF, :data:`tidings._figures.FIGURE_FORMATS`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tidings._figures import check_figure_path, pyplot, save_figure

QUADS = {
    "q1": ("verbal cooperation", "#4c9a2a"),
    "q2": ("material cooperation", "#1f6f8b"),
    "q3": ("verbal conflict", "#e3a21a"),
    "q4": ("material conflict", "#c0392b"),
}


def save_plot(kind: str, rows: Sequence[dict[str, Any]], path: str, title: str) -> None:
    """Draw ``rows`` of a timeline (stacked QuadClass bars per period) or of top dyads
    (horizontal bars) into ``path``."""
    figure_path = check_figure_path(path, "--plot")
    plt = pyplot("--plot")
    figure, axes = plt.subplots(figsize=(10, 5 if kind == "timeline" else 6), layout="tight")
    if kind == "timeline":
        labels = [str(row["period"]) for row in rows]
        bottom = [0] * len(rows)
        for key, (name, color) in QUADS.items():
            values = [row.get(key) or 0 for row in rows]
            axes.bar(labels, values, bottom=bottom, label=name, color=color)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        axes.set_xlabel("period")
        axes.set_ylabel("events")
        axes.legend(loc="upper left", fontsize="small")
        step = max(1, len(labels) // 12)
        axes.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right")
    else:
        pair = ("source", "target") if rows and "source" in rows[0] else ("actor1", "actor2")
        arrow = " → " if pair[0] == "source" else " – "
        labels = [f"{row[pair[0]]}{arrow}{row[pair[1]]}" for row in rows][::-1]
        axes.barh(labels, [row["events"] for row in rows][::-1], color="#1f6f8b")
        axes.set_xlabel("events")
        axes.set_ylabel("dyad")
    from matplotlib.ticker import MaxNLocator

    (axes.yaxis if kind == "timeline" else axes.xaxis).set_major_locator(
        MaxNLocator(integer=True)
    )  # counts of events
    axes.set_title(title)
    save_figure(figure, figure_path)
