"""The statistics of an event study, on plain count arrays (no SQL, no store).

Why two tests: the segmented regression (a Poisson GLM with a trend and a
level shift at the trigger, negative-binomial when the counts are
overdispersed) says whether the shift is larger than the period-to-period
noise *if the model is right*; event counts are bursty and autocorrelated,
so its p-values are optimistic.  The placebo test makes no such assumption:
it repeats the same before/after comparison at every other trigger date the
history allows (without the event) and asks how often a change at least as
large turns up by chance, an empirical p-value.

Everything here works on a 1-D array of counts per period and the index of
the trigger period (the first "after" period).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: Pearson dispersion above which the negative binomial replaces the Poisson model.
OVERDISPERSED = 1.5
#: A category needs this many events in its windows for a regression.
MIN_EVENTS = 5


@dataclass(frozen=True)
class Shift:
    """The fitted level shift at the trigger: rate ratio, its p-value and the model used."""

    rate_ratio: float | None
    p_value: float | None
    model: str  # "poisson", "negbin" or "none"


def log_change(before: np.ndarray, after: np.ndarray) -> float:
    """The change statistic of the placebo test: log of the after/before mean rate.

    ``0.5`` is added to each sum so that empty windows give finite values.
    """
    return math.log((after.sum() + 0.5) / max(len(after), 1)) - math.log(
        (before.sum() + 0.5) / max(len(before), 1)
    )


def _design(n_before: int, n_after: int, *, post: bool = True) -> np.ndarray:
    n = n_before + n_after
    t = (np.arange(n) - n_before) / max(n, 1)
    columns = [np.ones(n), t]
    if post:
        columns.append((np.arange(n) >= n_before).astype(float))
    return np.column_stack(columns)


def _nb_alpha(y: np.ndarray, mu: np.ndarray) -> float:
    """Method-of-moments NB2 dispersion: Var = mu + alpha mu^2."""
    return max(float(((y - mu) ** 2 - y).sum() / max((mu**2).sum(), 1e-9)), 1e-3)


@dataclass
class GLMFit:
    """A fitted log-link count GLM: coefficients, their standard errors and p-values, means."""

    params: np.ndarray
    bse: np.ndarray
    mu: np.ndarray
    pearson_chi2: float

    @property
    def pvalues(self) -> np.ndarray:
        """Two-sided Wald p-values (normal reference, scale fixed at 1, as for Poisson/NB)."""
        z = np.abs(self.params / self.bse)
        return np.array([math.erfc(v / math.sqrt(2)) for v in z])


def glm_fit(y: np.ndarray, x: np.ndarray, alpha: float = 0.0, *, iters: int = 100) -> GLMFit:
    """Poisson (``alpha = 0``) or NB2 GLM with a log link and known ``alpha``, by IRLS.

    The same maximum-likelihood fit and Wald statistics as statsmodels'
    ``GLM(family=Poisson() | NegativeBinomial(alpha))`` (the tests compare
    them), written out in numpy because importing statsmodels takes longer
    than the whole event study's budget (about 2.7 s of a 2 s target on a
    cold start; see ``benchmarks/aftermath_speed.py``).
    """
    y = np.asarray(y, dtype=float)
    beta = np.zeros(x.shape[1])
    beta[0] = math.log(max(float(y.mean()), 1e-9))
    eta = x @ beta
    for _ in range(iters):
        mu = np.exp(np.clip(eta, -30, 30))
        weight = mu / (1.0 + alpha * mu)  # Fisher weights of the log link
        z = eta + (y - mu) / mu  # working response
        xw = x * weight[:, None]
        new = np.linalg.solve(xw.T @ x, xw.T @ z)
        if not np.all(np.isfinite(new)):
            raise FloatingPointError("the count regression did not converge")
        done = np.max(np.abs(new - beta)) < 1e-10 * (1 + np.max(np.abs(beta)))
        beta = new
        eta = x @ beta
        if done:
            break
    mu = np.exp(np.clip(eta, -30, 30))
    weight = mu / (1.0 + alpha * mu)
    cov = np.linalg.inv((x * weight[:, None]).T @ x)
    variance = mu + alpha * mu**2
    chi2 = float(((y - mu) ** 2 / variance).sum())
    return GLMFit(beta, np.sqrt(np.diag(cov)), mu, chi2)


def _fit(y: np.ndarray, x: np.ndarray) -> tuple[GLMFit, str, float]:
    """A Poisson GLM, refitted as negative binomial when overdispersed; (result, name, alpha)."""
    with np.errstate(all="ignore"):
        result = glm_fit(y, x)
        dof = max(len(y) - x.shape[1], 1)
        if result.pearson_chi2 / dof <= OVERDISPERSED:
            return result, "poisson", 0.0
        alpha = _nb_alpha(y, result.mu)
        return glm_fit(y, x, alpha), "negbin", alpha


def count_ppf(q: float, mu: np.ndarray, alpha: float = 0.0) -> np.ndarray:
    """Quantile ``q`` of Poisson(``mu``) or NB2(``mu``, ``alpha``), elementwise.

    The smallest k with P(Y <= k) >= q, from the pmf summed in log space
    (what ``scipy.stats.poisson/nbinom.ppf`` return; scipy.stats alone takes
    about 1.9 s to import).
    """
    mu = np.maximum(np.asarray(mu, dtype=float), 1e-12)
    out = np.empty(mu.shape)
    for i, m in enumerate(mu.tolist()):
        sd = math.sqrt(m + alpha * m * m)
        k = np.arange(0, int(m + 15 * sd + 30) + 1, dtype=float)
        if alpha > 0:
            size = 1.0 / alpha
            log_pmf = (
                np.array([math.lgamma(v + size) for v in k])
                - math.lgamma(size)
                - np.array([math.lgamma(v + 1) for v in k])
                + size * math.log(size / (size + m))
                + k * math.log(m / (size + m))
            )
        else:
            log_pmf = k * math.log(m) - m - np.array([math.lgamma(v + 1) for v in k])
        cdf = np.cumsum(np.exp(log_pmf))
        out[i] = float(np.searchsorted(cdf, q * (1 - 1e-12)))
    return out


def segmented_shift(y: np.ndarray, n_before: int) -> Shift:
    """The level shift at ``n_before`` of a Poisson/NB regression ``log mu = a + b t + c post``."""
    y = np.asarray(y, dtype=float)
    n_after = len(y) - n_before
    if y.sum() < MIN_EVENTS or n_before < 2 or n_after < 1:
        return Shift(None, None, "none")
    if y[:n_before].sum() == 0 or y[n_before:].sum() == 0:
        return Shift(None, None, "none")  # the shift is unbounded: only the placebo test applies
    try:
        result, name, _ = _fit(y, _design(n_before, n_after))
        coef, p = float(result.params[2]), float(result.pvalues[2])
    except (ValueError, np.linalg.LinAlgError, FloatingPointError):
        return Shift(None, None, "none")
    if not (math.isfinite(coef) and math.isfinite(p)):
        return Shift(None, None, "none")
    return Shift(math.exp(coef), p, name)


def counterfactual(
    y: np.ndarray, n_before: int, n_after: int, *, level: float = 0.9
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Expected counts after the trigger had the before window's trend gone on, with a band.

    Fits ``log mu = a + b t`` on the before window only and extrapolates it
    (the trend is dropped when the window is short or the slope would more
    than double the rate over the after window); the band holds the central
    ``level`` of the Poisson or NB predictive distribution.
    """
    before = np.asarray(y[:n_before], dtype=float)
    if n_after < 1:
        empty = np.zeros(0)
        return empty, empty, empty
    x_all = _design(n_before, n_after, post=False)
    use_trend = n_before >= 8 and before.sum() >= MIN_EVENTS
    mu = np.full(n_after, before.mean() if n_before else 0.0)
    alpha = 0.0
    if use_trend:
        try:
            result, _, alpha = _fit(before, x_all[:n_before])
            trend = x_all[n_before:] @ np.asarray(result.params)
            projected = np.exp(trend)
            if np.all(np.isfinite(projected)) and projected.max() <= 2 * max(before.mean(), 0.5):
                mu = projected
            else:
                alpha = _nb_alpha(before, np.full(n_before, before.mean()))
        except (ValueError, np.linalg.LinAlgError, FloatingPointError):
            pass
    elif n_before > 1 and before.var() > before.mean() * OVERDISPERSED:
        alpha = _nb_alpha(before, np.full(n_before, before.mean()))
    tail = (1 - level) / 2
    lo, hi = count_ppf(tail, mu, alpha), count_ppf(1 - tail, mu, alpha)
    return mu, lo, hi


def placebo_positions(
    n: int, trigger: int, n_before: int, n_after: int, *, min_before: int | None = None
) -> np.ndarray:
    """Trigger positions for the placebo test: every period whose windows fit the history.

    The before window may be shortened at the start of the history (as the
    real one is) down to ``min_before`` periods (half the window, at least
    2); the after window must fit whole.  Positions whose windows (before
    or after) overlap the real after window are left out, so the event's
    own aftermath never counts as a placebo change.
    """
    floor = max(2, n_before // 2) if min_before is None else min_before
    floor = min(floor, n_before)
    positions = np.arange(floor, n - n_after + 1)
    start = np.maximum(positions - n_before, 0)
    overlap = (start < trigger + n_after) & (positions + n_after > trigger)
    return positions[~overlap]


def placebo_changes(
    counts: np.ndarray, positions: np.ndarray, n_before: int, n_after: int
) -> np.ndarray:
    """:func:`log_change` at each placebo position, vectorised over positions and categories.

    ``counts`` is (periods,) or (categories, periods); returns
    (categories, positions).
    """
    counts = np.atleast_2d(np.asarray(counts, dtype=float))
    csum = np.concatenate([np.zeros((counts.shape[0], 1)), np.cumsum(counts, axis=1)], axis=1)
    start = np.maximum(positions - n_before, 0)
    len_before = positions - start
    after = csum[:, positions + n_after] - csum[:, positions]
    before = csum[:, positions] - csum[:, start]
    return np.log((after + 0.5) / n_after) - np.log((before + 0.5) / len_before)


def empirical_p(observed: float, placebo: np.ndarray) -> float | None:
    """Two-sided empirical p-value: share of placebo changes at least as large (+1 smoothed)."""
    if len(placebo) == 0:
        return None
    extreme = np.count_nonzero(np.abs(placebo) >= abs(observed) - 1e-12)
    return (1 + extreme) / (1 + len(placebo))
