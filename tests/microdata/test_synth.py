"""The generator: deterministic, valid records, real corridor shares, seasonality."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from steppe.errors import InvalidOptionError
from steppe.microdata.schema import REGISTRATIONS
from steppe.microdata.synth import (
    FALLBACK_CORRIDORS,
    corridors_from_warehouse,
    fallback_corridors,
    registrations_chunk,
    synthesize,
)
from steppe.microdata.validate import validate_table


def read(root: Path) -> pd.DataFrame:
    return pq.read_table(root / "registrations", schema=REGISTRATIONS.arrow_schema()).to_pandas()


def test_records_pass_validation_and_are_partitioned(small_records: Path) -> None:
    table = pq.read_table(small_records / "registrations", schema=REGISTRATIONS.arrow_schema())
    assert table.num_rows == 20_000
    res = validate_table(table, REGISTRATIONS)
    assert res.ok, res.counts
    folders = {p.parent.relative_to(small_records / "registrations").as_posix()
               for p in (small_records / "registrations").rglob("*.parquet")}
    assert "reg_year=2022/reg_month=4" in folders and len(folders) == 24
    # each file holds only its own month
    df = duckdb.sql(
        f"SELECT reg_year = year(registration_date) AND reg_month = month(registration_date) AS ok "
        f"FROM read_parquet('{small_records}/registrations/**/*.parquet', hive_partitioning=true)"
    ).df()
    assert df.ok.all()


def test_same_seed_same_records(tmp_path: Path) -> None:
    synthesize(tmp_path / "a", 3000, seed=5, chunk_rows=1000)
    synthesize(tmp_path / "b", 3000, seed=5, chunk_rows=1000)
    synthesize(tmp_path / "c", 3000, seed=6, chunk_rows=1000)
    key = ["person_key"]
    a, b, c = (read(tmp_path / x).sort_values(key).reset_index(drop=True) for x in "abc")
    pd.testing.assert_frame_equal(a, b)
    assert not a.person_key.equals(c.person_key)


def test_existing_output_needs_overwrite(tmp_path: Path) -> None:
    synthesize(tmp_path, 100, seed=1)
    with pytest.raises(InvalidOptionError, match="registrations"):
        synthesize(tmp_path, 100, seed=1)
    synthesize(tmp_path, 50, seed=1, overwrite=True)
    assert len(read(tmp_path)) == 50


def test_shape_corridors_and_seasonality() -> None:
    corr = fallback_corridors()
    t = registrations_chunk(np.random.default_rng(0), 200_000, corr, "KAZ", (2020, 2023)).to_pandas()
    shares = t.citizenship.astype(str).value_counts(normalize=True)
    total = sum(v[0] for v in FALLBACK_CORRIDORS.values())
    assert shares["UZB"] == pytest.approx(744161 / total, abs=0.005)
    assert shares["TJK"] == pytest.approx(27922 / total, abs=0.002)
    work = t[t.purpose.astype(str) == "work"]
    by_month = work.registration_date.map(lambda d: d.month).value_counts(normalize=True)
    assert by_month[[3, 4, 5]].sum() > 0.35 and by_month[[3, 4, 5]].sum() > 3 * by_month[[12, 1]].sum()
    left = t.deregistration_date.dropna().map(lambda d: d.month).value_counts(normalize=True)
    assert left[[10, 11, 12]].sum() > 0.45  # autumn/winter outflows
    assert (t.deregistration_date.dropna() >= t.registration_date[t.deregistration_date.notna()]).all()


def test_corridors_from_warehouse_match_un_desa(shared_data: Path, tmp_path: Path) -> None:
    """Shares read from a warehouse loaded with UN DESA 2024 rows equal the published ones."""
    from steppe.warehouse import Warehouse
    from steppe.warehouse.loads import append_stock_rows

    stock = pd.read_csv(shared_data / "undesa/ims_msShiny/ms2024org.csv.gz")
    loc = pd.read_csv(shared_data / "undesa/ims_msShiny/MS_Locations.csv.gz")
    kaz = stock[(stock.LocIDdest == 398) & (stock.year == 2024.5)].merge(loc, left_on="LocIDorg", right_on="LocID")
    kaz = kaz.assign(sex=kaz.sex.map({0: "total", 1: "male", 2: "female"}))
    rows = kaz.assign(year=2024, origin=kaz.ISO3, destination="KAZ", release_id="r1", load_id="l1")
    rows = rows[["year", "origin", "destination", "sex", "value", "release_id", "load_id"]]
    wh = Warehouse(tmp_path / "w.duckdb")
    with wh.writer() as con:
        con.execute("INSERT INTO releases VALUES ('r1', 'un_desa_stock', '2024', 'ms2024org.csv.gz', "
                    "'x', 1, now(), 'https://www.un.org', now(), 'test')")
        append_stock_rows(con, rows[["year", "origin", "destination", "sex", "value"]], "r1", "l1")
    corr = corridors_from_warehouse(tmp_path / "w.duckdb", "KAZ", top=20)
    assert corr.origins[:3] == ("UZB", "RUS", "CHN")
    assert corr.source == "r1"
    assert corr.male_share[1] == pytest.approx(170056 / 552258)
    top = kaz[kaz.sex == "total"].nlargest(20, "value")
    assert corr.shares[0] == pytest.approx(744161 / top.value.sum())
