"""migest's own IPF routines: ``ipf2``, ``ipf3`` and ``ipf3_qi`` (METHODS.md §6).

They differ from the mipfp engine used inside :func:`demographic_accounting`: the
discrepancy is max |target − margin| measured before each margin is scaled, and the
loop runs while it exceeds ``tol`` (default 1e-5) for at most ``maxit`` sweeps.

References
----------
Willekens, F. (1999). Modelling approaches to the indirect estimation of migration flows.
Abel, G. J. (2013). Estimating global migration flow tables using place of birth data.
    Demographic Research 28(18).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from steppe.flows import checks
from steppe.flows.checks import Array
from steppe.flows.ipfp import ratio


@dataclass(frozen=True)
class IpfFit:
    """A table fitted by IPF."""

    fitted: Array
    """The fitted table (2-D for ipf2, (orig, dest, pob) for ipf3)."""
    sweeps: int
    """Number of sweeps made (migest's ``it``)."""
    discrepancy: float
    """Max |target − margin| in the last sweep, before scaling (migest's returned ``tol``)."""
    converged: bool
    """Whether the discrepancy fell to ``tol`` or below."""


def ipf2(
    row_tot: ArrayLike | None = None,
    col_tot: ArrayLike | None = None,
    m: ArrayLike | None = None,
    *,
    tol: float = 1e-5,
    maxit: int = 500,
) -> IpfFit:
    """Fit ``y[i, j] = α_i β_j m[i, j]`` to row and/or column totals (columns first each sweep).

    Parameters
    ----------
    row_tot, col_tot : target margins; either may be None (that margin is left free).
    m : (r, c) non-negative offset (seed); default all ones.
    tol, maxit : stop when the discrepancy is ≤ tol, or after maxit sweeps.
    """
    if row_tot is None and col_tot is None:
        raise ValueError("ipf2 needs row_tot, col_tot or both.")
    rt = None if row_tot is None else checks.as_vector("row_tot", row_tot)
    ct = None if col_tot is None else checks.as_vector("col_tot", col_tot)
    shape = (len(rt) if rt is not None else None, len(ct) if ct is not None else None)
    mu = _offset(m, shape)
    _check_len("row_tot", rt, mu.shape[0], "rows of m")
    _check_len("col_tot", ct, mu.shape[1], "columns of m")
    _check_options(tol, maxit)
    if rt is not None and ct is not None:
        _same_total(float(rt.sum()), float(ct.sum()), tol)
    it, disc = 0, np.inf
    while True:
        it += 1
        disc = 0.0
        if ct is not None:
            cs = mu.sum(axis=0)
            disc = max(disc, float(np.abs(ct - cs).max(initial=0.0)))
            mu *= ratio(ct, cs)[None, :]
        if rt is not None:
            rs = mu.sum(axis=1)
            disc = max(disc, float(np.abs(rt - rs).max(initial=0.0)))
            mu *= ratio(rt, rs)[:, None]
        if not (disc > tol and it < maxit):
            break
    return IpfFit(mu, it, disc, disc <= tol)


def ipf3(
    row_tot: ArrayLike,
    col_tot: ArrayLike,
    m: ArrayLike | None = None,
    *,
    tol: float = 1e-5,
    maxit: int = 500,
) -> IpfFit:
    """Fit flows ``y[i, j, k]`` by birthplace k to start and end stock tables (independence).

    Parameters
    ----------
    row_tot : (n, n) ``[orig, pob]``, the transposed start stock table.
    col_tot : (n, n) ``[pob, dest]``, the end stock table as is.
    m : offset, (n, n) shared by every birthplace or (n, n, n); default all ones.
    """
    rt, ct = _pob_margins(row_tot, col_tot)
    _check_options(tol, maxit)
    mu = _offset3(m, rt.shape[0])
    it, disc = 0, 2 * tol
    while disc > tol and it < maxit:
        it += 1
        m1 = mu.sum(axis=1)
        mu *= ratio(rt, m1)[:, None, :]
        m2 = mu.sum(axis=0)
        mu *= ratio(ct, m2)[None, :, :]
        disc = max(float(np.abs(m1 - rt).max()), float(np.abs(m2 - ct).max()))
    return IpfFit(mu, it, disc, disc <= tol)


def ipf3_qi(
    row_tot: ArrayLike,
    col_tot: ArrayLike,
    m: ArrayLike | None = None,
    *,
    tol: float = 1e-5,
    maxit: int = 500,
) -> IpfFit:
    """Quasi-independence version of :func:`ipf3`: stayers fixed at min(start, end) (Abel 2013).

    Stayers are taken off both margins, the off-diagonal cells are fitted (each sweep
    zeroes the diagonal and counts its size in the discrepancy) and the stayers are
    written back on the diagonal.
    """
    rt, ct = _pob_margins(row_tot, col_tot)
    _check_options(tol, maxit)
    n = rt.shape[0]
    mu = _offset3(m, n)
    idx = np.arange(n)
    stay = np.minimum(rt, ct)
    rt, ct = rt - stay, ct - stay
    it, disc = 0, 2 * tol
    while disc > tol and it < maxit:
        it += 1
        m1 = mu.sum(axis=1)
        mu *= ratio(rt, m1)[:, None, :]
        m2 = mu.sum(axis=0)
        mu *= ratio(ct, m2)[None, :, :]
        diag = mu[idx, idx, :]
        disc = max(float(np.abs(m1 - rt).max()), float(np.abs(m2 - ct).max()), float(np.abs(diag).max()))
        mu[idx, idx, :] = 0.0
    mu[idx, idx, :] = stay
    return IpfFit(mu, it, disc, disc <= tol)


def _pob_margins(row_tot: ArrayLike, col_tot: ArrayLike) -> tuple[Array, Array]:
    rt = checks.as_matrix("row_tot", row_tot)
    ct = checks.as_matrix("col_tot", col_tot)
    checks.same_shape(("row_tot", "col_tot"), rt, ct)
    checks.non_negative("row_tot", rt)
    checks.non_negative("col_tot", ct)
    a, b = np.rint(rt.sum(axis=0)), np.rint(ct.sum(axis=1))
    if (a != b).any():
        k = int(np.flatnonzero(a != b)[0])
        raise ValueError(
            f"birthplace totals differ: row_tot column {k} sums to {a[k]:g} but col_tot row {k} "
            f"to {b[k]:g}; row_tot is [orig, pob] (the transposed start table), col_tot is "
            "[pob, dest] (the end table), and each birthplace must have the same total in both."
        )
    return rt, ct.T.copy()


def _offset(m: ArrayLike | None, shape: tuple[int | None, int | None]) -> Array:
    if m is None:
        if None in shape:
            raise ValueError("ipf2 needs m when only one of row_tot/col_tot is given.")
        return np.ones((shape[0] or 0, shape[1] or 0))
    arr = checks.as_matrix("m", m, square=False)
    checks.non_negative("m", arr)
    return arr.copy()


def _offset3(m: ArrayLike | None, n: int) -> Array:
    if m is None:
        return np.ones((n, n, n))
    arr = np.array(m, dtype=np.float64)
    if arr.shape == (n, n):
        arr = np.repeat(arr[:, :, None], n, axis=2)
    if arr.shape != (n, n, n):
        raise ValueError(f"m must have shape ({n}, {n}) or ({n}, {n}, {n}); got {arr.shape}.")
    if not np.isfinite(arr).all():
        raise ValueError("m contains missing or infinite values.")
    checks.non_negative("m", arr)
    return arr.copy()


def _check_len(name: str, v: Array | None, n: int, what: str) -> None:
    if v is not None and v.shape[0] != n:
        raise ValueError(f"{name} has {v.shape[0]} entries but m has {n} {what}.")


def _check_options(tol: float, maxit: int) -> None:
    if not (isinstance(tol, (int, float)) and tol > 0):
        raise checks.InvalidOptionError("tol", tol, "a positive number")
    if not (isinstance(maxit, int) and maxit >= 1):
        raise checks.InvalidOptionError("maxit", maxit, "a positive integer")


def _same_total(row_sum: float, col_sum: float, tol: float) -> None:
    if abs(row_sum - col_sum) > tol:
        raise ValueError(
            f"row_tot sums to {row_sum:g} but col_tot to {col_sum:g}; a table cannot match both. "
            "Make the two totals equal."
        )
