"""The steps of the demographic-accounting estimator (METHODS.md §3.3–§3.10).

:class:`Steps` carries the IPF tolerance, the remainder positions and the record of
what was done (IPF diagnostics and data messages); each method is one step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from steppe.flows.checks import Array
from steppe.flows.ipfp import IpfDiagnostics, fit_pob_margins, fit_table
from steppe.flows.rounding import integer_rescale


@dataclass
class Steps:
    """State shared by the estimator steps."""

    tol: float
    remainder_index: int | Sequence[int] | None = None
    diagnostics: list[IpfDiagnostics] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    remainders_used: list[int] = field(default_factory=list)

    def _fit(self, step: str, seed: Array, rows: Array | None, cols: Array | None) -> Array:
        for what, arr in (("seed", seed), ("row targets", rows), ("column targets", cols)):
            if arr is not None and (arr < 0).any():
                raise ValueError(
                    f"{step}: the {what} have negative values (min {float(arr.min()):.6g}); the "
                    "births, deaths and stocks cannot be reconciled. Check the inputs, or use "
                    "birth_non_negative=True / death_method='proportion'."
                )
        out, diag = fit_table(seed, rows, cols, tol=self.tol, step=step)
        self.diagnostics.append(diag)
        return out

    def non_negative_natives(self, name: str, s: Array) -> Array:
        """Shrink foreign-born cells of columns whose native-born cell is negative (§3.3)."""
        bad = np.flatnonzero(np.diag(s) < 0)
        if bad.size == 0:
            return s
        totals = s.sum(axis=0)
        if (totals[bad] < 0).any():
            j = int(bad[totals[bad] < 0][0])
            raise ValueError(
                f"{name}: column {j} has a negative total ({totals[j]:.6g}): the population of "
                "that region is smaller than zero. Fix the population or the stocks."
            )
        clipped = np.where(s < 0, 0.0, s)
        fitted = self._fit("nb_non_zero", clipped, None, totals)
        out = s.copy()
        out[:, bad] = fitted[:, bad]
        self.messages.append(
            f"{name}: more foreign-born than total population in region(s) {bad.tolist()}; "
            "their foreign-born stocks were reduced to give zero native-born."
        )
        return out

    def _remainder(self) -> int | None:
        ri = self.remainder_index
        if ri is None or isinstance(ri, (int, np.integer)):
            return None if ri is None else int(ri)
        k = len(self.remainders_used)
        return int(ri[k]) if k < len(ri) else None

    def _rescale_diag(self, s: Array, total: float) -> Array:
        new, used = integer_rescale(np.diag(s).copy(), total, self._remainder())
        if used is not None:
            self.remainders_used.append(used)
        out = s.copy()
        np.fill_diagonal(out, new)
        return out

    def balance_before(self, s0: Array, s1: Array, b: Array, d: Array) -> tuple[Array, Array]:
        """Make sum(end) − sum(start) = births − deaths by rescaling natives, in integers (§3.4)."""
        nat_change = float(b.sum() - d.sum())
        gap = nat_change - float(s1.sum() - s0.sum())
        r = gap % 2.0
        if np.rint(r) == 0 and r != 0:
            s1 = self._rescale_diag(s1, float(np.trace(s1)) + 1)
            gap = nat_change - float(s1.sum() - s0.sum())
        if gap != 0:
            s0 = self._rescale_diag(s0, float(np.trace(s0)) - gap / 2)
            s1 = self._rescale_diag(s1, float(np.trace(s1)) + gap / 2)
        return s0, s1

    def births_matrix(self, s1: Array, b: Array, method: str, non_negative: bool) -> Array:
        """Births by birthplace × residence (§3.5)."""
        if method == "proportion":
            return self._fit("birth_mat", s1, None, b)
        bmat = np.diag(b)
        flagged = np.flatnonzero(np.diag(s1) - b < 0) if non_negative else np.array([], int)
        if flagged.size:
            spread = self._fit("birth_mat", s1, None, b)
            bmat[:, flagged] = spread[:, flagged]
            self.messages.append(
                f"more births than native-born at the end in region(s) {flagged.tolist()}; "
                "their births were spread over all birthplaces in proportion to the end stocks."
            )
        return bmat

    def deaths_matrix(self, s0: Array, s1: Array, b: Array, d: Array, method: str) -> Array:
        """Deaths by birthplace × residence (§3.6)."""
        if method == "proportion":
            return self._fit("death_mat", s0, None, d)
        rows = s0.sum(axis=1) + b - s1.sum(axis=1)
        if (rows < 0).any():
            k = int(np.flatnonzero(rows < 0)[0])
            raise ValueError(
                f"death_method='accounting' implies {rows[k]:.6g} deaths of people born in region "
                f"{k}; the stocks and births cannot be balanced that way. Use "
                "death_method='proportion'."
            )
        return self._fit("death_mat", s0, rows, d)

    def balance_after(self, s0: Array, s1: Array) -> tuple[Array, Array]:
        """Share the remaining world-total gap over the native-born cells (§3.8)."""
        h = float(s1.sum() - s0.sum())
        n0, n1 = np.diag(s0), np.diag(s1)
        s0, s1 = s0.copy(), s1.copy()
        np.fill_diagonal(s0, n0 + h / 2 * n0 / n0.sum())
        np.fill_diagonal(s1, n1 - h / 2 * n1 / n1.sum())
        return s0, s1

    def match_birthplace(self, s0: Array, s1: Array, method: str) -> tuple[Array, Array, Array, Array]:
        """Equalise the birthplace totals at both dates (§3.9); returns s0, s1, in, out."""
        dd = s0.sum(axis=1) - s1.sum(axis=1)
        zero = np.zeros_like(s0)
        if method == "rescale":
            new0 = self._fit("match_birthplace_tot:start", s0, s0.sum(axis=1) - dd / 2, s0.sum(axis=0))
            new1 = self._fit("match_birthplace_tot:end", s1, s1.sum(axis=1) + dd / 2, s1.sum(axis=0))
            return new0, new1, zero, zero.copy()
        into, out_of = np.maximum(-dd, 0.0), np.maximum(dd, 0.0)
        if method == "open":  # migest's crossed seeds (METHODS.md §0.7)
            inflow = self._fit("match_birthplace_tot:in", s0, into, None)
            outflow = self._fit("match_birthplace_tot:out", s1, out_of, None)
        else:  # "open-dr"
            inflow = self._fit("match_birthplace_tot:in", s1, into, None)
            outflow = self._fit("match_birthplace_tot:out", s0, out_of, None)
        return s0 - outflow, s1 - inflow, inflow, outflow

    def flows_with_stayers(self, s0: Array, s1: Array) -> Array:
        """Quasi-independence flows with stayers = min(start, end) (§3.10a)."""
        stay = np.minimum(s0.T, s1.T)
        x0 = s0.T - stay
        x1 = s1.T - stay
        # a birthplace with movers out but none in (only the rescaling residue left) has
        # nowhere to send them: drop that residue rather than fit inconsistent margins
        lost = (x1.sum(axis=0) == 0) & (x0.sum(axis=0) > 0)
        if lost.any():
            self.messages.append(
                f"birthplace(s) {np.flatnonzero(lost).tolist()}: {x0[:, lost].sum():.3g} movers out "
                "with no movers in (birthplace-total residue); they are left out of the flows."
            )
            x0[:, lost] = 0.0
        x1 = self._fit("rescale_x1", x1, None, x0.sum(axis=0))
        n = s0.shape[0]
        flows, diag = fit_pob_margins(1.0 - np.eye(n), x0, x1, tol=self.tol, step="flows")
        self.diagnostics.append(diag)
        idx = np.arange(n)
        flows[idx, idx, :] = stay
        return flows

    def flows_independence(self, s0: Array, s1: Array, seed: Array) -> Array:
        """Independence-model flows, stayers estimated (§3.10b)."""
        for name, s in (("start", s0), ("end", s1)):
            if (s < 0).any():
                raise ValueError(
                    f"the adjusted {name} stocks have negative cells, which the independence "
                    "model cannot fit; use match_birthplace_tot_method='rescale' or "
                    "stayer_assumption=True."
                )
        flows, diag = fit_pob_margins(seed, s0.T.copy(), s1.T.copy(), tol=self.tol, step="flows")
        self.diagnostics.append(diag)
        return flows
