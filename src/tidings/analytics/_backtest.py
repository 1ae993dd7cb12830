"""Rolling-origin backtests of the dyad forecasts, and the forecast of one dyad.

:func:`backtest` moves the forecast origin over the last ``origins`` periods
of the data; at each origin every model sees only the periods before it and
forecasts 1 to ``max(horizons)`` periods ahead for every dyad with at least
``min_events`` events.  Scores, averaged over dyads and origins:

* MAE of the point forecast (the model's: a pooled median regression,
  :class:`~._forecast.PooledMedian`; the baselines': their own values);
* MASE: each dyad's MAE over the mean absolute one-step change of its history
  before the first origin (dyads whose history never changed are left out);
* the Poisson log score: the mean negative log-probability of the observed
  count under a Poisson with the forecast mean (floored at 0.01), lower is
  better, the same rule for every model.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tidings.analytics._forecast import (
    BASELINES,
    DEFAULT_MODEL,
    Panel,
    PooledGLM,
    PooledMedian,
    _select,
    baseline_forecasts,
    feature_states,
    level_states,
    poisson_log_score,
)
from tidings.errors import InputError

MODELS = (DEFAULT_MODEL, *BASELINES)


def backtest(
    panel: Panel,
    *,
    origins: int = 12,
    horizons: tuple[int, ...] = (1, 2, 3, 4),
    min_events: int = 52,
    quad: int = 0,
) -> dict[str, Any]:
    """Scores of the default model and every baseline; see the module docstring."""
    y = panel.counts[:, :, quad]
    chosen = _select(panel, min_events)
    if len(chosen) == 0:
        raise InputError(f"no dyad has {min_events} events or more: lower --min-events")
    n = y.shape[1]
    first = n - origins
    if first < 12:
        raise InputError(f"{n} periods are too few for {origins} origins (need 12 before them)")
    states = feature_states(y, panel)[chosen]
    ys = y[chosen]
    levels = level_states(ys, _subset(panel, chosen))
    diffs = np.abs(np.diff(ys[:, :first], axis=1)).mean(axis=1)
    scaled = diffs > 0
    results = []
    for h in horizons:
        errors: dict[str, list[np.ndarray]] = {m: [] for m in MODELS}
        scores: dict[str, list[np.ndarray]] = {m: [] for m in MODELS}
        for origin in range(first - h + 1, n - h + 1):
            target = origin + h - 1
            if target < first:
                continue
            model = PooledGLM.fit(states, ys, origin, h)
            mu = model.mean(states, origin)
            point = {DEFAULT_MODEL: PooledMedian.fit(levels, ys, origin, h).point(levels, origin)}
            means = {DEFAULT_MODEL: mu}
            for name, value in baseline_forecasts(ys, origin, h).items():
                point[name], means[name] = value, value
            actual = ys[:, target]
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
    return {
        "dyads": len(chosen),
        "origins": origins,
        "periods": [panel.periods[first], panel.periods[-1]],
        "results": results,
    }


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

    One pooled model per QuadClass and horizon, fitted on the dyads with at
    least ``min_events`` events (as in :func:`backtest`) and the dyad itself;
    intervals hold the central ``level`` of the predictive distribution; the
    Goldstein interval is simulated from the QuadClass counts times the
    dyad's mean Goldstein value per event of each class.
    """
    try:
        d = panel.dyads.index(dyad)
    except ValueError:
        raise InputError(f"no events of {dyad[0]} -> {dyad[1]} in the store") from None
    if horizon < 1 or horizon > 52:
        raise InputError("the horizon must be 1 to 52 periods")
    n = len(panel.periods)
    keep = _select(panel, min_events)
    keep = np.union1d(keep, [d])
    row = int(np.searchsorted(keep, d))
    tail = (1 - level) / 2
    rng = np.random.default_rng(0)
    per_event = _goldstein_per_event(panel, d)
    out = []
    step = panel.periods[-1] - panel.periods[-2]
    subset = _subset(panel, keep)
    states = [feature_states(panel.counts[keep, :, k], subset) for k in range(5)]
    for h in range(1, horizon + 1):
        point: dict[str, Any] = {"period": panel.periods[-1] + step * h, "horizon": h}
        draws = np.zeros(4000)
        for k, name in enumerate(("events", "q1", "q2", "q3", "q4")):
            model = PooledGLM.fit(states[k], panel.counts[keep, :, k], n, h)
            mu = model.mean(states[k], n)[row : row + 1]
            point[name] = float(mu[0])
            point[f"{name}_low"] = float(model.quantile(mu, tail)[0])
            point[f"{name}_high"] = float(model.quantile(mu, 1 - tail)[0])
            if k:
                draws += per_event[k - 1] * _draw(rng, float(mu[0]), model.alpha, len(draws))
        point["goldstein_sum"] = float(draws.mean())
        point["goldstein_low"] = float(np.quantile(draws, tail))
        point["goldstein_high"] = float(np.quantile(draws, 1 - tail))
        out.append(point)
    return out


def _draw(rng: np.random.Generator, mu: float, alpha: float, size: int) -> np.ndarray:
    if alpha <= 1e-6:
        return rng.poisson(mu, size)
    shape = 1 / alpha
    return rng.poisson(rng.gamma(shape, mu / shape, size))


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
    )
