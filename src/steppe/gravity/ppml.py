"""Poisson pseudo-maximum-likelihood (PPML) with high-dimensional fixed effects.

Arrays in, frozen result out: no files, database or globals. The fixed effects are
absorbed by pyfixest's ``fepois`` (iteratively reweighted least squares with
alternating-projection demeaning), so origin-year and destination-year effects for
the whole world cost no dense dummy matrix.

References
----------
Santos Silva, J.M.C. and Tenreyro, S. (2006). The log of gravity. *Review of
Economics and Statistics* 88(4), 641-658.
Bergé, L. (2018). Efficient estimation of maximum likelihood models with multiple
fixed-effects: the R package FENmlm. CREA Discussion Papers 13.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from steppe.errors import InvalidOptionError, SteppeError


class EstimationError(SteppeError, ValueError):
    """The model cannot be estimated on these data (collinearity, no usable rows)."""


VcovKind = Literal["iid", "hetero", "cluster"]
VCOV_KINDS: tuple[str, ...] = get_args(VcovKind)


@dataclass(frozen=True)
class PPMLResult:
    """A fitted PPML gravity model.

    Attributes
    ----------
    names : tuple of str, shape (k,)
        Regressor names, in the order of ``coef``.
    coef : ndarray, shape (k,)
        Estimated coefficients (semi-elasticities; elasticities for log regressors).
    vcov : ndarray, shape (k, k)
        Variance-covariance matrix of ``coef`` of kind ``vcov_kind``.
    se : ndarray, shape (k,)
        Standard errors, ``sqrt(diag(vcov))``.
    fitted : ndarray, shape (n,)
        Expected value ``exp(x'b + fixed effects)`` for every input row; NaN for rows
        outside the estimation sample.
    used : ndarray of bool, shape (n,)
        Rows kept in the estimation sample (rows with missing values, singletons and
        fixed-effect groups whose outcome is all zero are dropped).
    vcov_kind : str
        ``iid``, ``hetero`` (Eicker-Huber-White) or ``cluster`` (CRV1).
    fixed_effects : tuple of str
        Names of the absorbed fixed effects.
    converged : bool
        Whether the IRLS iterations converged.
    deviance : float
        Poisson deviance at the estimate.
    """

    names: tuple[str, ...]
    coef: NDArray[np.float64]
    vcov: NDArray[np.float64]
    se: NDArray[np.float64]
    fitted: NDArray[np.float64]
    used: NDArray[np.bool_]
    vcov_kind: str
    fixed_effects: tuple[str, ...]
    converged: bool
    deviance: float
    n_clusters: int | None = field(default=None)

    @property
    def n_obs(self) -> int:
        """Number of observations in the estimation sample."""
        return int(self.used.sum())

    def tidy(self, level: float = 0.95) -> pd.DataFrame:
        """Coefficient table: term, estimate, std_error, z, p_value, conf_low, conf_high."""
        from scipy import stats

        z = self.coef / self.se
        q = stats.norm.ppf(0.5 + level / 2)
        return pd.DataFrame(
            {
                "term": list(self.names),
                "estimate": self.coef,
                "std_error": self.se,
                "z": z,
                "p_value": 2 * stats.norm.sf(np.abs(z)),
                "conf_low": self.coef - q * self.se,
                "conf_high": self.coef + q * self.se,
            }
        )


def fit_ppml(
    y: ArrayLike,
    X: ArrayLike,
    names: Sequence[str],
    fixed_effects: Mapping[str, ArrayLike],
    *,
    vcov: VcovKind = "hetero",
    cluster: ArrayLike | None = None,
    small_sample: bool = True,
    tol: float = 1e-10,
    maxiter: int = 100,
) -> PPMLResult:
    """Fit ``E[y | x] = exp(x'b + a_1 + ... + a_m)`` by PPML.

    Parameters
    ----------
    y : array, shape (n,)
        Non-negative outcome (migrant stock or flow); NaN rows are dropped.
    X : array, shape (n, k)
        Regressors, without a constant (it is absorbed by the fixed effects).
    names : sequence of str, length k
        Regressor names.
    fixed_effects : mapping of name to array, each shape (n,)
        Group labels of each fixed effect (e.g. ``origin_year``, ``destination_year``
        or ``pair``); at least one.
    vcov : {'iid', 'hetero', 'cluster'}
        Standard errors: model-based, heteroskedasticity-robust, or clustered by
        ``cluster`` (CRV1, as Stata's ``ppmlhdfe`` and R's ``fixest``).
    cluster : array, shape (n,), optional
        Cluster labels; required when ``vcov='cluster'``.
    small_sample : bool
        Apply fixest's small-sample corrections (``(n-1)/(n-k)`` and ``G/(G-1)``);
        ``False`` gives the textbook HC0 / model-based / CRV0 matrices.
    tol : float
        Convergence tolerance of both the IRLS and the demeaning steps.
    maxiter : int
        Maximum IRLS iterations.

    Returns
    -------
    PPMLResult
    """
    import pyfixest as pf

    if vcov not in VCOV_KINDS:
        raise InvalidOptionError("vcov", vcov, VCOV_KINDS)
    y_arr = np.asarray(y, dtype=float)
    x_arr = np.asarray(X, dtype=float)
    if x_arr.ndim == 1:
        x_arr = x_arr[:, None]
    n = y_arr.shape[0]
    if x_arr.shape != (n, len(names)):
        raise ValueError(f"X has shape {x_arr.shape}; expected ({n}, {len(names)}) to match y and names")
    if np.nanmin(y_arr, initial=0.0) < 0:
        raise ValueError("y has negative values; PPML needs counts or non-negative amounts")
    if not fixed_effects:
        raise ValueError("give at least one fixed effect, e.g. {'origin_year': ..., 'destination_year': ...}")
    if vcov == "cluster" and cluster is None:
        raise ValueError("vcov='cluster' needs cluster labels, e.g. the pair id of each row")

    usable = np.isfinite(y_arr) & np.isfinite(x_arr).all(axis=1)
    if usable.sum() <= len(names):
        raise EstimationError(
            f"only {int(usable.sum())} rows have an outcome and every regressor; PPML needs more "
            f"than {len(names)}. Check that the inputs are loaded or use fewer regressors."
        )
    cols = [f"x{j}" for j in range(len(names))]
    fes = [f"fe{j}" for j in range(len(fixed_effects))]
    frame = pd.DataFrame(x_arr, columns=cols)
    frame["y"] = y_arr
    frame["row_id"] = np.arange(n)
    for col, labels in zip(fes, fixed_effects.values()):
        frame[col] = pd.factorize(np.asarray(labels))[0]
    vcov_arg: str | dict[str, str] = vcov
    if vcov == "cluster":
        frame["cl"] = pd.factorize(np.asarray(cluster))[0]
        vcov_arg = {"CRV1": "cl"}
    fml = f"y ~ {' + '.join(cols)} | {' + '.join(fes)}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = pf.fepois(
                fml,
                data=frame,
                vcov=vcov_arg,
                ssc=None if small_sample else pf.ssc(k_adj=False, G_adj=False),
                iwls_tol=tol,
                iwls_maxiter=maxiter,
                demeaner=pf.MapDemeaner(fixef_tol=tol),
            )
        except ValueError as exc:
            raise EstimationError(
                f"PPML cannot be estimated on these {int(np.isfinite(y_arr).sum()):,} rows with "
                f"regressors {list(names)} and fixed effects {list(fixed_effects)}: "
                f"{' '.join(str(exc).split())} Use fewer regressors, other fixed effects or "
                "more corridors (e.g. --subset all)."
            ) from exc
    kept = np.asarray(fit._data["row_id"], dtype=int)
    used = np.zeros(n, dtype=bool)
    used[kept] = True
    fitted = np.full(n, np.nan)
    fitted[kept] = np.asarray(fit._Y_hat_response, dtype=float).ravel()
    coefnames = [str(c) for c in fit._coefnames]
    missing = [names[int(c[1:])] for c in cols if c not in coefnames]
    if missing:
        raise EstimationError(
            f"regressor(s) {missing} are collinear with the fixed effects and cannot be "
            "estimated; drop them or choose other fixed effects"
        )
    order = [coefnames.index(c) for c in cols]
    coef = np.asarray(fit._beta_hat, dtype=float)[order]
    vc = np.asarray(fit._vcov, dtype=float)[np.ix_(order, order)]
    return PPMLResult(
        names=tuple(names),
        coef=coef,
        vcov=vc,
        se=np.sqrt(np.diag(vc)),
        fitted=fitted,
        used=used,
        vcov_kind=vcov,
        fixed_effects=tuple(fixed_effects),
        converged=bool(fit._convergence),
        deviance=float(np.asarray(fit.deviance).ravel()[0]),
        n_clusters=int(np.asarray(fit._G).ravel()[0]) if vcov == "cluster" else None,
    )
