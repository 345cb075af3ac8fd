"""Protected tables: withheld cells are flagged and empty, published ones are exact,
and an adversary using the real pipeline's tables recovers nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from steppe.microdata.aggregate import unprotected
from steppe.microdata.audit import audit
from steppe.microdata.limits import default_max_stay
from steppe.microdata.pipeline import CELL
from steppe.microdata.publish import TOTAL, layout, protect_results, write_tables
from steppe.microdata.sdc import protect
from steppe.microdata.synth import synthesize

KEYS = list(CELL)


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    out = tmp_path_factory.mktemp("pub")
    synthesize(out, 1_000_000, seed=11, years=(2023, 2023))
    tables, _, _ = unprotected(out, as_of=date(2023, 12, 31), max_stay=default_max_stay)
    return tables


@pytest.fixture(scope="module")
def protected(raw: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return protect_results(raw, k=10)[0]


def test_withheld_cells_are_flagged_and_empty(protected: dict[str, pd.DataFrame]) -> None:
    for name, df in protected.items():
        measures = [c for c in df.columns if c not in (*KEYS, "year", "month", "suppressed")]
        hidden = df[df.suppressed]
        assert len(hidden) > 0, name
        assert hidden[measures].isna().all().all(), name
        shown = df[~df.suppressed]
        assert shown[measures].notna().all().all(), name
        counts = [m for m in measures if m != "mean_stay_days"]
        small = ((shown[counts] > 0) & (shown[counts] < 10)).any(axis=1)
        assert not small.any(), shown[small].head()
        assert "person_key" not in df.columns


def test_published_values_are_exact(raw: dict[str, pd.DataFrame], protected: dict[str, pd.DataFrame]) -> None:
    f = protected["flows"]
    cells = f[(f.citizenship != TOTAL) & (f.sex != TOTAL) & ~f.suppressed]
    merged = cells.merge(raw["flows"], on=[*KEYS, "year", "month"], suffixes=("", "_raw"))
    assert len(merged) == len(cells) > 100
    for m in ("inflow", "outflow", "stock_end"):
        assert (merged[m] == merged[f"{m}_raw"]).all()
    total = f[(f.citizenship == TOTAL) & (f.region == TOTAL)].set_index("month").inflow
    assert total.sum() == 1_000_000  # the grand total is published
    by_cit = f[(f.region == TOTAL) & (f.citizenship != TOTAL) & ~f.suppressed]
    expect = raw["flows"].groupby(["citizenship", "month"]).inflow.sum()
    got = by_cit.set_index(["citizenship", "month"]).inflow
    assert (got == expect.loc[got.index]).all()


def test_adversary_recovers_nothing_from_pipeline_tables(raw: dict[str, pd.DataFrame]) -> None:
    """Stock, inflow and outflow tables with margins, linked by the stock identity."""
    f = raw["flows"]
    keep = f.citizenship.isin(["UZB", "CHN", "AZE"]) & f.region.isin(["KZ-75", "KZ-71"]) & (f.month <= 2)
    sub = {"flows": f[keep], "stays": raw["stays"].iloc[:0],
           "open_overstays": raw["open_overstays"].iloc[:0]}
    lay = layout(sub)
    prot = protect(lay.structure, lay.matrix, 10, lay.counts)
    values = lay.structure.expand(lay.matrix)
    assert 0 < prot.primary.sum() <= prot.suppressed.sum() < lay.structure.n_edges
    result = audit(lay.structure, values, prot.suppressed, lay.links())
    assert result.recovered == []
    assert len(result.lower) == prot.suppressed.sum() * values.shape[1]
    # the same tables with only the small values withheld do leak
    naive = audit(lay.structure, values, (values > 0) & (values < 10), lay.links())
    assert naive.recovered


def test_write_formats(protected: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    for fmt in ("csv", "json", "parquet"):
        paths = write_tables(protected, tmp_path / fmt, fmt)
        assert sorted(p.name for p in paths) == sorted(f"{n}.{fmt}" for n in protected)
    back = pd.read_parquet(tmp_path / "parquet" / "flows.parquet")
    assert back.suppressed.sum() == protected["flows"].suppressed.sum()
    text = (tmp_path / "csv" / "flows.csv").read_text()
    assert "person_key" not in text
    js = pd.read_json(tmp_path / "json" / "stays.json")
    assert js[js.suppressed].departures.isna().all()


def test_controlled_rounding_of_published_tables(raw: dict[str, pd.DataFrame]) -> None:
    tables, _, _ = protect_results(raw, k=10, round_base=5)
    f = tables["flows"]
    shown = f[~f.suppressed]
    for m in ("inflow", "outflow", "stock_end"):
        assert (shown[m] % 5 == 0).all()
    total = f[(f.citizenship == TOTAL) & (f.region == TOTAL)].set_index("month")
    by_region = f[(f.citizenship == TOTAL) & (f.region != TOTAL)].groupby("month").inflow.sum()
    assert (by_region == total.inflow).all()  # all region margins are published and add up
    assert abs(total.inflow.sum() - 1_000_000) < 5 * 12
    exact = protect_results(raw, k=10)[0]["stays"]
    assert (tables["stays"].mean_stay_days.fillna(-1) == exact.mean_stay_days.fillna(-1)).all()
