"""Seeded synthetic inputs of realistic shape, for tests, benchmarks and coverage studies.

Populations are log-normal (10⁴ to 10⁹), about 3.5 % of people live abroad, bilateral
stocks follow a gravity pattern with many empty corridors, and the end stocks are
the start stocks moved forward by five years of births, deaths and migration.
All counts are whole persons.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from steppe.flows.checks import Array


@dataclass(frozen=True)
class StockPair:
    """Two stock tables (rows = place of birth, columns = residence) and period events."""

    stock_start: Array
    stock_end: Array
    births: Array
    deaths: Array


def stock_pair(n: int, seed: int = 0, *, balanced: bool = False) -> StockPair:
    """Synthetic inputs for ``n`` regions.

    Parameters
    ----------
    n : number of regions (≥ 2).
    seed : random seed.
    balanced : adjust the end natives of the largest region so that the change in world
        population equals births − deaths exactly (no global rounding step is needed).
    """
    rng = np.random.default_rng(seed)
    pop = np.rint(np.exp(rng.normal(15.5, 2.0, n)).clip(1e4, 1.4e9))
    xy = rng.uniform(0, 1, (n, 2))
    dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1)) + 0.05
    attract = rng.lognormal(0, 1, n)
    weight = (pop[:, None] ** 0.7) * (pop[None, :] ** 0.5) * attract[None, :] / dist**1.5
    np.fill_diagonal(weight, 0)
    weight *= rng.uniform(size=(n, n)) > 0.35  # many empty corridors
    share = rng.uniform(0.005, 0.12, n)  # foreign-born share by residence
    foreign = weight / np.maximum(weight.sum(axis=0), 1e-300) * (share * pop)[None, :]
    s0 = np.rint(foreign)
    np.fill_diagonal(s0, 0)
    np.fill_diagonal(s0, pop - s0.sum(axis=0))
    births = np.rint(pop * rng.uniform(0.03, 0.15, n))
    deaths = np.rint(pop * rng.uniform(0.02, 0.06, n))
    growth = rng.lognormal(0.0, 0.25, (n, n))
    s1 = np.rint(s0 * growth)
    np.fill_diagonal(s1, np.rint(np.diag(s0) * rng.uniform(0.97, 1.06, n)))
    np.fill_diagonal(s1, np.maximum(np.diag(s1), births * 1.1))
    if balanced:
        gap = (births.sum() - deaths.sum()) - (s1.sum() - s0.sum())
        k = int(np.argmax(np.diag(s1)))
        s1[k, k] += gap
    return StockPair(s0, s1, births, deaths)
