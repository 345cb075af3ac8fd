"""Short forecasts (nowcasts) with prediction intervals, or a reason why not.

The model is the random walk with drift on the log scale: the next value is the
last one grown by the average past growth rate. With ``T`` observations, ``T - 1``
growth rates of standard deviation ``s``, the ``h``-step log forecast has standard
error ``s * sqrt(h * (1 + h / (T - 1)))`` (Hyndman and Athanasopoulos, table 5.2),
so intervals widen with the horizon and with a short history. Student-t quantiles
with ``T - 2`` degrees of freedom account for the estimated drift and spread.

References
----------
Hyndman, R.J. and Athanasopoulos, G. (2021). *Forecasting: principles and practice*,
3rd ed., section 5.5 (prediction intervals of the drift method). OTexts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

MIN_OBSERVATIONS = 8
"""Fewest observations for a nowcast (seven growth rates)."""


@dataclass(frozen=True)
class Nowcast:
    """Forecasts of a series, or the reason none is given.

    Attributes
    ----------
    ok : bool
        Whether forecasts were made; if not, ``reason`` says why.
    reason : str
        Empty when ``ok``.
    time : ndarray, shape (h,)
        Forecast periods.
    mean : ndarray, shape (h,)
        Point forecasts (median on the original scale).
    lower, upper : ndarray, shape (h,)
        Prediction interval bounds at ``level``.
    level : float
    drift : float
        Average growth per period (log points).
    n_obs : int
        Observations used.
    """

    ok: bool
    reason: str = ""
    time: NDArray[np.float64] = field(default_factory=lambda: np.empty(0))
    mean: NDArray[np.float64] = field(default_factory=lambda: np.empty(0))
    lower: NDArray[np.float64] = field(default_factory=lambda: np.empty(0))
    upper: NDArray[np.float64] = field(default_factory=lambda: np.empty(0))
    level: float = 0.8
    drift: float = float("nan")
    n_obs: int = 0


def nowcast(
    t: ArrayLike,
    y: ArrayLike,
    *,
    horizon: int = 2,
    level: float = 0.8,
    min_obs: int = MIN_OBSERVATIONS,
) -> Nowcast:
    """Forecast ``horizon`` periods ahead with prediction intervals.

    Parameters
    ----------
    t : array, shape (n,)
        Regularly spaced periods (e.g. years); the spacing is the forecast step.
    y : array, shape (n,)
        Positive values; NaN marks a missing value.
    horizon : int
        Number of steps ahead (≥ 1).
    level : float
        Coverage of the prediction intervals, in (0, 1).
    min_obs : int
        Fewest observations accepted (≥ 3).

    Returns
    -------
    Nowcast
        ``ok=False`` with a reason when the series is too short, irregular, has a
        gap at the end or non-positive values.
    """
    if horizon < 1:
        raise ValueError(f"horizon={horizon}; give at least 1 step")
    if not 0 < level < 1:
        raise ValueError(f"level={level}; give a coverage between 0 and 1, e.g. 0.8")
    tt = np.asarray(t, dtype=float)
    yy = np.asarray(y, dtype=float)
    present = np.isfinite(yy)
    tt, yy = tt[present], yy[present]
    order = np.argsort(tt)
    tt, yy = tt[order], yy[order]
    n = len(yy)
    if n < max(min_obs, 3):
        return Nowcast(False, f"too short: {n} observations, at least {max(min_obs, 3)} needed",
                       level=level, n_obs=n)
    if np.any(yy <= 0):
        return Nowcast(False, "has zero or negative values; the log-growth model does not apply",
                       level=level, n_obs=n)
    steps = np.diff(tt)
    if not np.allclose(steps, steps[0]):
        return Nowcast(False, f"irregular or gapped periods {tt.astype(int).tolist()}; "
                       "a nowcast needs equally spaced observations", level=level, n_obs=n)
    d = np.diff(np.log(yy))
    drift = float(d.mean())
    sd = float(d.std(ddof=1))
    h = np.arange(1, horizon + 1, dtype=float)
    se = sd * np.sqrt(h * (1 + h / len(d)))
    q = float(stats.t.ppf(0.5 + level / 2, df=len(d) - 1))
    centre = np.log(yy[-1]) + h * drift
    return Nowcast(
        True,
        time=tt[-1] + h * steps[0],
        mean=np.exp(centre),
        lower=np.exp(centre - q * se),
        upper=np.exp(centre + q * se),
        level=level,
        drift=drift,
        n_obs=n,
    )
