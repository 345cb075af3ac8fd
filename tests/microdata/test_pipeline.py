"""The Ibis pipeline on DuckDB against an independent record-by-record computation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from steppe.microdata import backends, pipeline
from steppe.microdata.aggregate import unprotected
from steppe.microdata.limits import default_max_stay
from steppe.microdata.schema import REGISTRATIONS

CELL = list(pipeline.CELL)


@pytest.fixture(scope="module")
def records(small_records: Path) -> pd.DataFrame:
    t = pq.read_table(small_records / "registrations", schema=REGISTRATIONS.arrow_schema()).to_pandas()
    for c in ("registration_date", "deregistration_date"):
        t[c] = pd.to_datetime(t[c])
    return t


@pytest.fixture(scope="module")
def result(small_records: Path) -> dict[str, pd.DataFrame]:
    raw, n, _ = unprotected(small_records, "duckdb", as_of=date(2023, 12, 31), max_stay=default_max_stay)
    assert n == 20_000
    return raw


def month_index(s: pd.Series) -> np.ndarray:
    return (s.dt.year * 12 + s.dt.month - 1).to_numpy(dtype="float64")


def test_flows_equal_direct_counts(records: pd.DataFrame, result: dict[str, pd.DataFrame]) -> None:
    flows = result["flows"]
    reg, dereg = month_index(records.registration_date), month_index(records.deregistration_date)
    months = np.arange(2022 * 12, 2024 * 12)
    assert len(flows) == records[CELL].drop_duplicates().shape[0] * months.size
    cells = records[CELL].drop_duplicates().sample(40, random_state=1)
    for cell in cells.itertuples(index=False):
        mine = (records[CELL] == pd.Series(cell._asdict())).all(axis=1).to_numpy()
        got = flows[(flows[CELL] == pd.Series(cell._asdict())).all(axis=1)]
        got_m = (got.year * 12 + got.month - 1).to_numpy()
        r, d = reg[mine], dereg[mine]
        inflow = [(r == m).sum() for m in got_m]
        outflow = [(d == m).sum() for m in got_m]
        stock = [((r <= m) & ~(d <= m)).sum() for m in got_m]  # NaN (open) compares False
        assert got.inflow.tolist() == inflow
        assert got.outflow.tolist() == outflow
        assert got.stock_end.tolist() == stock
    totals = flows.groupby(["year", "month"])[["inflow", "outflow"]].sum()
    assert totals.inflow.sum() == len(records)
    assert totals.outflow.sum() == records.deregistration_date.notna().sum()


def test_stock_identity(result: dict[str, pd.DataFrame]) -> None:
    f = result["flows"].sort_values([*CELL, "year", "month"])
    prev = f.groupby(CELL).stock_end.shift(1, fill_value=0)
    assert (f.stock_end == prev + f.inflow - f.outflow).all()


def test_stays_and_overstays(records: pd.DataFrame, result: dict[str, pd.DataFrame]) -> None:
    done = records.dropna(subset=["deregistration_date"]).copy()
    done["days"] = (done.deregistration_date - done.registration_date).dt.days
    limit = [default_max_stay(c, "KAZ", d.date()) for c, d in zip(done.citizenship, done.registration_date, strict=True)]
    done["over"] = [lim is not None and days > lim for lim, days in zip(limit, done.days, strict=True)]
    done["year"] = done.deregistration_date.dt.year
    expect = done.groupby([*CELL, "year"]).agg(
        departures=("days", "size"), stay_days=("days", "sum"), overstays=("over", "sum"),
        d_lt_90=("days", lambda x: (x < 90).sum()), d_365_plus=("days", lambda x: (x >= 365).sum()),
    ).reset_index()
    got = result["stays"].merge(expect, on=[*CELL, "year"], suffixes=("", "_x"))
    assert len(got) == len(expect) == len(result["stays"])
    for c in ("departures", "stay_days", "overstays", "d_lt_90", "d_365_plus"):
        assert (got[c] == got[f"{c}_x"]).all(), c
    assert got.overstays.sum() > 0
    bands = got[["d_lt_90", "d_90_179", "d_180_364", "d_365_plus"]].sum(axis=1)
    assert (bands == got.departures).all()


def test_open_overstays(records: pd.DataFrame, result: dict[str, pd.DataFrame]) -> None:
    as_of = pd.Timestamp("2023-12-31")
    still = records[records.deregistration_date.isna() | (records.deregistration_date > as_of)]
    days = (as_of - still.registration_date).dt.days
    over = still[[default_max_stay(c, "KAZ", d.date()) is not None and n > 90
                  for c, d, n in zip(still.citizenship, still.registration_date, days, strict=True)]]
    assert result["open_overstays"].overstaying.sum() == len(over)
    assert not set(result["open_overstays"].citizenship) & {"RUS", "KGZ", "BLR", "ARM"}


def test_missing_folder_is_explained(tmp_path: Path) -> None:
    from steppe.errors import SourceFileError

    con = backends.connect("duckdb")
    with pytest.raises(SourceFileError, match="steppe microdata synth"):
        backends.read_registrations(con, tmp_path)
