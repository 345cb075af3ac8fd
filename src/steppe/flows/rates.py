"""Flows from stock shares or stock-change rates (migest's ``ffs_rates``).

References
----------
Dennett, A. (2016). Estimating an annual time series of global migration flows. Population,
    Space and Place 22(6).
Rogers, A. & von Rabenau, B. (1971). Estimation of interregional migration streams from
    place-of-birth-by-residence data. Demography 8(2).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from steppe.errors import InvalidOptionError
from steppe.flows import checks
from steppe.flows.checks import Array


def migration_rates(
    stock_start: ArrayLike,
    stock_end: ArrayLike | None = None,
    *,
    method: Literal["dennett", "rogers-von-rabenau"] = "dennett",
    flow_total: float | None = None,
) -> Array:
    """Origin–destination flows (n, n) with a zero diagonal.

    Parameters
    ----------
    stock_start : (n, n) stocks, rows = place of birth, columns = residence.
    stock_end : (n, n) end stocks; needed by "rogers-von-rabenau".
    method : "dennett" shares ``flow_total`` in proportion to the foreign-born stocks;
        "rogers-von-rabenau" solves ``stock_start · g = stock_end`` (may give negative flows).
    flow_total : the global flow total, needed by "dennett".
    """
    checks.choice("method", method, ("dennett", "rogers-von-rabenau"))
    s0 = checks.as_matrix("stock_start", stock_start)
    checks.non_negative("stock_start", s0, allow_diagonal=True)
    if method == "dennett":
        if flow_total is None or not np.isfinite(flow_total) or flow_total < 0:
            raise InvalidOptionError("flow_total", flow_total, "a non-negative number (the global flow total) for method='dennett'")
        p = s0.copy()
        np.fill_diagonal(p, 0.0)
        total = p.sum()
        if total <= 0:
            raise ValueError("stock_start has no foreign-born stocks to share flow_total over.")
        return float(flow_total) * p / total
    if stock_end is None:
        raise InvalidOptionError("stock_end", None, "an (n, n) table for method='rogers-von-rabenau'")
    s1 = checks.as_matrix("stock_end", stock_end)
    checks.same_shape(("stock_start", "stock_end"), s0, s1)
    try:
        g = np.linalg.solve(s0, s1)
    except np.linalg.LinAlgError as exc:
        raise ValueError("stock_start is singular; the Rogers-von Rabenau rates are undefined.") from exc
    flows = g * s0.sum(axis=0)[:, None]
    np.fill_diagonal(flows, 0.0)
    return flows
