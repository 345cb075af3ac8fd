"""Controlled rounding of additive two-way tables (optional, after suppression)."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from steppe.microdata.sdc import Structure


def controlled_round(structure: Structure, values: np.ndarray, base: int) -> np.ndarray:
    """Round every value to a multiple of ``base`` so that margins still add up.

    Each value moves to the multiple just below or just above it (exact multiples do
    not move); rounded cells sum to their rounded margins and total. For a two-way
    structure such a rounding always exists (Cox 1987): it is an integral solution of a
    network-flow system, found per series by the simplex method.

    References
    ----------
    Cox, L. H. (1987). A constructive procedure for unbiased controlled rounding.
    JASA 82(398), 520-524.
    """
    if base < 2:
        raise ValueError(f"base={base} must be an integer of at least 2")
    a = structure.incidence().tocsc()
    out = np.empty(values.shape, dtype=np.float64)
    for j in range(values.shape[1]):
        v = np.rint(values[:, j]).astype(np.int64)
        floor, residue = np.divmod(v, base)
        free = np.flatnonzero(residue > 0)
        up = np.zeros(v.size)
        if free.size:
            # x_e in [0, 1] rounds edge e up: A @ (floor + x) = 0, i.e. A x = (A @ residue) / base
            rhs = (a @ residue) / base
            res = linprog(np.zeros(free.size), A_eq=a[:, free], b_eq=rhs, bounds=(0, 1),
                          method="highs-ds")
            if res.status != 0:
                raise ValueError(f"series {j}: the table is not additive; cannot round it")
            up[free] = np.rint(res.x)  # a vertex of a network system is integral
        out[:, j] = base * (floor + up)
    return out
