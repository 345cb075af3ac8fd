"""Raw UN DESA files → queryable warehouse: steppe against a plain pandas baseline.

Run: .venv/bin/python benchmarks/ingest.py [--data ../shared/data] [--repeat 3]

Both sides parse the same files (2024 and 2020 bilateral long tables, the 2019
origin × destination table, the totals workbooks and long tables), make the same checks,
resolve every UN location code or name to steppe's area ids, and end with the same rows
in a DuckDB file that answers a stock query; the script checks that the two end states
hold the same rows. The baseline (``pandas_baseline.py``) is what an analyst would write
with pandas. "Parse only" times each side without its DuckDB inserts: steppe's parsers in
its two threads, the baseline with ``insert=False``. The stock query's latency is
timed on the steppe warehouse.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
from pandas_baseline import run_pandas

from steppe.areas.registry import registry
from steppe.warehouse import Warehouse
from steppe.warehouse.ingest import plan_folder, run_plan
from steppe.warehouse.stock_query import StockQuery, query_stock

DATASETS = ("un_desa_stock", "un_desa_stock_totals")


def run_steppe(data: Path, db: Path) -> int:
    planned, _ = plan_folder(data / "undesa", DATASETS)
    results = run_plan(Warehouse(db), planned)
    return sum(getattr(r, "rows", 0) for r in results)


def parse_steppe(data: Path, db: Path) -> int:
    planned, _ = plan_folder(data / "undesa", DATASETS)
    with ThreadPoolExecutor(max_workers=2) as pool:
        return sum(p.rows for p in pool.map(lambda item: item.source.read(item.path, item.known),
                                            planned))


def parse_pandas(data: Path, db: Path) -> int:
    return run_pandas(data, db, insert=False)


def run_pandas_compact(data: Path, db: Path) -> int:
    return run_pandas(data, db, compact=True)


#: (columns, rows in steppe's warehouse, rows in the baseline's) compared end to end
TEXT_LAYOUT = [("year, origin, destination, sex, value", "s.migrant_stock", "p.migrant_stock"),
               ("area, year, indicator, sex, value, unit", "s.area_indicator", "p.area_indicator")]
COMPACT_LAYOUT = [("year, origin_m49, destination_m49, sex, value",
                   "s.migrant_stock_facts JOIN s.fact_loads USING (load_key)",
                   "p.migrant_stock JOIN p.load_runs USING (load_key)")]


def differing_rows(steppe_db: Path, pandas_db: Path,
                   compared: list[tuple[str, str, str]]) -> int:
    """Rows in one warehouse's facts and not in the other's (0 when the end states agree)."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{steppe_db}' AS s (READ_ONLY); ATTACH '{pandas_db}' AS p (READ_ONLY)")
    total = 0
    for cols, steppe_rows, pandas_rows in compared:
        keyed = f"{cols}, split_part(release_id, '#', 1) AS dataset_edition"
        for a, b in ((steppe_rows, pandas_rows), (pandas_rows, steppe_rows)):
            total += con.execute(f"SELECT count(*) FROM (SELECT {keyed} FROM {a} EXCEPT ALL "
                                 f"SELECT {keyed} FROM {b})").fetchone()[0]
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
    sides = {"steppe ingest": run_steppe, "pandas baseline": run_pandas,
             "steppe, parse only": parse_steppe, "pandas, parse only": parse_pandas,
             "pandas, compact rows": run_pandas_compact}
    times: dict[str, list[float]] = {name: [] for name in sides}
    rows: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            for k, (name, run) in enumerate(sides.items()):
                seconds, rows[name] = timed(run, args.data, Path(tmp) / f"{k}-{i}.duckdb")
                times[name].append(seconds)
        differing = differing_rows(Path(tmp) / "0-0.duckdb", Path(tmp) / "1-0.duckdb", TEXT_LAYOUT)
        differing_compact = differing_rows(Path(tmp) / "0-0.duckdb", Path(tmp) / "4-0.duckdb",
                                           COMPACT_LAYOUT)
        warehouse = Warehouse(Path(tmp) / "0-0.duckdb")
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
    print(f"rows: steppe {rows['steppe ingest']:,}, pandas baseline {rows['pandas baseline']:,}; "
          f"fact rows in one end state and not the other: {differing} "
          f"(compact-layout baseline: {differing_compact})")
    for name, seconds in times.items():
        print(f"{name:<20} best {min(seconds):.2f} s, median {statistics.median(seconds):.2f} s")
    for label, fast, slow in (("raw files -> warehouse", "steppe ingest", "pandas baseline"),
                              ("parse only", "steppe, parse only", "pandas, parse only"),
                              ("against the compact-layout baseline", "steppe ingest",
                               "pandas, compact rows")):
        print(f"speed-up, {label}: {min(times[slow]) / min(times[fast]):.1f}x best/best, "
              f"{statistics.median(times[slow]) / statistics.median(times[fast]):.1f}x "
              "median/median")
    print(f"stock query (top 10 origins in KAZ 2020, with revisions and reference figures): "
          f"median {statistics.median(latencies) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms; "
          f"opening the connection each time: median {statistics.median(cold) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
