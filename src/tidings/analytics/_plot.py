"""Charts of event studies as PNG, SVG or PDF files (matplotlib, the ``plot`` extra).

matplotlib is optional: without it :func:`plot_aftermath` raises an
:class:`~tidings.errors.InputError` with the one line that says what to
install, so the CLI prints it instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tidings._figures import check_figure_path, pyplot, save_figure

if TYPE_CHECKING:
    from tidings.analytics._aftermath import Aftermath


def plot_aftermath(result: Aftermath, path: str | Path) -> Path:
    """Draw the series, the trigger and the counterfactual band of ``result`` to ``path``."""
    path = check_figure_path(path, "--plot")
    plt = pyplot("--plot")
    series = result.series
    x = [p["period"] for p in series]
    fig, ax = plt.subplots(figsize=(9, 4), dpi=110)
    ax.plot(x, [p["events"] for p in series], marker="o", ms=3, lw=1.2, label="events")
    after = [p for p in series if p["window"] == "after"]
    if after:
        ax.plot(
            [p["period"] for p in after],
            [p["expected"] for p in after],
            "--",
            color="grey",
            label="expected without the trigger",
        )
        ax.fill_between(
            [p["period"] for p in after],
            [p["low"] for p in after],
            [p["high"] for p in after],
            color="grey",
            alpha=0.25,
            label="90% band",
        )
    ax.axvline(result.trigger["period"], color="crimson", lw=1.5, label="trigger")
    sel = result.selection
    what = (
        ("-" if not sel.get("directed") else "->").join(sel["dyad"])
        if "dyad" in sel
        else f"{sel['actor']} with everyone"
    )
    ax.set_title(f"{what}: events per {result.by} around {result.trigger['date']}")
    ax.set_ylabel(f"events per {result.by}")
    ax.legend(loc="upper left", fontsize=8)
    fig.autofmt_xdate()
    fig.tight_layout()
    return save_figure(fig, path)
