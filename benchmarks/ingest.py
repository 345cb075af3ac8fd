"""Raw UN DESA files → queryable warehouse: steppe against a plain pandas baseline.

Run: .venv/bin/python benchmarks/ingest.py [--data ../shared/data] [--repeat 3]

Both sides parse the same files (2024 and 2020 bilateral long tables, the 2019
origin × destination table, the totals workbooks and long tables), resolve every UN
location code or name to steppe's area ids, and end with the rows in a DuckDB file
that answers a stock query. The baseline is what an analyst would write with pandas:
read_csv/read_excel, vectorised ``map`` of codes, ``melt``, one DuckDB insert per
table. The stock query's latency is timed on the steppe warehouse.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

from steppe.areas.registry import registry
from steppe.warehouse import Warehouse
from steppe.warehouse.ingest import plan_folder, run_plan
from steppe.warehouse.stock_query import StockQuery, query_stock

DATASETS = ("un_desa_stock", "un_desa_stock_totals")


def run_steppe(data: Path, db: Path) -> int:
    planned, _ = plan_folder(data / "undesa", DATASETS)
    results = run_plan(Warehouse(db), planned)
    return sum(getattr(r, "rows", 0) for r in results)


def run_pandas(data: Path, db: Path) -> int:
    table = registry()
    by_code = {m49: a.area_id for m49, a in table.by_m49.items()}
    con = duckdb.connect(str(db))
    total = 0
    frames = []
    for name, edition in (("ms2024org.csv.gz", "2024"), ("ms2020org.csv.gz", "2020")):
        raw = pd.read_csv(data / "undesa/ims_msShiny" / name).dropna(subset=["value"])
        raw = raw.drop_duplicates()
        frames.append(pd.DataFrame({
            "year": raw["year"].astype(int), "origin": raw["LocIDorg"].map(by_code),
            "destination": raw["LocIDdest"].map(by_code),
            "sex": raw["sex"].map({0: "total", 1: "male", 2: "female"}),
            "value": raw["value"].astype(float), "release_id": edition}))
    wide = pd.read_csv(data / "undesa/UN_MigrantStockByOriginAndDestination_2019_clean.csv",
                       na_values=["..", "-"])
    long = wide.melt(id_vars=["Year", "Dest"], var_name="origin", value_name="value").dropna()
    names = {n: table.lookup(n).area_id for n in set(long["origin"]) | set(long["Dest"])}
    frames.append(pd.DataFrame({
        "year": long["Year"].astype(int), "origin": long["origin"].map(names),
        "destination": long["Dest"].map(names), "sex": "total",
        "value": pd.to_numeric(long["value"]), "release_id": "2019"}))
    stock = pd.concat(frames, ignore_index=True)
    con.execute("CREATE TABLE migrant_stock AS SELECT * FROM stock")
    total += len(stock)
    totals = []
    for name in ("ms2024.csv.gz", "ms2020.csv.gz", "ms2020rfg.csv.gz"):
        raw = pd.read_csv(data / "undesa/ims_msShiny" / name).dropna(subset=["value"])
        totals.append(pd.DataFrame({"area": raw["LocID"].map(by_code), "year": raw["year"].astype(int),
                                    "sex": raw["sex"], "value": raw["value"], "file": name}))
    for name, skip in (("undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx", 10),
                       ("UN_MigrantStockTotal_2019.xlsx", 15)):
        for sheet in ("Table 1", "Table 2", "Table 6"):
            raw = pd.read_excel(data / "undesa" / name, sheet_name=sheet, skiprows=skip, engine="openpyxl")
            code = raw.columns[3]
            raw = raw[pd.to_numeric(raw[code], errors="coerce").notna()]
            years = [c for c in raw.columns if str(c)[:4].isdigit()]
            long = raw.melt(id_vars=[code], value_vars=years, var_name="year").replace(
                {"..": None}).dropna(subset=["value"])
            totals.append(pd.DataFrame({"area": long[code].astype(int).map(by_code),
                                        "year": long["year"].astype(str).str[:4].astype(int),
                                        "sex": 0, "value": pd.to_numeric(long["value"], errors="coerce"),
                                        "file": name}))
    totals_frame = pd.concat(totals, ignore_index=True)
    con.execute("CREATE TABLE area_indicator AS SELECT * FROM totals_frame")
    total += len(totals_frame)
    con.close()
    return total


def timed(fn, *args) -> tuple[float, int]:
    start = time.perf_counter()
    rows = fn(*args)
    return time.perf_counter() - start, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    registry()  # build the area table once, outside the timings (both sides use it)
    steppe_times, pandas_times = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            seconds, steppe_rows = timed(run_steppe, args.data, Path(tmp) / f"s{i}.duckdb")
            steppe_times.append(seconds)
            seconds, pandas_rows = timed(run_pandas, args.data, Path(tmp) / f"p{i}.duckdb")
            pandas_times.append(seconds)
        warehouse = Warehouse(Path(tmp) / "s0.duckdb")
        query = StockQuery(destination="KAZ", year=2020, top=10)
        latencies, cold = [], []
        with warehouse.reader() as con:
            for _ in range(50):
                start = time.perf_counter()
                query_stock(con, query)
                latencies.append(time.perf_counter() - start)
        for _ in range(20):
            start = time.perf_counter()
            with warehouse.reader() as con:
                query_stock(con, query)
            cold.append(time.perf_counter() - start)
    best_s, best_p = min(steppe_times), min(pandas_times)
    print(f"rows: steppe {steppe_rows:,}, pandas baseline {pandas_rows:,}")
    print(f"steppe ingest (all UN DESA files): best {best_s:.2f} s, median {statistics.median(steppe_times):.2f} s")
    print(f"pandas baseline:                   best {best_p:.2f} s, median {statistics.median(pandas_times):.2f} s")
    print(f"speed-up: {best_p / best_s:.1f}x")
    print(f"stock query (top 10 origins in KAZ 2020, with revisions and reference figures): "
          f"median {statistics.median(latencies) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms; "
          f"with connection open: median {statistics.median(cold) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
