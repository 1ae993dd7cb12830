"""Dyad forecasts: how many events of each QuadClass next week, with intervals, and backtests.

Why a pooled model: one dyad's weekly counts are short and sparse (most
weeks 0-3 events), too little to fit a model per dyad, but dyads behave
alike: next week resembles a blend of last week and the longer-run level,
a dyad's reverse direction and the overall activity of both actors move it
too.  So one Poisson GLM is fitted across all dyads on features of their
own history (last count, fast and slow exponentially weighted means, the
historical mean, the 4-period moving average), of the reverse dyad, and of
each actor's total activity (all as ``log1p``), directly for each horizon h
(the features are taken h periods before the target).  Its predictive
distribution is negative binomial with a dispersion estimated from the
training residuals (the intervals), and its mean is what the Poisson log
score uses.  The point forecast scored by the absolute error comes from a
pooled median regression on the same history at the count scale
(:class:`PooledMedian`: smoothed levels, rolling medians and quartiles),
which tracks what the absolute error rewards better than the GLM's median.

Every baseline (zero, naive, historical mean, 4-period moving average,
simple exponential smoothing with its smoothing constant chosen on the
history before each origin, Croston) and the model see exactly the history
before each forecast origin; :func:`backtest` scores them side by side.

Dyads are directed and named at the country level by default (an actor's
country, else its code; the unknown actor ``---`` is left out), as ICEWS
groups "Police (Australia)" under AUS.  Series start at the first full
period of the data and end at its last full one.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from tidings.analytics._filters import Table, make_filters
from tidings.analytics._query import Connect
from tidings.analytics._series import _LEVELS, _PRECISE, _UNITS, Level, Unit, _base, _check
from tidings.errors import InputError

#: Smoothing constants of the fast and slow exponentially weighted means.
FAST, SLOW = 0.5, 0.1
#: Croston's smoothing constant (the usual 0.1).
CROSTON_ALPHA = 0.1
#: Predicted means are floored here for the Poisson log score (a zero forecast would be -inf).
MEAN_FLOOR = 0.01
BASELINES = ("zero", "naive", "mean", "ma4", "ets", "croston")
DEFAULT_MODEL = "pooled-glm"


@dataclass
class Panel:
    """Counts per directed dyad and period: ``counts[dyad, period, k]`` (k: 0 all, 1-4 quad)."""

    dyads: list[tuple[str, str]]
    periods: list[_dt.date]
    counts: np.ndarray
    goldstein: np.ndarray  # [dyad, period] Goldstein sums
    actor_totals: np.ndarray  # [dyad, period, 2] all events of the source / of the target
    reverse: np.ndarray  # [dyad, period] events of the reverse dyad
    overall: np.ndarray  # [period] all events


def load_panel(
    connect: Connect,
    *,
    by: Unit = "week",
    level: Level = "country",
    table: Table = "events",
    **filters: Any,
) -> Panel:
    """Every directed dyad's counts per full period of the data (see the module docstring)."""
    _check("by", by, _UNITS)
    source, target = _LEVELS[_check("level", level, _LEVELS)]
    precise = _PRECISE[by]
    body, params = _base(
        make_filters(**filters),
        table,
        "e.date_start IS NOT NULL",
        "e.target_code IS NOT NULL",
        f"coalesce(e.date_precision, 'day') IN ({', '.join('?' * len(precise))})",
        extra_params=precise,
    )
    part = _UNITS[by][0]
    rows = (
        connect()
        .execute(
            f"SELECT CAST(date_trunc('{part}', e.date_start) AS DATE), {source}, {target}, "
            f"e.quad_class, count(*), coalesce(sum(e.goldstein), 0), min(e.date_start), "
            f"max(e.date_start){body} GROUP BY 1, 2, 3, 4",
            params,
        )
        .fetchall()
    )
    rows = [r for r in rows if r[1] and r[2] and r[1] != "---" and r[2] != "---"]
    if not rows:
        raise InputError("the store has no dated events with a source and a target")
    first = min(_day(r[6]) for r in rows)
    last = max(_day(r[7]) for r in rows)
    periods = _full_periods(first, last, by)
    if len(periods) < 3:
        raise InputError(f"the data span fewer than 3 full {by}s: too short to forecast")
    index = {p: i for i, p in enumerate(periods)}
    dyad_index: dict[tuple[str, str], int] = {}
    for r in rows:
        if r[0] in index:
            dyad_index.setdefault((r[1], r[2]), len(dyad_index))
    dyads = list(dyad_index)
    counts = np.zeros((len(dyads), len(periods), 5))
    gold = np.zeros((len(dyads), len(periods)))
    for period, s, t, quad, n, g, _, _ in rows:
        i = index.get(period)
        if i is None:
            continue
        d = dyad_index[(s, t)]
        counts[d, i, 0] += n
        if quad in (1, 2, 3, 4):
            counts[d, i, quad] += n
        gold[d, i] += g
    total = counts[:, :, 0]
    actors: dict[str, np.ndarray] = {}
    for d, (s, t) in enumerate(dyads):
        for name in {s, t}:
            actors.setdefault(name, np.zeros(len(periods)))
            actors[name] += total[d]
    reverse = np.zeros_like(total)
    for d, (s, t) in enumerate(dyads):
        r = dyad_index.get((t, s))
        if r is not None:
            reverse[d] = total[r]
    totals = np.stack(
        [np.array([actors[s] for s, _ in dyads]), np.array([actors[t] for _, t in dyads])],
        axis=2,
    )
    return Panel(dyads, periods, counts, gold, totals, reverse, total.sum(axis=0))


def _day(value: Any) -> _dt.date:
    return value.date() if isinstance(value, _dt.datetime) else value


def _full_periods(first: _dt.date, last: _dt.date, by: Unit) -> list[_dt.date]:
    """The periods that lie wholly inside [first, last]."""
    from tidings.analytics._aftermath import _next

    out = []
    day = first if by == "day" else _next(_period_start(first, by), by)
    if by != "day" and _period_start(first, by) == first:
        day = first
    while _next(day, by) - _dt.timedelta(days=1) <= last:
        out.append(day)
        day = _next(day, by)
    return out


def _period_start(day: _dt.date, by: Unit) -> _dt.date:
    from tidings.analytics._series import period_start

    return period_start(day, by)


# ------------------------------------------------------------------ features


def _ewm(y: np.ndarray, alpha: float) -> np.ndarray:
    """Exponentially weighted mean after each period (state includes that period), along axis 1.

    Started at the mean of the first four periods so that early states are not all zero.
    """
    out = np.empty_like(y, dtype=float)
    level = y[:, :4].mean(axis=1)
    for i in range(y.shape[1]):
        level = alpha * y[:, i] + (1 - alpha) * level
        out[:, i] = level
    return out


def _running_mean(y: np.ndarray) -> np.ndarray:
    return np.cumsum(y, axis=1) / np.arange(1, y.shape[1] + 1)


def _moving(y: np.ndarray, k: int) -> np.ndarray:
    csum = np.concatenate([np.zeros((y.shape[0], 1)), np.cumsum(y, axis=1)], axis=1)
    idx = np.arange(1, y.shape[1] + 1)
    lo = np.maximum(idx - k, 0)
    return (csum[:, idx] - csum[:, lo]) / (idx - lo)


def feature_states(y: np.ndarray, panel: Panel) -> np.ndarray:
    """Features known after each period: [dyad, period, feature] (log1p of the state)."""
    src, tgt = panel.actor_totals[:, :, 0], panel.actor_totals[:, :, 1]
    overall = np.broadcast_to(panel.overall, y.shape)
    columns = [
        y,
        _ewm(y, FAST),
        _ewm(y, SLOW),
        _running_mean(y),
        _moving(y, 4),
        _ewm(panel.reverse, FAST),
        _running_mean(panel.reverse),
        _ewm(src, FAST),
        _ewm(tgt, FAST),
        _ewm(overall, FAST) / np.maximum(_running_mean(overall), 1e-9),
    ]
    return np.log1p(np.stack(columns, axis=2))


def _rolling_quantile(y: np.ndarray, k: int, q: float = 50) -> np.ndarray:
    """The ``q``-th percentile of the last ``k`` periods (fewer at the start), after each."""
    out = np.empty_like(y, dtype=float)
    for i in range(y.shape[1]):
        out[:, i] = np.percentile(y[:, max(0, i - k + 1) : i + 1], q, axis=1)
    return out


def level_states(y: np.ndarray, panel: Panel) -> np.ndarray:
    """Features of the median model, on the count scale: [dyad, period, feature].

    Smoothed levels (last count, exponentially weighted means, historical and
    4-period means, Croston's estimate), rolling medians and quartiles (what
    an absolute-error forecast should track), the reverse dyad, and the
    dyad's mean rescaled by each actor's current activity.
    """
    src, tgt = panel.actor_totals[:, :, 0], panel.actor_totals[:, :, 1]
    mean = _running_mean(y)
    croston = _croston_path(np.concatenate([y, np.zeros((len(y), 1))], axis=1))[:, 1:]
    columns = [
        y,
        _ewm(y, FAST),
        _ewm(y, 0.2),
        _ewm(y, SLOW),
        mean,
        _moving(y, 4),
        _ewm(panel.reverse, FAST),
        croston,
        _rolling_quantile(y, 4),
        _rolling_quantile(y, 8),
        _rolling_quantile(y, 12),
        _rolling_quantile(y, 26),
        _rolling_quantile(y, 8, 25),
        _rolling_quantile(y, 8, 75),
        _ewm(src, FAST) * mean / np.maximum(_running_mean(src), 1e-9),
        _ewm(tgt, FAST) * mean / np.maximum(_running_mean(tgt), 1e-9),
    ]
    return np.stack(columns, axis=2)


@dataclass
class PooledMedian:
    """Median (least absolute deviation) regression across dyads: the point forecast.

    The GLM's predictive median is a poor point forecast for the absolute
    error when the mean is off; a regression fitted on the absolute error
    itself over :func:`level_states` does better.  Fitted per horizon like
    :class:`PooledGLM`, with statsmodels' ``QuantReg``.
    """

    params: np.ndarray

    @classmethod
    def fit(cls, states: np.ndarray, y: np.ndarray, origin: int, h: int, warmup: int = 4):
        import warnings

        from statsmodels.regression.quantile_regression import QuantReg

        targets = range(warmup + h, origin)
        if len(targets) < 2:
            raise InputError("too little history before the forecast origin to fit the model")
        x, target = _rows(states, y, targets, h)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = QuantReg(target, x).fit(q=0.5, max_iter=1000, p_tol=1e-4)
        return cls(np.asarray(result.params))

    def point(self, states: np.ndarray, origin: int) -> np.ndarray:
        """Forecast counts (rounded, non-negative) of period ``origin + h - 1``."""
        x = np.column_stack([np.ones(states.shape[0]), states[:, origin - 1, :]])
        return np.maximum(np.round(x @ self.params), 0.0)


def _rows(states: np.ndarray, y: np.ndarray, targets: range, h: int):
    x = states[:, [j - h for j in targets], :].reshape(-1, states.shape[2])
    out = y[:, list(targets)].reshape(-1)
    return np.column_stack([np.ones(len(x)), x]), out


def poisson_irls(x: np.ndarray, y: np.ndarray, *, ridge: float = 1e-6, iters: int = 50):
    """Coefficients of a Poisson GLM (log link) by Newton's method (IRLS).

    The same fit as statsmodels' GLM(Poisson), written out because it is a
    dozen lines and importing statsmodels costs seconds per command; a tiny
    ridge keeps the Newton step defined when features are collinear.
    """
    beta = np.zeros(x.shape[1])
    beta[0] = math.log(max(float(y.mean()), 1e-9))
    penalty = ridge * np.eye(x.shape[1])
    penalty[0, 0] = 0.0
    for _ in range(iters):
        mu = np.exp(np.clip(x @ beta, -20, 20))
        gradient = x.T @ (y - mu) - penalty @ beta
        hessian = (x * mu[:, None]).T @ x + penalty
        step = np.linalg.solve(hessian, gradient)
        beta += step
        if np.abs(step).max() < 1e-8:
            break
    return beta


@dataclass
class PooledGLM:
    """A Poisson GLM across dyads for horizon ``h`` with an NB dispersion for its intervals."""

    params: np.ndarray
    alpha: float
    h: int

    @classmethod
    def fit(cls, states: np.ndarray, y: np.ndarray, origin: int, h: int, warmup: int = 4):
        """Fit on every target period t with t - h >= warmup and t < ``origin``."""
        targets = range(warmup + h, origin)
        if len(targets) < 2:
            raise InputError("too little history before the forecast origin to fit the model")
        x, target = _rows(states, y, targets, h)
        params = poisson_irls(x, target)
        mu = np.exp(np.clip(x @ params, -20, 20))
        alpha = max(float(((target - mu) ** 2 - target).sum() / max((mu**2).sum(), 1e-9)), 0.0)
        return cls(params, alpha, h)

    def mean(self, states: np.ndarray, origin: int) -> np.ndarray:
        """Expected count at period ``origin + h - 1`` of every dyad (state at ``origin - 1``)."""
        x = np.column_stack([np.ones(states.shape[0]), states[:, origin - 1, :]])
        return np.exp(np.clip(x @ self.params, -20, 20))

    def quantile(self, mu: np.ndarray, q: float) -> np.ndarray:
        """Quantile ``q`` of the predictive distribution (NB, or Poisson without overdispersion)."""
        from scipy import stats

        if self.alpha <= 1e-6:
            return stats.poisson.ppf(q, mu)
        size = 1 / self.alpha
        return stats.nbinom.ppf(q, size, size / (size + mu))


# ----------------------------------------------------------------- baselines


def _ses_path(y: np.ndarray, alphas: np.ndarray) -> np.ndarray:
    """One-step SES forecasts for every alpha: [alpha, dyad, period] (forecast of that period)."""
    a = alphas[:, None]
    out = np.empty((len(alphas), *y.shape))
    level = np.broadcast_to(y[:, 0], (len(alphas), y.shape[0])).astype(float)
    for i in range(y.shape[1]):
        out[:, :, i] = level
        level = a * y[:, i] + (1 - a) * level
    return out, level


def _croston_path(y: np.ndarray, alpha: float = CROSTON_ALPHA) -> np.ndarray:
    """Croston's forecast of each period from the periods before it: [dyad, period]."""
    n_dyads, n = y.shape
    out = np.zeros((n_dyads, n))
    size = np.zeros(n_dyads)
    interval = np.ones(n_dyads)
    seen = np.zeros(n_dyads, dtype=bool)
    gap = np.ones(n_dyads)
    for i in range(n):
        out[:, i] = np.where(seen, size / interval, 0.0)
        demand = y[:, i] > 0
        first = demand & ~seen
        later = demand & seen
        size = np.where(first, y[:, i], np.where(later, size + alpha * (y[:, i] - size), size))
        interval = np.where(
            first, gap, np.where(later, interval + alpha * (gap - interval), interval)
        )
        seen |= demand
        gap = np.where(demand, 1.0, gap + 1.0)
    return out


def baseline_forecasts(y: np.ndarray, origin: int, h: int) -> dict[str, np.ndarray]:
    """Each baseline's forecast of period ``origin + h - 1`` from the periods before ``origin``."""
    past = y[:, :origin]
    alphas = np.linspace(0.05, 0.95, 19)
    paths, levels = _ses_path(past, alphas)
    sse = ((paths[:, :, 1:] - past[None, :, 1:]) ** 2).sum(axis=2)
    best = sse.argmin(axis=0)
    ets = levels[best, np.arange(len(best))]
    croston = _croston_path(np.concatenate([past, np.zeros((len(y), 1))], axis=1))[:, -1]
    return {
        "zero": np.zeros(len(y)),
        "naive": past[:, -1].astype(float),
        "mean": past.mean(axis=1),
        "ma4": past[:, -4:].mean(axis=1),
        "ets": ets,
        "croston": croston,
    }


def poisson_log_score(y: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """Negative Poisson log-likelihood of each count (lower is better), means floored."""
    from scipy.special import gammaln

    mu = np.maximum(mu, MEAN_FLOOR)
    return mu - y * np.log(mu) + gammaln(y + 1)


def _select(panel: Panel, min_events: int) -> np.ndarray:
    return np.flatnonzero(panel.counts[:, :, 0].sum(axis=1) >= min_events)


__all__ = [
    "BASELINES",
    "DEFAULT_MODEL",
    "Panel",
    "PooledGLM",
    "baseline_forecasts",
    "feature_states",
    "load_panel",
    "poisson_log_score",
]
