"""Demographic-accounting flows from two bilateral stock tables (migest's ``ffs_demo``).

The steps follow METHODS.md §3: clean negative native-born cells, balance the
global totals, remove births and deaths, equalise birthplace totals, then fit the
flows by IPF (quasi-independence with stayers fixed at their minimum, or the
independence model).

References
----------
Abel, G. J. (2013). Estimating global migration flow tables using place of birth data.
    Demographic Research 28(18).
Abel, G. J. & Sander, N. (2014). Quantifying global international migration flows.
    Science 343(6178).
Abel, G. J. (2018). Estimates of global bilateral migration flows by gender between 1960
    and 2015. International Migration Review 52(3).
Abel, G. J. & Cohen, J. E. (2019). Bilateral international migration flow estimates for
    200 countries. Scientific Data 6, 82.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from steppe.errors import InvalidOptionError
from steppe.flows import checks
from steppe.flows.checks import Array
from steppe.flows.demographic_steps import Steps
from steppe.flows.result import FlowEstimate

MatchGlobal = Literal["before-demo-adjust", "after-demo-adjust", "none"]
BirthplaceMethod = Literal["rescale", "open", "open-dr"]
BROKEN_METHOD = (
    "'rescale', 'open' or 'open-dr' ('rescale-adjust-zero-fb' is refused: in migest 2.0.5 it "
    "returns all-zero flows when no region qualifies and stops with an R error when one does)"
)


def demographic_accounting(
    stock_start: ArrayLike,
    stock_end: ArrayLike,
    births: ArrayLike,
    deaths: ArrayLike,
    *,
    stayer_assumption: bool = True,
    seed: ArrayLike | None = None,
    match_global: MatchGlobal = "before-demo-adjust",
    match_birthplace_tot_method: BirthplaceMethod = "rescale",
    birth_method: Literal["native", "proportion"] = "native",
    birth_non_negative: bool = True,
    death_method: Literal["proportion", "accounting"] = "proportion",
    remainder_index: int | Sequence[int] | None = None,
    tolerance: float | Literal["migest"] = "migest",
) -> FlowEstimate:
    """Estimate flows by place of birth from stock tables at two dates.

    Parameters
    ----------
    stock_start, stock_end : (n, n) arrays, rows = place of birth, columns = place of
        residence; the diagonal is the native-born population (it may be negative when
        foreign-born exceed the population: such columns are shrunk, as in migest).
    births, deaths : (n,) events during the period by region of residence.
    stayer_assumption : True fixes stayers at min(start, end) (Abel & Sander 2014);
        False fits the independence model with ``seed``.
    seed : (n, n) or (n, n, n) non-negative seed, used only without the stayer assumption.
    match_global : when to balance world totals with births and deaths; "none" skips it.
    match_birthplace_tot_method : how birthplace totals are made equal at both dates.
    birth_method, birth_non_negative, death_method : how births and deaths are
        spread over birthplaces.
    remainder_index : 0-based region receiving the integer rounding remainder of the
        global balance (one int, or one per rescale that has a remainder, in order);
        None = the region with the most native-born. migest draws it at random.
    tolerance : "migest" stops every IPF as migest does (cell change < 1e-3); a float
        runs every IPF to that tolerance.

    Returns
    -------
    FlowEstimate
    """
    s0 = checks.as_matrix("stock_start", stock_start)
    s1 = checks.as_matrix("stock_end", stock_end)
    checks.same_shape(("stock_start", "stock_end"), s0, s1)
    n = s0.shape[0]
    b = checks.as_vector("births", births, n)
    d = checks.as_vector("deaths", deaths, n)
    for name, arr in (("stock_start", s0), ("stock_end", s1)):
        checks.non_negative(name, arr, allow_diagonal=True)
    checks.non_negative("births", b)
    checks.non_negative("deaths", d)
    checks.choice("match_global", match_global, ("before-demo-adjust", "after-demo-adjust", "none"))
    if match_birthplace_tot_method not in ("rescale", "open", "open-dr"):
        raise InvalidOptionError("match_birthplace_tot_method", match_birthplace_tot_method, BROKEN_METHOD)
    checks.choice("birth_method", birth_method, ("native", "proportion"))
    checks.choice("death_method", death_method, ("proportion", "accounting"))
    checks.choice("stayer_assumption", stayer_assumption, (True, False))
    checks.choice("birth_non_negative", birth_non_negative, (True, False))
    tol, _ = checks.tolerance_value(tolerance)
    seed_arr = _seed(seed, n) if not stayer_assumption else None

    steps = Steps(tol=tol, remainder_index=remainder_index)
    s0 = steps.non_negative_natives("stock_start", s0)
    s1 = steps.non_negative_natives("stock_end", s1)
    rescale = match_birthplace_tot_method == "rescale"
    if match_global == "before-demo-adjust" and rescale:
        s0, s1 = steps.balance_before(s0, s1, b, d)
    bmat = steps.births_matrix(s1, b, birth_method, birth_non_negative)
    dmat = steps.deaths_matrix(s0, s1, b, d, death_method)
    s0 = s0 - dmat
    s1 = s1 - bmat
    if match_global == "after-demo-adjust" and rescale:
        s0, s1 = steps.balance_after(s0, s1)
    s0, s1, inflow, outflow = steps.match_birthplace(s0, s1, match_birthplace_tot_method)
    if stayer_assumption:
        flows = steps.flows_with_stayers(s0, s1)
    else:
        assert seed_arr is not None
        flows = steps.flows_independence(s0, s1, seed_arr)
    params: dict[str, object] = {
        "stayer_assumption": stayer_assumption,
        "seed": None if seed is None else "given",
        "match_global": match_global,
        "match_birthplace_tot_method": match_birthplace_tot_method,
        "birth_method": birth_method,
        "birth_non_negative": birth_non_negative,
        "death_method": death_method,
        "remainder_index": steps.remainders_used,
        "tolerance": tolerance,
    }
    return FlowEstimate(
        flows=flows,
        stock_start=s0,
        stock_end=s1,
        births=bmat,
        deaths=dmat,
        inflow=inflow,
        outflow=outflow,
        diagnostics=tuple(steps.diagnostics),
        messages=tuple(steps.messages),
        parameters=params,
    )


def _seed(seed: ArrayLike | None, n: int) -> Array:
    """Expand ``seed`` to a 2-D (shared by every birthplace) or 3-D non-negative array."""
    if seed is None:
        return np.ones((n, n))
    arr = np.array(seed, dtype=np.float64)
    if arr.shape not in ((n, n), (n, n, n)):
        raise ValueError(f"seed must have shape ({n}, {n}) or ({n}, {n}, {n}); got {arr.shape}.")
    if not np.isfinite(arr).all():
        raise ValueError("seed contains missing or infinite values.")
    checks.non_negative("seed", arr)
    return arr
