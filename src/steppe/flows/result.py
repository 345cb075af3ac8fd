"""The frozen result of the demographic-accounting estimator."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from steppe.flows.checks import Array
from steppe.flows.ipfp import IpfDiagnostics


@dataclass(frozen=True)
class FlowEstimate:
    """Flows estimated from two stock tables, with every intermediate table kept.

    All n×n tables have rows = place of birth and columns = place of residence,
    except ``flows``.
    """

    flows: Array
    """(n, n, n) ``[orig, dest, pob]``: residence at start × residence at end × birthplace;
    ``flows[a, a, k]`` are stayers."""
    stock_start: Array
    """Start stocks after every adjustment (S0*), whose margins the flows reproduce."""
    stock_end: Array
    """End stocks after every adjustment (S1*)."""
    births: Array
    """Births by birthplace (rows) and residence (columns) removed from the end stocks."""
    deaths: Array
    """Deaths by birthplace and residence removed from the start stocks."""
    inflow: Array
    """People entering the system ("open" methods; zero otherwise), taken off the end stocks."""
    outflow: Array
    """People leaving the system ("open" methods; zero otherwise), taken off the start stocks."""
    diagnostics: tuple[IpfDiagnostics, ...]
    """Every IPF call in order: sweeps, convergence, final margin errors."""
    messages: tuple[str, ...] = ()
    """Data adjustments made on the way (negative native-born, too many births)."""
    parameters: Mapping[str, object] = field(default_factory=dict)
    """The options used, for provenance."""

    def od(self) -> Array:
        """Origin–destination table (n, n): flows summed over birthplace, zero diagonal."""
        od = self.flows.sum(axis=2)
        np.fill_diagonal(od, 0.0)
        return od

    def account(self) -> Array:
        """The full demographic account, (n+2, n+2, n), in migest's ``return = "account"`` layout.

        Rows are the regions then ``birth``, ``outside``; columns the regions then
        ``death``, ``outside``. As in migest 2.0.5 the births block is indexed
        ``[birth, j, k] = births[j, k]`` and the ``inflow`` table sits in the
        to-outside column, the ``outflow`` table in the from-outside row.
        """
        n = self.flows.shape[0]
        acc = np.zeros((n + 2, n + 2, n))
        acc[:n, :n, :] = self.flows
        acc[n, :n, :] = self.births
        acc[n + 1, :n, :] = self.outflow.T
        acc[:n, n, :] = self.deaths.T
        acc[:n, n + 1, :] = self.inflow.T
        return acc
