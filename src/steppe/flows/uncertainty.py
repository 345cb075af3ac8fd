"""Closed demographic accounting with uncertainty, in the spirit of Azose & Raftery (2019).

Two estimators bound the plausible flows for the same adjusted stock tables:

* the minimum-migration (quasi-independence) estimate ``X`` of Abel & Sander (2014),
  which keeps as many people in place as the stocks allow and has many structural
  zeros, so it understates return and transit moves;
* the independence estimate ``Λ`` (each birthplace group's end residence independent
  of its start residence), which has no structural zeros and overstates moves.

Both reproduce the same birthplace margins, so any convex combination closes the
demographic account. Following Azose & Raftery, the flows of each birthplace k are
smoothed from ``X`` towards ``Λ`` with the pseudo-Bayes estimator of Bishop, Fienberg &
Holland (1975, ch. 12): weight ``w_k = N_k / (N_k + K_k)`` on ``X`` with
``K_k = (N_k² − Σ X²) / Σ (X − Λ)²``. Uncertainty comes from a parametric bootstrap:
foreign-born stocks, populations and births/deaths are perturbed with log-normal
errors of the stated coefficients of variation, every draw is re-estimated, and the
intervals are the draws' quantiles.

References
----------
Azose, J. J. & Raftery, A. E. (2019). Estimation of emigration, return migration, and
    transit migration between all pairs of countries. PNAS 116(1), 116–122.
Bishop, Y. M. M., Fienberg, S. E. & Holland, P. W. (1975). Discrete Multivariate
    Analysis. MIT Press, chapter 12.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from steppe.errors import InvalidOptionError
from steppe.flows import checks
from steppe.flows.checks import Array
from steppe.flows.demographic import demographic_accounting
from steppe.flows.result import FlowEstimate


@dataclass(frozen=True)
class UncertainFlows:
    """Point estimates and intervals for every origin–destination corridor."""

    od: Array
    """(n, n) pseudo-Bayes point estimate at the observed inputs, zero diagonal."""
    lower: Array
    """(n, n) lower interval bound."""
    upper: Array
    """(n, n) upper interval bound."""
    level: float
    """Nominal coverage of the intervals (e.g. 0.9)."""
    weights: Array
    """(n,) weight on the minimum-migration estimate per birthplace, at the point estimate."""
    total: tuple[float, float, float]
    """World total of moves: point, lower, upper."""
    draws: int
    """Number of bootstrap draws behind the intervals."""


def pseudo_bayes(estimate: FlowEstimate, smoothing: float | None = None) -> tuple[Array, Array]:
    """Smooth minimum-migration flows towards independence, per birthplace.

    ``smoothing`` fixes the weight on the independence flows for every birthplace;
    None estimates it by Bishop, Fienberg & Holland's rule (with counts of millions of
    people that rule gives weights close to 1 on the minimum-migration flows).

    Returns
    -------
    flows : (n, n, n) ``[orig, dest, pob]`` smoothed flows (stayers included).
    weights : (n,) weight ``w_k`` on the minimum-migration flows.
    """
    s0, s1 = estimate.stock_start, estimate.stock_end
    r1 = s1.sum(axis=1)
    scale = np.divide(1.0, r1, out=np.zeros_like(r1), where=r1 > 0)
    indep = s0.T[:, None, :] * s1.T[None, :, :] * scale[None, None, :]
    x = estimate.flows
    n_k = x.sum(axis=(0, 1))
    spread = ((x - indep) ** 2).sum(axis=(0, 1))
    k = np.divide(n_k**2 - (x**2).sum(axis=(0, 1)), spread, out=np.full_like(n_k, np.inf), where=spread > 0)
    w = np.divide(n_k, n_k + k, out=np.ones_like(n_k), where=np.isfinite(k) & (n_k + k > 0))
    if smoothing is not None:
        w = np.full_like(n_k, 1.0 - smoothing)
    return w[None, None, :] * x + (1 - w)[None, None, :] * indep, w


def _od(flows: Array) -> Array:
    od = flows.sum(axis=2)
    np.fill_diagonal(od, 0.0)
    return od


def perturb(
    rng: np.random.Generator,
    s0: Array,
    s1: Array,
    births: Array,
    deaths: Array,
    cv_stock: float,
    cv_population: float,
    cv_events: float,
    rho: float = 0.9,
) -> tuple[Array, Array, Array, Array]:
    """One draw of the inputs with log-normal measurement errors (mean-preserving).

    The errors of a stock cell (and of a population total) at the two dates are
    correlated with coefficient ``rho`` on the log scale: a census undercount or a
    birthplace misclassification persists between rounds. With ``rho = 0`` every date
    gets independent noise, which turns noise into spurious moves and pushes every draw
    above the point estimate; ``rho = 1`` keeps only errors common to both dates.
    """
    n = s0.shape[0]

    def factors(shape: tuple[int, ...], cv: float) -> tuple[Array, Array]:
        sigma = np.sqrt(np.log1p(cv**2))
        z0 = rng.standard_normal(shape)
        z1 = rho * z0 + np.sqrt(max(0.0, 1.0 - rho**2)) * rng.standard_normal(shape)
        return (np.exp(sigma * z0 - sigma**2 / 2), np.exp(sigma * z1 - sigma**2 / 2))

    def table(s: Array, cell: Array, pop: Array) -> Array:
        out = s * cell
        np.fill_diagonal(out, 0.0)
        np.fill_diagonal(out, s.sum(axis=0) * pop - out.sum(axis=0))
        return out

    cell0, cell1 = factors((n, n), cv_stock)
    pop0, pop1 = factors((n,), cv_population)
    b = births * factors(births.shape, cv_events)[0]
    d = deaths * factors(deaths.shape, cv_events)[0]
    return table(s0, cell0, pop0), table(s1, cell1, pop1), b, d


def flows_with_uncertainty(
    stock_start: ArrayLike,
    stock_end: ArrayLike,
    births: ArrayLike,
    deaths: ArrayLike,
    *,
    draws: int = 200,
    level: float = 0.9,
    cv_stock: float = 0.1,
    cv_population: float = 0.01,
    cv_events: float = 0.02,
    random_state: int | None = None,
    tolerance: float = 1e-6,
    smoothing: float | None = None,
    rho: float = 0.9,
) -> UncertainFlows:
    """Pseudo-Bayes closed-account flows with bootstrap intervals for every corridor.

    Parameters
    ----------
    stock_start, stock_end, births, deaths : as in :func:`demographic_accounting`.
    draws : number of bootstrap draws (≥ 20).
    level : nominal interval coverage, in (0, 1).
    cv_stock, cv_population, cv_events : coefficients of variation of the measurement
        errors of foreign-born stocks, populations (column totals) and births/deaths.
    random_state : seed of the bootstrap.
    tolerance : IPF tolerance of every estimate (continuous global balance is used, so
        estimates are smooth in the inputs).
    smoothing : fixed weight in [0, 1] on the independence flows; None = data-driven.
    rho : correlation (log scale) of one cell's or one population's measurement error at
        the two dates, in [0, 1] (see :func:`perturb`).
    """
    if not (isinstance(draws, int) and draws >= 20):
        raise InvalidOptionError("draws", draws, "an integer of at least 20")
    if not 0 < level < 1:
        raise InvalidOptionError("level", level, "a number strictly between 0 and 1")
    for name, cv in (("cv_stock", cv_stock), ("cv_population", cv_population), ("cv_events", cv_events)):
        if not (cv >= 0 and np.isfinite(cv)):
            raise InvalidOptionError(name, cv, "a non-negative number")
    if not 0 <= rho <= 1:
        raise InvalidOptionError("rho", rho, "a number in [0, 1]")
    if smoothing is not None and not 0 <= smoothing <= 1:
        raise InvalidOptionError("smoothing", smoothing, "None or a number in [0, 1]")
    s0 = checks.as_matrix("stock_start", stock_start)
    s1 = checks.as_matrix("stock_end", stock_end)
    b = checks.as_vector("births", births, s0.shape[0])
    d = checks.as_vector("deaths", deaths, s0.shape[0])

    def estimate(a0: Array, a1: Array, bb: Array, dd: Array) -> tuple[Array, Array]:
        est = demographic_accounting(a0, a1, bb, dd, match_global="after-demo-adjust", tolerance=tolerance)
        flows, w = pseudo_bayes(est, smoothing)
        return _od(flows), w

    point, weights = estimate(s0, s1, b, d)
    rng = np.random.default_rng(random_state)
    sims = np.empty((draws,) + point.shape)
    for t in range(draws):
        sims[t], _ = estimate(*perturb(rng, s0, s1, b, d, cv_stock, cv_population, cv_events, rho))
    alpha = (1 - level) / 2
    lower, upper = np.quantile(sims, [alpha, 1 - alpha], axis=0)
    totals = sims.sum(axis=(1, 2))
    total = (float(point.sum()), float(np.quantile(totals, alpha)), float(np.quantile(totals, 1 - alpha)))
    return UncertainFlows(point, lower, upper, level, weights, total, draws)
