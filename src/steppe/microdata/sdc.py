"""Statistical disclosure control for count tables: pure functions on arrays.

The published tables are a two-way structure repeated over many *series* (every
month and measure): cells indexed by a row key (citizenship) and a column key
(region; several cells may share both, e.g. sex x age), the row margins, the column
margins and the grand total. Each margin equation involves exactly two kinds of
quantity, so the whole system is a bipartite graph whose *edges* are the published
quantities and whose *nodes* are the equations (Cox 1980; Castro 2006):

* node ``r`` (one per row): cells of row r minus row margin r = 0
* node ``c`` (one per column): cells of column c minus column margin c = 0
* node ``R``: row margins minus total = 0; node ``C``: column margins minus total = 0

A suppressed quantity can be solved for exactly from the published ones iff its edge
is a *bridge* of the graph of suppressed edges. :func:`secondary` therefore adds the
cheapest path of published edges (Dijkstra) between the ends of each bridge until no
bridge is left, and then, series by series, until every withheld non-zero value lies on
a cycle of withheld non-zero values (so non-negativity cannot pin it). The pattern is
the same for every series (whole time series of a cell
are suppressed together), so identities linking series -- stock(m) = stock(m-1) +
inflow(m) - outflow(m), departures = sum of duration bands -- only ever link unknowns
of the same cell. :func:`steppe.microdata.audit.audit` plays the adversary: with every published number, the
margins, non-negativity and the linking identities it computes by linear programming
the feasible interval of each suppressed value.

References
----------
Cox, L. H. (1980). Suppression methodology and statistical disclosure control.
JASA 75(370), 377-385.
Castro, J. (2006). Minimum-distance controlled perturbation methods for large-scale
tabular data protection. EJOR 171(1), 39-52.
Hundepool, A. et al. (2012). Statistical Disclosure Control. Wiley, ch. 4.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
from scipy import sparse

Link = dict[int, float]
"""a linear identity among series of one quantity: {series index: coefficient} = 0"""


@dataclass(frozen=True)
class Structure:
    """The two-way structure of a table: which row and column each cell belongs to."""

    row: np.ndarray
    """(n_cells,) row index of each cell"""
    col: np.ndarray
    """(n_cells,) column index of each cell"""
    n_rows: int
    n_cols: int

    @property
    def n_cells(self) -> int:
        return int(self.row.size)

    @property
    def n_edges(self) -> int:
        """Cells, then row margins, column margins and the total."""
        return self.n_cells + self.n_rows + self.n_cols + 1

    @property
    def n_nodes(self) -> int:
        return self.n_rows + self.n_cols + 2

    def ends(self) -> tuple[np.ndarray, np.ndarray]:
        """(child node, parent node) of every edge; nodes: rows, columns, R, C."""
        r_node, c_node = self.n_rows + self.n_cols, self.n_rows + self.n_cols + 1
        rows, cols = np.arange(self.n_rows), self.n_rows + np.arange(self.n_cols)
        u = np.concatenate([self.row, rows, cols, [r_node]])
        v = np.concatenate([self.n_rows + self.col, np.full(self.n_rows, r_node),
                            np.full(self.n_cols, c_node), [c_node]])
        return u.astype(np.int64), v.astype(np.int64)

    def incidence(self) -> sparse.csr_matrix:
        """(n_nodes, n_edges) matrix A with A @ values = 0 for consistent tables."""
        cells = np.arange(self.n_cells)
        m_rows = self.n_cells + np.arange(self.n_rows)
        m_cols = self.n_cells + self.n_rows + np.arange(self.n_cols)
        total = self.n_edges - 1
        r_node, c_node = self.n_rows + self.n_cols, self.n_rows + self.n_cols + 1
        rows_i = np.concatenate([self.row, self.n_rows + self.col, np.arange(self.n_rows),
                                 self.n_rows + np.arange(self.n_cols), np.full(self.n_rows, r_node),
                                 np.full(self.n_cols, c_node), [r_node, c_node]])
        cols_i = np.concatenate([cells, cells, m_rows, m_cols, m_rows, m_cols, [total, total]])
        data = np.concatenate([np.ones(2 * self.n_cells), -np.ones(self.n_rows + self.n_cols),
                               np.ones(self.n_rows + self.n_cols), [-1.0, -1.0]])
        return sparse.csr_matrix((data, (rows_i, cols_i)), shape=(self.n_nodes, self.n_edges))

    def expand(self, cells: np.ndarray) -> np.ndarray:
        """(n_edges, n_series) values: the cells followed by their margins and total."""
        cells = np.asarray(cells, dtype=np.float64).reshape(self.n_cells, -1)
        by_row = np.zeros((self.n_rows, cells.shape[1]))
        by_col = np.zeros((self.n_cols, cells.shape[1]))
        np.add.at(by_row, self.row, cells)
        np.add.at(by_col, self.col, cells)
        return np.vstack([cells, by_row, by_col, cells.sum(axis=0, keepdims=True)])


def primary(values: np.ndarray, k: int, counts: np.ndarray | None = None) -> np.ndarray:
    """Edges with a count in ``1..k-1`` in any series (``counts`` masks count series)."""
    v = values if counts is None else values[:, np.asarray(counts, dtype=bool)]
    return np.asarray(((v > 0) & (v < k)).any(axis=1), dtype=bool)


def bridges(u: np.ndarray, v: np.ndarray, active: np.ndarray, n_nodes: int) -> list[int]:
    """Edge ids among ``active`` edges that are bridges of that multigraph (Tarjan)."""
    adj: list[list[tuple[int, int]]] = [[] for _ in range(n_nodes)]
    for e in np.flatnonzero(active).tolist():
        adj[int(u[e])].append((int(v[e]), e))
        adj[int(v[e])].append((int(u[e]), e))
    disc = [-1] * n_nodes
    low = [0] * n_nodes
    found: list[int] = []
    clock = 0
    for root in range(n_nodes):
        if disc[root] != -1 or not adj[root]:
            continue
        disc[root] = low[root] = clock
        clock += 1
        stack = [(root, -1, iter(adj[root]))]
        while stack:
            node, via, it = stack[-1]
            for nxt, e in it:
                if e == via:
                    continue
                if disc[nxt] == -1:
                    disc[nxt] = low[nxt] = clock
                    clock += 1
                    stack.append((nxt, e, iter(adj[nxt])))
                    break
                low[node] = min(low[node], disc[nxt])
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > disc[parent]:
                        found.append(via)
    return found


def _cheapest_path(
    u: np.ndarray, v: np.ndarray, cost: np.ndarray, source: int, target: int, n_nodes: int
) -> list[int]:
    """Edge ids of the cheapest path (finite costs only) from source to target."""
    adj: list[list[tuple[int, int]]] = [[] for _ in range(n_nodes)]
    for e in np.flatnonzero(np.isfinite(cost)).tolist():
        adj[int(u[e])].append((int(v[e]), e))
        adj[int(v[e])].append((int(u[e]), e))
    dist = np.full(n_nodes, np.inf)
    back = [-1] * n_nodes
    dist[source] = 0.0
    heap = [(0.0, source)]
    while heap:
        d, node = heapq.heappop(heap)
        if node == target:
            break
        if d > dist[node]:
            continue
        for nxt, e in adj[node]:
            nd = d + cost[e]
            if nd < dist[nxt]:
                dist[nxt], back[nxt] = nd, e
                heapq.heappush(heap, (nd, nxt))
    if not np.isfinite(dist[target]):
        return []
    path: list[int] = []
    node = target
    while node != source:
        e = back[node]
        path.append(e)
        node = int(u[e]) if int(v[e]) == node else int(v[e])
    return path


def edge_cost(values: np.ndarray, n_cells: int, margin_weight: float = 10.0) -> np.ndarray:
    """Information lost by suppressing each edge: its total, heavily penalising zeros
    (a zero partner can pin a suppressed value) and margins."""
    zeros = (values == 0).sum(axis=1)
    cost = values.sum(axis=1) + 1.0 + 1e4 * zeros
    cost[n_cells:] *= margin_weight
    return np.asarray(cost, dtype=np.float64)


def _close_bridges(
    structure: Structure, s: np.ndarray, base: np.ndarray, usable: np.ndarray, targets: np.ndarray
) -> bool:
    """Add cheapest paths over ``usable`` edges until no ``targets`` edge is a bridge of
    the suppressed ``usable`` edges; returns False if some bridge cannot be closed."""
    u, v = structure.ends()
    while True:
        found = [e for e in bridges(u, v, s & usable, structure.n_nodes) if targets[e]]
        if not found:
            return True
        e = found[0]
        cost = np.where(s, 1e-9, base)
        cost[~usable] = np.inf
        cost[e] = np.inf
        path = _cheapest_path(u, v, cost, int(u[e]), int(v[e]), structure.n_nodes)
        if not path:
            return False
        s[path] = True


def secondary(structure: Structure, values: np.ndarray, suppressed: np.ndarray) -> np.ndarray:
    """Extend ``suppressed`` until no withheld value can be solved for.

    First no suppressed edge may be a bridge (solvable from the margins alone); then, in
    every series, each withheld non-zero value must lie on a cycle of withheld values
    that are all non-zero in that series, so that it can move both up and down (by at
    least 1) without any value turning negative. An edge that cannot be covered that
    way makes the whole table withheld.
    """
    s = np.asarray(suppressed, dtype=bool).copy()
    base = edge_cost(values, structure.n_cells)
    everything = np.ones_like(s)
    if not _close_bridges(structure, s, base, everything, everything):
        s[:] = True
        return s
    for _ in range(10):  # new paths in one series may open a gap in an earlier one
        before = s.copy()
        for j in range(values.shape[1]):
            positive = values[:, j] > 0
            if not (s & positive).any():
                continue
            if not _close_bridges(structure, s, base, positive, positive):
                s[:] = True
                return s
        if (s == before).all():
            return s
    s[:] = True
    return s


@dataclass(frozen=True)
class Protection:
    """The suppression pattern of a table."""

    suppressed: np.ndarray
    """(n_edges,) True where the value is withheld"""
    primary: np.ndarray
    """(n_edges,) True where the value itself is below k"""
    k: int


def protect(
    structure: Structure, cells: np.ndarray, k: int = 10, counts: np.ndarray | None = None
) -> Protection:
    """Primary then secondary suppression of the table ``cells`` (n_cells, n_series).

    Parameters
    ----------
    structure : rows and columns of the cells.
    cells : counts (and magnitudes) of every cell in every series.
    k : threshold; a count in ``1..k-1`` is withheld.
    counts : (n_series,) True for count series (magnitudes do not trigger suppression).
    """
    if k < 1:
        raise ValueError(f"k={k} must be a positive integer (default 10)")
    values = structure.expand(cells)
    first = primary(values, k, counts)
    return Protection(secondary(structure, values, first), first, k)
