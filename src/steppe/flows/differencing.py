"""Flows as differences of stock tables (migest's ``ffs_diff``).

References
----------
Beine, M., Bertoli, S. & Fernández-Huertas Moraga, J. (2016). A practitioners' guide to
    gravity models of international migration. The World Economy 39(4).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from steppe.flows import checks
from steppe.flows.checks import Array


def stock_differencing(
    stock_start: ArrayLike,
    stock_end: ArrayLike,
    *,
    decrease: Literal["return", "zero"] = "return",
    include_native_born: bool = False,
) -> Array:
    """Flows from birthplace (rows) to residence (columns) read off the change in stocks.

    Parameters
    ----------
    stock_start, stock_end : (n, n) stock tables, rows = place of birth, columns = residence.
    decrease : "zero" ignores falling stocks; "return" counts a fall in the stock born in j
        living in i as a return flow from i to j.
    include_native_born : keep the diagonal (native-born) in the differences.

    Returns
    -------
    (n, n) array of flows ``[orig, dest]``.
    """
    s0 = checks.as_matrix("stock_start", stock_start)
    s1 = checks.as_matrix("stock_end", stock_end)
    checks.same_shape(("stock_start", "stock_end"), s0, s1)
    checks.non_negative("stock_start", s0, allow_diagonal=True)
    checks.non_negative("stock_end", s1, allow_diagonal=True)
    checks.choice("decrease", decrease, ("return", "zero"))
    checks.choice("include_native_born", include_native_born, (True, False))
    if not include_native_born:
        s0, s1 = s0.copy(), s1.copy()
        np.fill_diagonal(s0, 0.0)
        np.fill_diagonal(s1, 0.0)
    delta = s1 - s0
    flows = np.maximum(delta, 0.0)
    if decrease == "return":
        flows = flows + np.maximum(-delta.T, 0.0)
    return flows
