"""Rolling-origin backtests of the dyad forecasts, and the forecast of one dyad.

:func:`backtest` moves the forecast origin over the last ``origins`` periods
of the data; at each origin every model sees only the periods before it and
forecasts 1 to ``max(horizons)`` periods ahead for every dyad with at least
``min_events`` events.  Scores, averaged over dyads and origins:

* MAE of the point forecast (the default model's
  :attr:`~._forecast_model.Prediction.point`, the number ``forecast``
  prints; the baselines': their own values);
* MASE: each dyad's MAE over the mean absolute one-step change of its history
  before the first origin (dyads whose history never changed are left out);
* the Poisson log score: the mean negative log-probability of the observed
  count under a Poisson with the forecast mean (floored at 0.01), lower is
  better, the same rule for every model (the default model's mean is
  :attr:`~._forecast_model.Prediction.mean`).  Why not each model's own
  predictive distribution: the baselines have none but their mean, and the
  issue's target is stated in this score; the default's negative binomial
  only gives its intervals.

:func:`forecast_dyad` fits the same :class:`~._forecast_model.DefaultModel`
on the whole history, so what ``forecast`` shows is what ``backtest`` scores.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tidings.analytics._forecast import (
    BASELINES,
    DEFAULT_MODEL,
    Panel,
    _select,
    baseline_forecasts,
    poisson_log_score,
)
from tidings.analytics._forecast_model import DefaultModel, Features, training_dyads
from tidings.errors import InputError

MODELS = (DEFAULT_MODEL, *BASELINES)


def backtest(
    panel: Panel,
    *,
    origins: int = 12,
    horizons: tuple[int, ...] = (1, 2, 3, 4),
    min_events: int = 52,
    quad: int = 0,
    keep_forecasts: bool = False,
    holdout: int = 0,
) -> dict[str, Any]:
    """Scores of the default model and every baseline; see the module docstring.

    ``holdout`` leaves the last periods out, as if the data ended before
    them: ``holdout=origins`` scores the block of origins just before the
    usual ones, which is where model choices are made so that they are
    never tuned on the origins that are reported (dyads are still chosen
    by their events over all periods, as the reported backtest does).

    With ``keep_forecasts``, the result also lists the default model's every
    forecast (dyad, target period, horizon, point, mean): what ``forecast``
    would have said at that origin.
    """
    y = panel.counts[:, :, quad]
    chosen = _select(panel, min_events)
    if len(chosen) == 0:
        raise InputError(f"no dyad has {min_events} events or more: lower --min-events")
    n = y.shape[1] - holdout
    first = n - origins
    if first < 12:
        raise InputError(f"{n} periods are too few for {origins} origins (need 12 before them)")
    ys = y[chosen]
    wider, own = training_dyads(panel, chosen, min_events)
    features = Features.of(_subset(panel, wider), quad)
    diffs = np.abs(np.diff(ys[:, :first], axis=1)).mean(axis=1)
    scaled = diffs > 0
    results = []
    kept: list[dict[str, Any]] = []
    for h in horizons:
        errors: dict[str, list[np.ndarray]] = {m: [] for m in MODELS}
        scores: dict[str, list[np.ndarray]] = {m: [] for m in MODELS}
        for origin in range(first - h + 1, n - h + 1):
            target = origin + h - 1
            if target < first:
                continue
            model = DefaultModel.fit(features, y[wider], origin, h, own)
            predicted = model.predict(features, origin).rows(own)
            point = {DEFAULT_MODEL: predicted.point}
            means = {DEFAULT_MODEL: predicted.mean}
            for name, value in baseline_forecasts(ys, origin, h).items():
                point[name], means[name] = value, value
            actual = ys[:, target]
            if keep_forecasts:
                kept += _forecast_rows(panel, chosen, target, h, predicted)
            for name in MODELS:
                errors[name].append(np.abs(point[name] - actual))
                scores[name].append(poisson_log_score(actual, means[name]))
        for name in MODELS:
            err = np.stack(errors[name], axis=1)
            results.append(
                {
                    "model": name,
                    "horizon": h,
                    "mae": float(err.mean()),
                    "mase": float((err[scaled].mean(axis=1) / diffs[scaled]).mean()),
                    "log_score": float(np.stack(scores[name], axis=1).mean()),
                    "forecasts": int(err.size),
                }
            )
    out = {
        "dyads": len(chosen),
        "origins": origins,
        "periods": [panel.periods[first], panel.periods[n - 1]],
        "results": results,
    }
    return {**out, "forecasts": kept} if keep_forecasts else out


def _forecast_rows(panel: Panel, chosen: np.ndarray, target: int, h: int, predicted: Any):
    return [
        {
            "dyad": panel.dyads[d],
            "period": panel.periods[target],
            "horizon": h,
            "point": float(predicted.point[i]),
            "mean": float(predicted.mean[i]),
        }
        for i, d in enumerate(chosen)
    ]


def compare(result: dict[str, Any], horizon: int = 1) -> dict[str, Any]:
    """How much better the default model is than the best baseline, per score (percent)."""
    rows = [r for r in result["results"] if r["horizon"] == horizon]
    model = next(r for r in rows if r["model"] == DEFAULT_MODEL)
    out = {}
    for score in ("mae", "mase", "log_score"):
        best = min((r for r in rows if r["model"] != DEFAULT_MODEL), key=lambda r: r[score])
        out[score] = {
            "best_baseline": best["model"],
            "baseline": best[score],
            "model": model[score],
            "improvement_pct": 100 * (best[score] - model[score]) / best[score],
        }
    return out


def forecast_dyad(
    panel: Panel,
    dyad: tuple[str, str],
    horizon: int = 4,
    *,
    level: float = 0.9,
    min_events: int = 52,
) -> list[dict[str, Any]]:
    """Counts per QuadClass (and in all) and the Goldstein sum of ``dyad`` for the next periods.

    The default model (:class:`~._forecast_model.DefaultModel`, the one
    :func:`backtest` scores) per QuadClass and horizon, fitted on the dyads
    with at least ``min_events`` events (as in :func:`backtest`) and the dyad
    itself.  Each count is the model's point forecast (``events``, ``q1``...,
    what the backtest's MAE scores) with its predictive mean (``events_mean``
    ..., what the log score scores); intervals hold the central ``level`` of
    the predictive distribution.  The Goldstein sum is simulated from the
    QuadClass predictive distributions times the dyad's mean Goldstein value
    per event of each class.
    """
    try:
        d = panel.dyads.index(dyad)
    except ValueError:
        raise InputError(f"no events of {dyad[0]} -> {dyad[1]} in the store") from None
    if horizon < 1 or horizon > 52:
        raise InputError("the horizon must be 1 to 52 periods")
    n = len(panel.periods)
    wider, own = training_dyads(panel, np.union1d(_select(panel, min_events), [d]), min_events)
    row = int(np.searchsorted(wider, d))
    tail = (1 - level) / 2
    rng = np.random.default_rng(0)
    per_event = _goldstein_per_event(panel, d)
    out = []
    subset = _subset(panel, wider)
    counts = [panel.counts[wider, :, k] for k in range(5)]
    features = [Features.of(subset, k) for k in range(5)]
    for h in range(1, horizon + 1):
        point: dict[str, Any] = {"period": _ahead(panel.periods, h), "horizon": h}
        draws = np.zeros(4000)
        for k, name in enumerate(("events", "q1", "q2", "q3", "q4")):
            model = DefaultModel.fit(features[k], counts[k], n, h, own)
            predicted = model.predict(features[k], n)
            point[name] = float(predicted.point[row])
            point[f"{name}_mean"] = float(predicted.mean[row])
            point[f"{name}_low"] = float(predicted.quantile(tail)[row])
            point[f"{name}_high"] = float(predicted.quantile(1 - tail)[row])
            if k:
                draws += per_event[k - 1] * predicted.draws(rng, row, len(draws))
        point["goldstein_sum"] = float(draws.mean())
        point["goldstein_low"] = float(np.quantile(draws, tail))
        point["goldstein_high"] = float(np.quantile(draws, 1 - tail))
        out.append(point)
    return out


def _ahead(periods: list[Any], h: int) -> Any:
    """The start of the period ``h`` after the last one (months have no fixed step)."""
    last, step = periods[-1], periods[-1] - periods[-2]
    if step.days < 28:
        return last + step * h
    months = last.year * 12 + last.month - 1 + h
    return last.replace(year=months // 12, month=months % 12 + 1, day=1)


def _goldstein_per_event(panel: Panel, d: int) -> list[float]:
    """Mean Goldstein value of an event of each QuadClass: the dyad's own (from its Goldstein
    sums, solved per class by least squares over periods), else all dyads'."""
    counts = panel.counts[:, :, 1:].reshape(-1, 4)
    overall = np.linalg.lstsq(counts, panel.goldstein.reshape(-1), rcond=None)[0]
    own = panel.counts[d, :, 1:]
    if own.sum() < 20:
        return [float(v) for v in overall]
    fitted = np.linalg.lstsq(own, panel.goldstein[d], rcond=None)[0]
    seen = own.sum(axis=0) >= 3
    return [float(f if ok else o) for f, o, ok in zip(fitted, overall, seen, strict=True)]


def _subset(panel: Panel, keep: np.ndarray) -> Panel:
    return Panel(
        [panel.dyads[i] for i in keep],
        panel.periods,
        panel.counts[keep],
        panel.goldstein[keep],
        panel.actor_totals[keep],
        panel.reverse[keep],
        panel.overall,
        None if panel.recent is None else panel.recent[keep],
        None if panel.activity is None else panel.activity[keep],
    )
