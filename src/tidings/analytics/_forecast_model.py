"""The default dyad forecast model: one definition behind ``tidings forecast`` and ``backtest``.

Why one class: the forecast a user reads and the forecast the backtest
scores must be the same thing, or the backtest measures a model nobody is
shown.  :class:`DefaultModel` is fitted on the history before an origin and
returns a :class:`Prediction` holding everything either surface needs: the
point forecast (what the absolute error scores and ``forecast`` prints),
the predictive mean (what the Poisson log score scores) and the predictive
distribution around it (negative binomial; its quantiles are the intervals).

Why pooled: one dyad's weekly counts are short and sparse (most weeks 0-3
events), too little to fit a model per dyad, but dyads behave alike: next
week resembles a blend of last week and the longer-run level, and a dyad's
reverse direction and the overall activity of both actors move it too.  So
Poisson GLMs are fitted across all dyads on features of their own history
(last count, fast and slow exponentially weighted means, the historical
mean, the 4-period moving average, how busy the last days of the period
were in all and in each QuadClass, :attr:`~._forecast.Panel.recent`, on how
many of the last 7 and 28 days there were events and the daily rate over
months, :attr:`~._forecast.Panel.activity`), of the reverse dyad and of each
actor's total activity (all as ``log1p``), and the squared distance of the
last count and of the last days from the slow level (a surprise: a one-day
spike of a quiet dyad is mostly over next week, a linear log-model carried
too much of it forward), directly for each horizon h (features taken h
periods before the target), one GLM for quiet dyads and one for busy ones
(:class:`PooledGLM`, ridge-penalised).  Their mean is the predictive mean;
the NB dispersion is estimated from their training residuals.  The point
forecast is a pooled median regression on the same history at the count
scale (:class:`PooledMedian`: smoothed levels, rolling medians and
quartiles, and the GLM's mean), which tracks what the absolute error
rewards better than the GLM's median.  The GLM learns from the dyads
forecast; the median regression also from quieter ones
(:func:`training_dyads`): it gains from their rows, the GLM does not.

The recent-days feature, the two volume classes, the GLM's mean in the
median regression, the QuadClass and active-day features, the ridge
penalty, the squared surprises and the median regression's wider dyads
were chosen on the earlier block of the ICEWS 2014 backtest
(``benchmarks/forecast_backtest.py``), never on the reported one.  The
last two (h=1, earlier block: log score 2.635 -> 2.620, MAE 2.362 ->
2.344) also held on the two blocks before it (12 origins ending 18 and
24 weeks before the data's end: log score 2.798 -> 2.766 and 3.013 ->
3.001, MAE 2.568 -> 2.527 and 2.797 -> 2.766).
"""

from __future__ import annotations

import contextlib
import math
from contextlib import AbstractContextManager
from dataclasses import dataclass

import numpy as np

from tidings.analytics._forecast import Panel, _croston_path, _select
from tidings.errors import InputError

#: Smoothing constants of the fast and slow exponentially weighted means.
FAST, SLOW = 0.5, 0.1
#: Periods at the start of the data whose states are too short to learn from.
WARMUP = 4

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


def feature_states(y: np.ndarray, panel: Panel, k: int = 0) -> np.ndarray:
    """Features known after each period: [dyad, period, feature] (log1p of the state).

    ``y`` is the series forecast (``panel.counts[:, :, k]``).  Column 3 is the
    dyad's historical mean (what :class:`PooledGLM` splits on).  Besides the
    series' own smoothed levels, the reverse dyad, the actors' totals and the
    overall activity: how busy the last days were in each QuadClass (the mix
    matters: a conflict goes on, a visit is over), on how many of the last 7
    and 28 days the series had events and its rate over months
    (:attr:`~._forecast.Panel.activity`).  The last two columns are the
    squares of the last count's and the last days' distance from the slow
    level (on the log1p scale): the GLM is linear in its columns, and the
    squares let a large surprise carry less than proportionally.
    """
    assert panel.recent is not None and panel.activity is not None  # set by Panel
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
        panel.recent[:, :, k],
        *(panel.recent[:, :, quad] for quad in (1, 2, 3, 4)),
        *(panel.activity[:, :, k, j] for j in range(panel.activity.shape[3])),
    ]
    states = np.log1p(np.stack(columns, axis=2))
    # squared surprises: the last count's and the last days' distance from the slow level
    surprise = states[:, :, [0, 10]] - states[:, :, [2]]
    return np.concatenate([states, surprise**2], axis=2)


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
    def fit(
        cls,
        states: np.ndarray,
        y: np.ndarray,
        origin: int,
        h: int,
        extra: np.ndarray | None = None,
        warmup: int = WARMUP,
    ):
        """Fit on the rows of :func:`_training`; ``extra`` is one more column of them."""
        import warnings

        from statsmodels.regression.quantile_regression import QuantReg

        x, target = _training(states, y, origin, h, warmup)
        if extra is not None:
            x = np.column_stack([x, extra])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = QuantReg(target, x).fit(q=0.5, max_iter=1000, p_tol=1e-4)
        return cls(np.asarray(result.params))

    def point(self, states: np.ndarray, origin: int, extra: np.ndarray | None = None) -> np.ndarray:
        """Forecast counts (rounded, non-negative) of period ``origin + h - 1``."""
        x = _design(states, origin)
        if extra is not None:
            x = np.column_stack([x, extra])
        return np.maximum(np.round(x @ self.params), 0.0)


def _training(states: np.ndarray, y: np.ndarray, origin: int, h: int, warmup: int):
    """Design and targets of every target period t with t - h >= warmup and t < ``origin``."""
    targets = range(warmup + h, origin)
    if len(targets) < 2:
        raise InputError("too little history before the forecast origin to fit the model")
    x = states[:, [j - h for j in targets], :].reshape(-1, states.shape[2])
    out = y[:, list(targets)].reshape(-1)
    return np.column_stack([np.ones(len(x)), x]), out


def _design(states: np.ndarray, origin: int) -> np.ndarray:
    """The design row of every dyad for a forecast from ``origin`` (state at ``origin - 1``)."""
    return np.column_stack([np.ones(states.shape[0]), states[:, origin - 1, :]])


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
    """Poisson GLMs across dyads for horizon ``h``, one per volume class, and an NB dispersion.

    Why classes: quiet dyads (a historical mean under :data:`SPLIT` events
    per period) and busy ones weigh their recent and long-run history
    differently; one GLM for each fits both better than one for all
    (chosen on the earlier backtest block, see ``benchmarks/forecast_backtest.py``).
    A class with too few rows to fit on its own falls back to one GLM for all.
    """

    params: list[np.ndarray]  # one per class: below SPLIT, at or above it
    alpha: float
    h: int

    @classmethod
    def fit(cls, states: np.ndarray, y: np.ndarray, origin: int, h: int, warmup: int = WARMUP):
        """Fit on every target period t with t - h >= warmup and t < ``origin``."""
        x, target = _training(states, y, origin, h, warmup)
        busy = _busy(x[:, 1:])
        if min(busy.sum(), (~busy).sum()) < MIN_CLASS_ROWS:
            params = [poisson_irls(x, target, ridge=RIDGE)] * 2
        else:
            params = [poisson_irls(x[rows], target[rows], ridge=RIDGE) for rows in (~busy, busy)]
        model = cls(params, 0.0, h)
        mu = model.rows(x)
        model.alpha = max(
            float(((target - mu) ** 2 - target).sum() / max((mu**2).sum(), 1e-9)), 0.0
        )
        return model

    def rows(self, x: np.ndarray) -> np.ndarray:
        """Expected counts of design rows ``x`` (intercept first), each by its class's GLM."""
        busy = _busy(x[:, 1:])
        eta = np.where(busy, x @ self.params[1], x @ self.params[0])
        return np.exp(np.clip(eta, -20, 20))

    def mean(self, states: np.ndarray, origin: int) -> np.ndarray:
        """Expected count at period ``origin + h - 1`` of every dyad (state at ``origin - 1``)."""
        return self.rows(_design(states, origin))


#: Dyads whose historical mean is at least this many events per period are "busy".
SPLIT = 3.0
#: Fewer training rows than this in a volume class: one GLM for all.
MIN_CLASS_ROWS = 200
#: Ridge penalty of the GLMs' coefficients (not the intercept): with ~20 correlated
#: features and a few thousand rows, unpenalised fits chase noise (chosen on the earlier block).
RIDGE = 30.0


def _busy(states: np.ndarray) -> np.ndarray:
    return states[:, 3] >= math.log1p(SPLIT)


# ------------------------------------------------------------- the default


def _one_blas_thread() -> AbstractContextManager:
    """A context in which numpy's BLAS uses one thread (a no-op without threadpoolctl).

    Why: the fits multiply matrices of a few thousand rows by ~20 columns,
    too small to gain from BLAS threads, and the threads' hand-offs cost more
    than the products; on a shared 2-core machine the ICEWS backtest ran 4.5x
    slower with them (``benchmarks/forecast_backtest.py``: 38.3 s against 8.5 s).
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # a declared dependency, but threads are only a matter of speed
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


#: The median regression also learns from dyads with a WIDER-th of the events asked of the
#: dyads forecast (26 for the usual 52): chosen on the earlier block, see the module docstring.
WIDER = 2


def training_dyads(
    panel: Panel, chosen: np.ndarray, min_events: int
) -> tuple[np.ndarray, np.ndarray]:
    """The dyads the default model learns from when it forecasts ``chosen`` (panel rows).

    Returns the rows of ``panel`` whose features the model needs (``chosen``
    and every dyad with at least ``min_events // WIDER`` events, sorted) and,
    over those, which are ``chosen`` (the GLM's ``glm_dyads``).  Why two
    sets: the median regression gains from the quieter dyads' rows, the GLM
    loses from them (its mean is fitted on the dyads it forecasts).
    """
    wider = np.union1d(_select(panel, max(min_events // WIDER, 1)), chosen)
    return wider, np.isin(wider, chosen)


@dataclass
class Features:
    """What the default model knows after each period: [dyad, period, feature] arrays."""

    states: np.ndarray  # the GLM's (log1p scale), :func:`feature_states`
    levels: np.ndarray  # the median regression's (count scale), :func:`level_states`

    @classmethod
    def of(cls, panel: Panel, k: int = 0) -> Features:
        """Features of ``panel``'s counts ``k`` (0 all events, 1-4 a QuadClass)."""
        y = panel.counts[:, :, k]
        return cls(feature_states(y, panel, k), level_states(y, panel))


@dataclass
class Prediction:
    """The default model's forecast of one period for every dyad.

    ``point`` is what the absolute error scores and ``forecast`` prints;
    ``mean`` is what the Poisson log score scores; the predictive
    distribution is negative binomial with that mean and dispersion
    ``alpha`` (Poisson when ``alpha`` is 0) and gives the intervals.
    """

    point: np.ndarray
    mean: np.ndarray
    alpha: float

    def rows(self, which: np.ndarray) -> Prediction:
        """The forecasts of the dyads ``which`` (an index or a mask) only."""
        return Prediction(self.point[which], self.mean[which], self.alpha)

    def quantile(self, q: float) -> np.ndarray:
        """Quantile ``q`` of each dyad's predictive distribution."""
        from scipy import stats

        if self.alpha <= 1e-6:
            return stats.poisson.ppf(q, self.mean)
        size = 1 / self.alpha
        return stats.nbinom.ppf(q, size, size / (size + self.mean))

    def draws(self, rng: np.random.Generator, row: int, size: int) -> np.ndarray:
        """``size`` draws from dyad ``row``'s predictive distribution."""
        mu = float(self.mean[row])
        if self.alpha <= 1e-6:
            return rng.poisson(mu, size)
        shape = 1 / self.alpha
        return rng.poisson(rng.gamma(shape, mu / shape, size))


@dataclass
class DefaultModel:
    """The default model for horizon ``h``: see the module docstring."""

    glm: PooledGLM
    median: PooledMedian

    @classmethod
    def fit(
        cls,
        features: Features,
        y: np.ndarray,
        origin: int,
        h: int,
        glm_dyads: np.ndarray | None = None,
    ) -> DefaultModel:
        """Fit on the periods before ``origin`` (targets t < origin, features at t - h).

        The median regression learns from every dyad of ``features``, the GLM
        only from the rows ``glm_dyads`` (all when None): see
        :func:`training_dyads`.  The GLM's expected count is one more column
        of the median regression (the GLM's means of the median's training rows).
        """
        with _one_blas_thread():
            own = slice(None) if glm_dyads is None else glm_dyads
            glm = PooledGLM.fit(features.states[own], y[own], origin, h)
            fitted = glm.rows(_training(features.states, y, origin, h, WARMUP)[0])
            return cls(glm, PooledMedian.fit(features.levels, y, origin, h, fitted))

    def predict(self, features: Features, origin: int) -> Prediction:
        """The forecast of period ``origin + h - 1`` from the features at ``origin - 1``."""
        mean = self.glm.mean(features.states, origin)
        return Prediction(self.median.point(features.levels, origin, mean), mean, self.glm.alpha)


__all__ = [
    "DefaultModel",
    "Features",
    "PooledGLM",
    "PooledMedian",
    "Prediction",
    "feature_states",
    "level_states",
    "poisson_irls",
    "training_dyads",
]
