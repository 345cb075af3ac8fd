"""The adversary: what can be inferred about withheld values from a published table.

Given every published value, the margin equations of every series, identities linking
series and non-negativity, :func:`audit` computes by linear programming (HiGHS) the
feasible interval of each withheld value. Used by the tests to show that steppe's
suppression patterns reveal nothing, and that naive ones do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from steppe.microdata.sdc import Link, Structure


@dataclass(frozen=True)
class Audit:
    """What an adversary can infer about the suppressed values."""

    lower: np.ndarray
    """smallest feasible value of each withheld (edge, series), edge-major order"""
    upper: np.ndarray
    """largest feasible value of each withheld (edge, series)"""
    edges: np.ndarray
    """edge id of each entry"""
    recovered: list[tuple[int, int]]
    """(edge, series) pairs pinned to their true non-zero value"""


def audit(
    structure: Structure,
    values: np.ndarray,
    suppressed: np.ndarray,
    links: Sequence[Link] = (),
) -> Audit:
    """Feasible interval of every suppressed value given everything published.

    The adversary knows every published value, the margin equations of every series,
    the ``links`` between series (applied to every edge) and that counts are >= 0,
    and solves two linear programmes per suppressed value (HiGHS).

    Parameters
    ----------
    suppressed : (n_edges,) pattern shared by all series, or (n_edges, n_series) mask
        withholding single values (to audit patterns other than steppe's own).
    """
    n_edges, n_series = values.shape
    mask = np.asarray(suppressed, dtype=bool)
    if mask.ndim == 1:
        mask = np.repeat(mask[:, None], n_series, axis=1)
    var = np.full(mask.shape, -1)
    var[mask] = np.arange(int(mask.sum()))
    n_var = int(mask.sum())
    sup_edges, sup_series = np.nonzero(mask)
    lower, upper = np.zeros(n_var), np.zeros(n_var)
    if n_var == 0:
        return Audit(lower[:, None], upper[:, None], sup_edges, [])
    a = structure.incidence().tocoo()
    rows: list[int] = []
    cols: list[int] = []
    data: list[float] = []
    rhs: list[float] = []
    eq = 0
    for s in range(n_series):  # margin equations of series s
        b = np.zeros(structure.n_nodes)
        for node, edge, coef in zip(a.row.tolist(), a.col.tolist(), a.data.tolist(), strict=True):
            if mask[edge, s]:
                rows.append(eq + node)
                cols.append(int(var[edge, s]))
                data.append(coef)
            else:
                b[node] -= coef * values[edge, s]
        rhs.extend(b.tolist())
        eq += structure.n_nodes
    for link in links:  # identities linking series, for every edge with an unknown in them
        for edge in range(n_edges):
            terms = [(s, c) for s, c in link.items() if mask[edge, s]]
            if not terms:
                continue
            for s, c in terms:
                rows.append(eq)
                cols.append(int(var[edge, s]))
                data.append(c)
            rhs.append(-float(sum(c * values[edge, s] for s, c in link.items() if not mask[edge, s])))
            eq += 1
    a_eq = sparse.csr_matrix((data, (rows, cols)), shape=(eq, n_var))
    b_eq = np.asarray(rhs)
    recovered: list[tuple[int, int]] = []
    for j in range(n_var):
        objective = np.zeros(n_var)
        objective[j] = 1.0
        lo = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        hi = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        lower[j] = lo.fun if lo.status == 0 else 0.0
        upper[j] = -hi.fun if hi.status == 0 else np.inf
        e, s = int(sup_edges[j]), int(sup_series[j])
        if upper[j] - lower[j] < 1 - 1e-6 and values[e, s] > 0:
            recovered.append((e, s))
    return Audit(lower, upper, sup_edges, recovered)
