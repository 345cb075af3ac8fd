"""Structural breaks and unusual changes in annual (or regular) series.

Two pure detectors on arrays:

* :func:`detect_breaks` fits a broken trend (a separate straight line per segment,
  on the log scale by default) and chooses the number and dates of the breaks by
  exact dynamic programming and the Bayesian information criterion, as in Bai and
  Perron's least-squares dating of multiple breaks.
* :func:`unusual_changes` flags a period-on-period change that lies more than
  ``threshold`` standard deviations from the changes of the preceding ``window``
  periods (a rolling z-score of growth rates).

References
----------
Bai, J. and Perron, P. (2003). Computation and analysis of multiple structural change
models. *Journal of Applied Econometrics* 18(1), 1-22.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray


@dataclass(frozen=True)
class Break:
    """A break between two trend segments.

    Attributes
    ----------
    time : float
        First period of the new segment.
    size : float
        Jump at ``time``: new segment's fit minus the old segment's trend extended to
        ``time`` (log points when fitted on logs; ``exp(size) - 1`` is the relative change).
    slope_before, slope_after : float
        Trend per period in the two segments (log points per period on logs).
    """

    time: float
    size: float
    slope_before: float
    slope_after: float

    @property
    def percent(self) -> float:
        """The jump as a percentage (for log-scale fits)."""
        return float(np.expm1(self.size) * 100)


@dataclass(frozen=True)
class Change:
    """An unusual period-on-period change.

    Attributes
    ----------
    time : float
        Period at the end of the change.
    change : float
        The change (log points on logs).
    expected : float
        Mean change of the preceding window.
    z : float
        ``(change - expected) / sd`` of the preceding window.
    """

    time: float
    change: float
    expected: float
    z: float

    @property
    def percent(self) -> float:
        """The change as a percentage (for log-scale series)."""
        return float(np.expm1(self.change) * 100)


def _prepare(t: ArrayLike, y: ArrayLike, log: bool) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    tt = np.asarray(t, dtype=float)
    yy = np.asarray(y, dtype=float)
    if tt.shape != yy.shape or tt.ndim != 1:
        raise ValueError(f"t and y must be 1-D of the same length; got {tt.shape} and {yy.shape}")
    keep = np.isfinite(yy) & (yy > 0 if log else True)
    order = np.argsort(tt[keep], kind="stable")
    tt, yy = tt[keep][order], yy[keep][order]
    return tt, np.log(yy) if log else yy


def _segment_rss(t: NDArray[np.float64], y: NDArray[np.float64], min_size: int) -> NDArray[np.float64]:
    """rss[i, j]: residual sum of squares of a line fitted to points i..j-1."""
    n = len(t)
    rss = np.full((n + 1, n + 1), np.inf)
    for i in range(n):
        for j in range(i + min_size, n + 1):
            tt, yy = t[i:j], y[i:j]
            tc = tt - tt.mean()
            denom = float(tc @ tc)
            slope = float(tc @ (yy - yy.mean())) / denom if denom > 0 else 0.0
            resid = yy - yy.mean() - slope * tc
            rss[i, j] = float(resid @ resid)
    return rss


def _line(t: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[float, float]:
    slope, intercept = np.polyfit(t, y, 1)
    return float(intercept), float(slope)


def detect_breaks(
    t: ArrayLike,
    y: ArrayLike,
    *,
    log: bool = True,
    min_size: int = 4,
    max_breaks: int = 4,
) -> list[Break]:
    """Date structural breaks in the trend of a series.

    Parameters
    ----------
    t : array, shape (n,)
        Periods (years).
    y : array, shape (n,)
        Values; missing (and, on logs, non-positive) values are skipped.
    log : bool
        Fit on ``log(y)``, so sizes are relative changes.
    min_size : int
        Fewest points in a segment (at least 3).
    max_breaks : int
        Most breaks considered; BIC picks the number from 0 to this.

    Returns
    -------
    list of Break, in time order (empty when one trend fits best or the series is
    shorter than ``2 * min_size``).
    """
    if min_size < 3:
        raise ValueError(f"min_size={min_size}; a trend segment needs at least 3 points")
    tt, yy = _prepare(t, y, log)
    n = len(tt)
    if n < 2 * min_size:
        return []
    rss = _segment_rss(tt, yy, min_size)
    scale = max(float(np.var(yy)), 1e-12) * 1e-8  # floor so a perfect fit is not -inf
    best: dict[int, tuple[float, list[int]]] = {0: (float(rss[0, n]), [])}
    cost = rss[0, :].copy()  # cost[j]: best rss of points 0..j-1 with m breaks
    ends: list[list[int]] = [[] for _ in range(n + 1)]
    for m in range(1, max_breaks + 1):
        new_cost = np.full(n + 1, np.inf)
        new_ends: list[list[int]] = [[] for _ in range(n + 1)]
        for j in range(min_size * (m + 1), n + 1):
            cands = [(cost[k] + rss[k, j], k) for k in range(min_size * m, j - min_size + 1)]
            value, k = min(cands)
            new_cost[j], new_ends[j] = value, [*ends[k], k]
        cost, ends = new_cost, new_ends
        if not np.isfinite(cost[n]):
            break
        best[m] = (float(cost[n]), ends[n])

    def bic(m: int) -> float:
        return float(n * np.log(best[m][0] / n + scale) + (3 * m + 2) * np.log(n))

    m_star = min(best, key=bic)
    bounds = [0, *best[m_star][1], n]
    lines = [_line(tt[a:b], yy[a:b]) for a, b in itertools.pairwise(bounds)]
    out = []
    for s, k in enumerate(bounds[1:-1]):
        (a0, b0), (a1, b1) = lines[s], lines[s + 1]
        at = tt[k]
        out.append(Break(float(at), (a1 + b1 * at) - (a0 + b0 * at), b0, b1))
    return out


def unusual_changes(
    t: ArrayLike,
    y: ArrayLike,
    *,
    log: bool = True,
    window: int = 5,
    threshold: float = 3.0,
    min_sd: float = 0.03,
) -> list[Change]:
    """Flag changes far from the preceding ``window`` changes.

    Parameters
    ----------
    t, y : arrays, shape (n,)
        Periods and values (missing and, on logs, non-positive values skipped).
    log : bool
        Use log changes (growth rates).
    window : int
        Number of earlier changes that set the expected change and its spread (≥ 3).
    threshold : float
        Flag when ``|z| > threshold``.
    min_sd : float
        Floor on the spread of earlier changes per unit of time (log points; on the
        original scale, a fraction of the largest change), so a very smooth history
        does not turn small wobbles into alerts.

    Changes are compared per unit of time, so a 4-year step (UN DESA 2020 to 2024)
    is judged against the earlier 5-year steps fairly.
    """
    if window < 3:
        raise ValueError(f"window={window}; at least 3 earlier changes are needed for a spread")
    tt, yy = _prepare(t, y, log)
    step = np.diff(tt)
    rate = np.diff(yy) / np.where(step > 0, step, 1.0)  # change per unit of time
    floor = min_sd if log else min_sd * max(1.0, float(np.abs(np.diff(yy)).max(initial=0.0)))
    out = []
    for i in range(window, len(rate)):
        prev = rate[i - window:i]
        sd = max(float(np.std(prev, ddof=1)), floor)
        z = (rate[i] - prev.mean()) / sd
        if abs(z) > threshold:
            out.append(Change(float(tt[i + 1]), float(rate[i] * step[i]),
                              float(prev.mean() * step[i]), float(z)))
    return out
