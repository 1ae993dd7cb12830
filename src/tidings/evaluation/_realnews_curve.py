"""Scores of a realnews run at every confidence threshold, and how calibrated it is.

* :func:`calibration`: the coded events of the default modalities, binned by confidence
  (ten equal-width bins), with the share of each bin that matched a gold event when no
  threshold hides anything, and the expected calibration error (ECE: the bins' mean
  |confidence - share correct|, weighted by their size).  Calibrated means that among
  events with confidence near c about c are correct.
* :func:`threshold_curve`: precision, recall and F1 of the default view at each
  threshold (the events are matched again at each: one-to-one matching can pair a gold
  event with another coded event once one is hidden).
* :func:`plot_curve`: both as a PNG (precision-recall curve and reliability diagram);
  matplotlib is an optional dependency (``pip install 'tidings[plot]'``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from tidings._figures import check_figure_path, pyplot, save_figure
from tidings.evaluation._metrics import prf
from tidings.model import DEFAULT_MODALITIES

if TYPE_CHECKING:
    from tidings.evaluation.realnews import RealnewsResult

__all__ = ["calibration", "plot_curve", "threshold_curve"]


def _labelled(result: RealnewsResult) -> list[tuple[float, bool]]:
    """(confidence, matched at threshold 0) of every coded event of a default modality."""
    open_view = result.rescore(0.0)
    out = []
    for s in open_view.sentences:
        matched = {i for i, _ in s.pairs}
        for i, event in enumerate(s.coded):
            if event.modality in DEFAULT_MODALITIES:
                out.append((float(event.confidence), i in matched))
    return out


def calibration(result: RealnewsResult, bins: int = 10) -> dict[str, Any]:
    """Reliability bins and the expected calibration error (see the module docstring)."""
    labelled = _labelled(result)
    rows = []
    ece = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(c, y) for c, y in labelled if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if not inside:
            continue
        mean = sum(c for c, _ in inside) / len(inside)
        share = sum(y for _, y in inside) / len(inside)
        ece += len(inside) / len(labelled) * abs(mean - share)
        rows.append(
            {
                "low": lo,
                "high": hi,
                "events": len(inside),
                "mean_confidence": round(mean, 4),
                "share_correct": round(share, 4),
            }
        )
    return {"events": len(labelled), "ece": round(ece, 4), "bins": rows}


def threshold_curve(result: RealnewsResult, points: int = 60) -> list[dict[str, float]]:
    """Precision, recall and F1 at thresholds spread over the events' confidences."""
    values = sorted({round(c, 4) for c, _ in _labelled(result)})
    if len(values) > points:
        step = (len(values) - 1) / (points - 1)
        values = sorted({values[round(k * step)] for k in range(points)})
    out = []
    for threshold in [0.0, *[v for v in values if v > 0.0]]:
        summary = result.rescore(threshold).summary()
        counts = summary["counts"]
        out.append(
            {
                "threshold": threshold,
                "events": counts["coded_events"],
                **prf(counts["matched"], counts["coded_events"], counts["gold_events"]),
            }
        )
    return out


def plot_curve(result: RealnewsResult, path: Path, *, threshold: float | None = None) -> None:
    """Draw the precision-recall curve over thresholds and the reliability diagram."""
    path = check_figure_path(path, "--curve")
    plt = pyplot("--curve")
    curve = threshold_curve(result)
    calib = calibration(result)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.8))
    left.plot([p["recall"] for p in curve], [p["precision"] for p in curve], marker=".")
    if threshold is not None:
        chosen = result.rescore(threshold).summary()["scores"]
        left.scatter([chosen["recall"]], [chosen["precision"]], color="red", zorder=3)
        left.annotate(f"default {threshold:.2f}", (chosen["recall"], chosen["precision"]))
    left.set_xlabel("recall")
    left.set_ylabel("precision")
    left.set_xlim(0, 1)
    left.set_ylim(0, 1)
    left.set_title(f"realnews ({result.split}): precision-recall over confidence thresholds")
    left.grid(alpha=0.3)
    right.plot([0, 1], [0, 1], linestyle="--", color="grey")
    xs = [b["mean_confidence"] for b in calib["bins"]]
    ys = [b["share_correct"] for b in calib["bins"]]
    right.plot(xs, ys, marker="o")
    for b in calib["bins"]:
        right.annotate(str(b["events"]), (b["mean_confidence"], b["share_correct"]), fontsize=7)
    right.set_xlabel("confidence (bin mean)")
    right.set_ylabel("share correct")
    right.set_xlim(0, 1)
    right.set_ylim(0, 1)
    right.set_title(f"reliability (ECE {calib['ece']:.3f}, {calib['events']} events)")
    right.grid(alpha=0.3)
    fig.tight_layout()
    save_figure(fig, path, dpi=110)
