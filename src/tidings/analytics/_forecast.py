"""Dyad forecasts: the panel of weekly counts per dyad, the baselines and the scores.

The default model lives in :mod:`tidings.analytics._forecast_model` (one
definition for ``forecast`` and ``backtest``); this module holds what every
model shares: the panel of counts per directed dyad and period, the
baselines it must beat, and the Poisson log score.

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
from dataclasses import dataclass
from typing import Any

import numpy as np

from tidings.analytics._filters import Table, make_filters
from tidings.analytics._query import Connect
from tidings.analytics._series import _LEVELS, _PRECISE, _UNITS, Level, Unit, _base, _check
from tidings.errors import InputError

#: Croston's smoothing constant (the usual 0.1).
CROSTON_ALPHA = 0.1
#: Daily smoothing constant of :attr:`Panel.recent` (a recent day weighs 0.3, a week ago 0.04).
RECENT_ALPHA = 0.3
#: Daily smoothing constant of the slow rate in :attr:`Panel.activity` (a half-life of 91 days).
SLOW_DAILY_ALPHA = 1 - 0.5 ** (1 / 91)
#: Windows (days up to a period's end) of the active-day counts in :attr:`Panel.activity`.
ACTIVE_WINDOWS = (7, 28)
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
    #: [dyad, period, k]: the dyad's daily rate at the end of each period, exponentially
    #: weighted over days (:data:`RECENT_ALPHA`), times the period's days: how busy the last
    #: days were, on the scale of a period's count (the count itself when days are unknown).
    recent: np.ndarray | None = None
    #: [dyad, period, k, 3]: what the day-level record says at the end of each period: the
    #: days with events among the last 7 and among the last 28 (:data:`ACTIVE_WINDOWS`; a
    #: burst on one day is not a busy week), and the dyad's daily rate weighted over
    #: months (:data:`SLOW_DAILY_ALPHA`) times the period's days.  Zeros when days are unknown.
    activity: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.recent is None:
            self.recent = self.counts
        if self.activity is None:
            self.activity = np.zeros((*self.counts.shape, len(ACTIVE_WINDOWS) + 1))


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
            f"e.quad_class, count(*), coalesce(sum(e.goldstein), 0), "
            f"CAST(e.date_start AS DATE) AS day{body} GROUP BY 1, 2, 3, 4, 7",
            params,
        )
        .fetchall()
    )
    rows = [r for r in rows if r[1] and r[2] and r[1] != "---" and r[2] != "---"]
    if not rows:
        raise InputError("the store has no dated events with a source and a target")
    first = min(r[6] for r in rows)
    last = max(r[6] for r in rows)
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
    ends = [_next(p, by) - _dt.timedelta(days=1) for p in periods]
    # each day's events, decayed to the end of its period: fast (recent) and slow
    fresh = np.zeros((*counts.shape, 2))
    active: set[tuple[int, int, int]] = set()  # (dyad, day ordinal, k) with events
    for period, s, t, quad, n, g, day in rows:
        i = index.get(period)
        if i is None:
            continue
        d = dyad_index[(s, t)]
        age = (ends[i] - day).days
        weight = np.array([a * (1 - a) ** age for a in (RECENT_ALPHA, SLOW_DAILY_ALPHA)])
        for k in (0, quad) if quad in (1, 2, 3, 4) else (0,):
            counts[d, i, k] += n
            fresh[d, i, k] += n * weight
            active.add((d, day.toordinal(), k))
        gold[d, i] += g
    activity = np.concatenate(
        [
            _active_days(active, counts.shape, ends),
            _decayed(fresh[..., 1], periods, by, SLOW_DAILY_ALPHA)[..., None],
        ],
        axis=3,
    )
    recent = _decayed(fresh[..., 0], periods, by, RECENT_ALPHA)
    return make_panel(dyads, periods, counts, gold, recent, activity)


def _decayed(fresh: np.ndarray, periods: list[_dt.date], by: Unit, alpha: float) -> np.ndarray:
    """A daily EWM at each period's end from each period's decayed events, times its days
    (:attr:`Panel.recent` with :data:`RECENT_ALPHA`; started at 0 before the data)."""
    out = np.zeros_like(fresh)
    level = np.zeros_like(fresh[:, 0])
    for i, start in enumerate(periods):
        days = (_next(start, by) - start).days
        level = level * (1 - alpha) ** days + fresh[:, i]
        out[:, i] = level * days
    return out


def _active_days(
    active: set[tuple[int, int, int]], shape: tuple[int, ...], ends: list[_dt.date]
) -> np.ndarray:
    """[dyad, period, k, window]: days with events among the window's days up to each end.

    A day counts for the periods whose end lies in [day, day + window): marked by +1 at the
    first such period and -1 after the last, then summed along the periods.
    """
    marks = np.zeros((shape[0], shape[1] + 1, shape[2], len(ACTIVE_WINDOWS)))
    if active:
        d, day, k = np.array(sorted(active)).T
        last = np.array([e.toordinal() for e in ends])
        for w, window in enumerate(ACTIVE_WINDOWS):
            np.add.at(marks, (d, np.searchsorted(last, day), k, w), 1)
            np.add.at(marks, (d, np.searchsorted(last, day + window), k, w), -1)
    return np.cumsum(marks, axis=1)[:, :-1]


def make_panel(
    dyads: list[tuple[str, str]],
    periods: list[_dt.date],
    counts: np.ndarray,
    gold: np.ndarray,
    recent: np.ndarray | None = None,
    activity: np.ndarray | None = None,
) -> Panel:
    """The panel of these counts [dyad, period, k] with the reverse dyads' and actors' totals."""
    dyad_index = {pair: d for d, pair in enumerate(dyads)}
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
    overall = total.sum(axis=0)
    return Panel(dyads, periods, counts, gold, totals, reverse, overall, recent, activity)


def _next(day: _dt.date, by: Unit) -> _dt.date:
    from tidings.analytics._aftermath import _next as following

    return following(day, by)


def _full_periods(first: _dt.date, last: _dt.date, by: Unit) -> list[_dt.date]:
    """The periods that lie wholly inside [first, last]."""
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
    "baseline_forecasts",
    "load_panel",
    "poisson_log_score",
]
