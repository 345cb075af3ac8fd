"""Conditional maximisation of the log-linear flow model: migest's ``cm2`` and ``cm3``.

The model ``y[i, j] = α_i β_j m[i, j]`` (or ``y[i, j, k] = α_i β_j m[i, j, k]``) is
fitted by updating α given β, then β given the new α, until the largest parameter
change is at most ``tol``. The fixed point equals :func:`ipf2`'s; the stopping rule
is on the parameters (METHODS.md §7).

References
----------
Willekens, F. (1999). Modelling approaches to the indirect estimation of migration flows.
Abel, G. J. (2013). Demographic Research 28(18).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from steppe.flows import checks
from steppe.flows.checks import Array


@dataclass(frozen=True)
class CmFit:
    """A table fitted by conditional maximisation."""

    fitted: Array
    """``α_i β_j m[i, j(, k)]``."""
    alpha: Array
    """Row parameters."""
    beta: Array
    """Column parameters."""
    iterations: int
    """Value of migest's counter at the end (updates made + 1)."""
    change: float
    """Largest parameter change in the last update."""


def cm2(
    row_tot: ArrayLike,
    col_tot: ArrayLike,
    m: ArrayLike | None = None,
    *,
    tol: float = 1e-6,
    maxit: int = 500,
) -> CmFit:
    """Fit a two-way table to its margins by conditional maximisation (offset ``m``)."""
    rt = checks.as_vector("row_tot", row_tot)
    ct = checks.as_vector("col_tot", col_tot)
    mm = np.ones((rt.size, ct.size)) if m is None else checks.as_matrix("m", m, square=False)
    _check(rt, ct, mm.shape[:2], mm)
    alpha, beta, it, change = fit_cm(rt, ct, mm, tol=tol, maxit=maxit)
    return CmFit(alpha[:, None] * beta[None, :] * mm, alpha, beta, it, change)


def cm3(
    row_tot: ArrayLike,
    col_tot: ArrayLike,
    m: ArrayLike,
    *,
    tol: float = 1e-6,
    maxit: int = 500,
) -> CmFit:
    """Fit a three-way table ``α_i β_j m[i, j, k]`` to its first two margins.

    Unlike migest, totals longer than the first two dimensions of ``m`` are refused
    rather than silently truncated.
    """
    rt = checks.as_vector("row_tot", row_tot)
    ct = checks.as_vector("col_tot", col_tot)
    mm = np.array(m, dtype=np.float64)
    if mm.ndim != 3:
        raise ValueError(f"m must be a 3-D array (i, j, k); got shape {mm.shape}.")
    if not np.isfinite(mm).all():
        raise ValueError("m contains missing or infinite values.")
    _check(rt, ct, mm.shape[:2], mm)
    alpha, beta, it, change = fit_cm(rt, ct, mm.sum(axis=2), tol=tol, maxit=maxit)
    return CmFit(alpha[:, None, None] * beta[None, :, None] * mm, alpha, beta, it, change)


def fit_cm(
    row_tot: Array, col_tot: Array, m2: Array, *, tol: float, maxit: int
) -> tuple[Array, Array, int, float]:
    """The bare CM iteration (no checks): α, β, counter, last change."""
    if not (isinstance(tol, (int, float)) and tol > 0):
        raise checks.InvalidOptionError("tol", tol, "a positive number")
    if not (isinstance(maxit, int) and maxit >= 1):
        raise checks.InvalidOptionError("maxit", maxit, "a positive integer")
    alpha = np.ones(m2.shape[0])
    beta = np.ones(m2.shape[1])
    counter, change = 1, np.inf
    with np.errstate(divide="ignore", invalid="ignore"):
        while change > tol and counter < maxit:
            new_alpha = row_tot / (m2 @ beta)
            new_beta = col_tot / (m2.T @ new_alpha)
            change = float(
                max(np.abs(new_alpha - alpha).max(initial=0.0), np.abs(new_beta - beta).max(initial=0.0))
            )
            alpha, beta = new_alpha, new_beta
            counter += 1
    return alpha, beta, counter, change


def _check(rt: Array, ct: Array, dims: tuple[int, ...], m: Array) -> None:
    if rt.size != dims[0]:
        raise ValueError(f"row_tot has {rt.size} entries but m has {dims[0]} rows (first dimension).")
    if ct.size != dims[1]:
        raise ValueError(f"col_tot has {ct.size} entries but m has {dims[1]} columns (second dimension).")
    checks.non_negative("row_tot", rt)
    checks.non_negative("col_tot", ct)
    checks.non_negative("m", m)
    if np.rint(rt.sum()) != np.rint(ct.sum()):
        raise ValueError(
            f"row_tot sums to {rt.sum():g} but col_tot to {ct.sum():g}; a table cannot match both."
        )
