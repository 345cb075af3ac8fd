"""Iterative proportional fitting kernels used inside the flow estimators.

They follow the stopping rule of the R package mipfp (which migest's ``ffs_demo``
calls): a sweep applies every margin in list order, multiplying each cell by
``target / current`` (0 where either is 0); after the sweep the largest absolute
change of any cell is compared with ``tol`` and the loop stops when it is strictly
smaller. At least one sweep is always made.

The 2-D kernel works in place on one table. The 3-D kernel never builds the
n×n×n array while iterating: with a seed ``c[i, j]`` shared by every birthplace the
fitted array is ``c[i, j] · a[i, k] · b[j, k]``, so each margin is one matrix
product and only the convergence test visits every cell.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from steppe.flows.checks import Array

MAX_SWEEPS = 100_000


@dataclass(frozen=True)
class IpfDiagnostics:
    """What one IPF call did."""

    step: str
    """Which estimator step made the call (e.g. ``'match_birthplace_tot:start'``)."""
    sweeps: int
    """Number of full sweeps over all margins."""
    converged: bool
    """Whether the largest cell change of the last sweep was below ``tol``."""
    max_change: float
    """Largest absolute cell change in the last sweep (mipfp's stopping value)."""
    margin_errors: tuple[float, ...]
    """Per margin, in fitting order: max |target − achieved| after the last sweep."""
    tol: float
    """The stopping value used."""


def ratio(target: Array, current: Array) -> Array:
    """``target / current`` with 0 wherever either is 0 (mipfp's factor rule)."""
    out = np.zeros(np.broadcast(target, current).shape)
    ok = (target != 0) & (current != 0)
    np.divide(target, current, out=out, where=ok)
    return out


def check_totals(step: str, a: Array, b: Array) -> None:
    """Refuse margins whose totals differ (mipfp would silently switch to proportions)."""
    ta, tb = float(a.sum()), float(b.sum())
    if abs(ta - tb) > 1e-3 + 1e-10 * max(abs(ta), abs(tb)):
        raise ValueError(
            f"{step}: the margins to fit have different totals ({ta:.6g} vs {tb:.6g}), so no "
            "table can match both. Balance the inputs first (for the stock tables: "
            "match_global='before-demo-adjust' or 'after-demo-adjust')."
        )


def fit_table(
    seed: Array,
    rows: Array | None,
    cols: Array | None,
    *,
    tol: float,
    step: str,
    maxiter: int = MAX_SWEEPS,
) -> tuple[Array, IpfDiagnostics]:
    """Fit a 2-D table to row then column targets (either may be ``None``).

    Parameters
    ----------
    seed : (r, c) array, non-negative
    rows, cols : targets for the row and column sums, or None to leave that margin free.
    tol : absolute stopping value on the largest cell change of a sweep.
    step : label stored in the diagnostics and used in error messages.
    """
    if rows is not None and cols is not None:
        check_totals(step, rows, cols)
    x = np.array(seed, dtype=np.float64, copy=True)
    old = np.empty_like(x)
    delta = np.empty_like(x)
    crit = np.inf
    sweeps = 0
    while sweeps < maxiter:
        sweeps += 1
        np.copyto(old, x)
        if rows is not None:
            x *= ratio(rows, x.sum(axis=1))[:, None]
        if cols is not None:
            x *= ratio(cols, x.sum(axis=0))[None, :]
        np.subtract(x, old, out=delta)
        np.abs(delta, out=delta)
        crit = float(delta.max()) if delta.size else 0.0
        if crit < tol:
            break
    errors = []
    if rows is not None:
        errors.append(float(np.abs(rows - x.sum(axis=1)).max(initial=0.0)))
    if cols is not None:
        errors.append(float(np.abs(cols - x.sum(axis=0)).max(initial=0.0)))
    return x, _diagnostics(step, sweeps, crit, tol, errors)


def fit_pob_margins(
    seed: Array,
    x0: Array,
    x1: Array,
    *,
    tol: float,
    step: str,
    maxiter: int = MAX_SWEEPS,
) -> tuple[Array, IpfDiagnostics]:
    """Fit ``F[i, j, k]`` to the (orig, pob) margin ``x0`` then the (dest, pob) margin ``x1``.

    Parameters
    ----------
    seed : (n, n) array shared by every birthplace, or (n, n, n) array.
    x0 : (n, n) array ``[orig, pob]``; x1 : (n, n) array ``[dest, pob]``.

    Returns
    -------
    flows : (n, n, n) array ``[orig, dest, pob]`` and the diagnostics.
    """
    check_totals(step, x0, x1)
    if seed.ndim == 3:
        return _fit_dense3(seed, x0, x1, tol=tol, step=step, maxiter=maxiter)
    c = seed
    a = np.ones_like(x0)
    b = np.ones_like(x1)
    crit = np.inf
    sweeps = 0
    while sweeps < maxiter:
        sweeps += 1
        a_new = a * ratio(x0, a * (c @ b))
        b_new = b * ratio(x1, b * (c.T @ a_new))
        crit = _max_change(c, a, b, a_new, b_new)
        a, b = a_new, b_new
        if crit < tol:
            break
    errors = [
        float(np.abs(x0 - a * (c @ b)).max(initial=0.0)),
        float(np.abs(x1 - b * (c.T @ a)).max(initial=0.0)),
    ]
    flows = c[:, :, None] * a[:, None, :] * b[None, :, :]
    return flows, _diagnostics(step, sweeps, crit, tol, errors)


def _max_change(c: Array, a: Array, b: Array, a_new: Array, b_new: Array) -> float:
    """max over i, j, k of |c[i, j]| · |a_new[i,k] b_new[j,k] − a[i,k] b[j,k]|, in blocks of k."""
    n_k = a.shape[1]
    block = max(1, 2_000_000 // max(1, c.size))
    abs_c = np.abs(c)[:, :, None]
    best = 0.0
    for start in range(0, n_k, block):
        ks = slice(start, start + block)
        diff = a_new[:, None, ks] * b_new[None, :, ks] - a[:, None, ks] * b[None, :, ks]
        best = max(best, float((abs_c * np.abs(diff)).max(initial=0.0)))
    return best


def _fit_dense3(
    seed: Array, x0: Array, x1: Array, *, tol: float, step: str, maxiter: int
) -> tuple[Array, IpfDiagnostics]:
    """Plain 3-D IPF for a seed that varies by birthplace."""
    x = np.array(seed, dtype=np.float64, copy=True)
    crit = np.inf
    sweeps = 0
    while sweeps < maxiter:
        sweeps += 1
        old = x.copy()
        x *= ratio(x0, x.sum(axis=1))[:, None, :]
        x *= ratio(x1, x.sum(axis=0))[None, :, :]
        crit = float(np.abs(x - old).max(initial=0.0))
        if crit < tol:
            break
    errors = [
        float(np.abs(x0 - x.sum(axis=1)).max(initial=0.0)),
        float(np.abs(x1 - x.sum(axis=0)).max(initial=0.0)),
    ]
    return x, _diagnostics(step, sweeps, crit, tol, errors)


def _diagnostics(
    step: str, sweeps: int, crit: float, tol: float, errors: list[float]
) -> IpfDiagnostics:
    converged = crit < tol
    if not converged:
        warnings.warn(
            f"{step}: IPF stopped after {sweeps} sweeps without reaching tol={tol:g} "
            f"(last change {crit:.3g}); the estimates may not match their margins.",
            RuntimeWarning,
            stacklevel=3,
        )
    return IpfDiagnostics(step, sweeps, converged, crit, tuple(errors), tol)
