"""From unprotected pipeline tables to protected, publishable ones.

All three tables (``flows``, ``stays``, ``open_overstays``) share one suppression
pattern over the cells citizenship x region x sex x age_group: a cell withheld in
one is withheld in all, for every month and year, so no identity between them
(stock(m) = stock(m-1) + inflow(m) - outflow(m); departures in a year = outflows in
its months = the sum of the duration bands) can reveal it. Each table is published
with its margins: rows whose ``region``, ``sex`` and ``age_group`` are ``_T`` are
totals by citizenship, rows whose ``citizenship``, ``sex`` and ``age_group`` are ``_T``
totals by region, and the all-``_T`` row the grand total. Withheld values are empty
(null) and flagged ``suppressed``; they are never written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from steppe.errors import InvalidOptionError
from steppe.microdata.pipeline import CELL
from steppe.microdata.rounding import controlled_round
from steppe.microdata.sdc import Link, Protection, Structure, protect

TOTAL = "_T"
FLOW_MEASURES = ("inflow", "outflow", "stock_end")
STAY_MEASURES = ("departures", "stay_days", "d_lt_90", "d_90_179", "d_180_364", "d_365_plus", "overstays")
Format = Literal["csv", "json", "parquet"]
FORMATS = ("csv", "json", "parquet")


@dataclass(frozen=True)
class Layout:
    """How pipeline tables map to the columns (series) of the protection matrix."""

    cells: pd.DataFrame
    """the cells (CELL columns), in matrix row order"""
    months: list[tuple[int, int]]
    """(year, month) of the flow series"""
    years: list[int]
    """departure years of the stay series"""
    matrix: np.ndarray
    """(n_cells, n_series) values"""
    counts: np.ndarray
    """(n_series,) True for count series"""
    structure: Structure

    def flow_col(self, measure: str, i: int) -> int:
        return FLOW_MEASURES.index(measure) * len(self.months) + i

    def stay_col(self, measure: str, j: int) -> int:
        return 3 * len(self.months) + STAY_MEASURES.index(measure) * len(self.years) + j

    def links(self) -> list[Link]:
        """Identities between series that an adversary can use."""
        out: list[Link] = []
        for i in range(1, len(self.months)):
            out.append({self.flow_col("stock_end", i): 1.0, self.flow_col("stock_end", i - 1): -1.0,
                        self.flow_col("inflow", i): -1.0, self.flow_col("outflow", i): 1.0})
        for j, year in enumerate(self.years):
            bands: Link = {self.stay_col(b, j): 1.0 for b in STAY_MEASURES[2:6]}
            out.append({**bands, self.stay_col("departures", j): -1.0})
            same = [i for i, (y, _) in enumerate(self.months) if y == year]
            if same:
                out.append({self.stay_col("departures", j): -1.0,
                            **{self.flow_col("outflow", i): 1.0 for i in same}})
        return out


def layout(results: dict[str, pd.DataFrame]) -> Layout:
    """Arrange the pipeline's tables as one cells x series matrix."""
    flows = results["flows"]
    cells = flows[list(CELL)].drop_duplicates().sort_values(list(CELL)).reset_index(drop=True)
    index = pd.MultiIndex.from_frame(cells)
    months = sorted({(int(y), int(m)) for y, m in zip(flows.year, flows.month, strict=True)})
    wide = flows.pivot_table(index=list(CELL), columns=["year", "month"], values=list(FLOW_MEASURES),
                             aggfunc="sum", fill_value=0)
    parts = [wide[m].reindex(index=index, columns=pd.MultiIndex.from_tuples(months), fill_value=0)
             for m in FLOW_MEASURES]
    stays = results["stays"]
    years = sorted(int(y) for y in stays.year.unique())
    if len(stays):
        sw = stays.pivot_table(index=list(CELL), columns="year", values=list(STAY_MEASURES),
                               aggfunc="sum", fill_value=0)
        parts += [sw[m].reindex(index=index, columns=years, fill_value=0) for m in STAY_MEASURES]
    ov = results["open_overstays"].set_index(list(CELL))["overstaying"].reindex(index, fill_value=0)
    parts.append(ov.to_frame())
    matrix = np.hstack([p.to_numpy(dtype=np.float64) for p in parts])
    counts = np.ones(matrix.shape[1], dtype=bool)
    for j in range(len(years)):
        counts[3 * len(months) + STAY_MEASURES.index("stay_days") * len(years) + j] = False
    cit = pd.Categorical(cells.citizenship)
    reg = pd.Categorical(cells.region)
    structure = Structure(cit.codes.astype(np.int64), reg.codes.astype(np.int64),
                          len(cit.categories), len(reg.categories))
    return Layout(cells, months, years, matrix, counts, structure)


def _edge_keys(lay: Layout) -> pd.DataFrame:
    st = lay.structure
    cit = sorted(lay.cells.citizenship.unique())
    reg = sorted(lay.cells.region.unique())
    t = [TOTAL]
    rows = pd.DataFrame({"citizenship": cit, "region": TOTAL, "sex": TOTAL, "age_group": TOTAL})
    cols = pd.DataFrame({"citizenship": TOTAL, "region": reg, "sex": TOTAL, "age_group": TOTAL})
    total = pd.DataFrame({"citizenship": t, "region": t, "sex": t, "age_group": t})
    keys = pd.concat([lay.cells, rows, cols, total], ignore_index=True)
    assert len(keys) == st.n_edges
    return keys


def published(lay: Layout, prot: Protection, round_base: int = 0) -> dict[str, pd.DataFrame]:
    """The protected tables: withheld values are null and ``suppressed`` is True.

    With ``round_base`` >= 2 every count is controlled-rounded to that base
    (:func:`steppe.microdata.sdc.controlled_round`): rounded cells add up to the rounded
    margins. Mean stays are computed before rounding.
    """
    values = lay.structure.expand(lay.matrix)
    exact = values.copy()
    if round_base:
        counts = np.flatnonzero(lay.counts)
        values[:, counts] = controlled_round(lay.structure, values[:, counts], round_base)
    keys = _edge_keys(lay)
    keys["suppressed"] = prot.suppressed
    out: dict[str, pd.DataFrame] = {}
    frames = []
    for i, (year, month) in enumerate(lay.months):
        f = keys.assign(year=year, month=month)
        for m in FLOW_MEASURES:
            f[m] = values[:, lay.flow_col(m, i)]
        frames.append(f)
    out["flows"] = pd.concat(frames, ignore_index=True)
    frames = []
    for j, year in enumerate(lay.years):
        f = keys.assign(year=year)
        for m in STAY_MEASURES:
            f[m] = values[:, lay.stay_col(m, j)]
        frames.append(f)
    stays = pd.concat(frames, ignore_index=True) if frames else keys.iloc[:0].assign(year=0)
    if lay.years:
        days = np.concatenate([exact[:, lay.stay_col("stay_days", j)] for j in range(len(lay.years))])
        deps = np.concatenate([exact[:, lay.stay_col("departures", j)] for j in range(len(lay.years))])
        with np.errstate(invalid="ignore", divide="ignore"):
            stays["mean_stay_days"] = np.round(days / deps, 1)
    out["stays"] = stays
    out["open_overstays"] = keys.assign(overstaying=values[:, -1])
    for name, df in list(out.items()):
        measures = [c for c in df.columns if c not in (*CELL, "year", "month", "suppressed")]
        for m in measures:
            col = df[m].where(~df["suppressed"])
            df[m] = col.round(1) if m == "mean_stay_days" else col.round().astype("Int64")
        out[name] = df.drop(columns=[c for c in ("stay_days",) if c in df.columns])
    return out


def protect_results(
    results: dict[str, pd.DataFrame], k: int = 10, round_base: int = 0
) -> tuple[dict[str, pd.DataFrame], Layout, Protection]:
    """Protect the pipeline's tables with threshold ``k`` (and optional controlled
    rounding to ``round_base``); see the module docstring."""
    lay = layout(results)
    prot = protect(lay.structure, lay.matrix, k, lay.counts)
    return published(lay, prot, round_base), lay, prot


def write_tables(tables: dict[str, pd.DataFrame], out: Path, fmt: str) -> list[Path]:
    """Write each table as ``out/<name>.<fmt>``; returns the paths."""
    if fmt not in FORMATS:
        raise InvalidOptionError("format", fmt, FORMATS)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, df in tables.items():
        path = out / f"{name}.{fmt}"
        if fmt == "csv":
            df.to_csv(path, index=False)
        elif fmt == "json":
            df.to_json(path, orient="records", indent=None)
        else:
            df.to_parquet(path, index=False)
        paths.append(path)
    return paths
