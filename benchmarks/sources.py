"""Every source in ../shared/data into a fresh warehouse: steppe against a plain pandas dump.

Run: .venv/bin/python benchmarks/sources.py [--data ../shared/data] [--repeat 2]

steppe side: ``plan_folder`` (sha256 of every file, recognition) and ``run_plan`` (parse,
resolve every area name/code, validate, load each file in its own transaction, swap the
warehouse in) for all datasets, from an empty warehouse. Per-dataset times come from the
progress callback.

Baseline: what an analyst does first — read the same recognised files with pandas
(``read_csv``; ``read_excel`` of the data sheet) and write each raw frame to a DuckDB table,
with no reshaping, area resolution, unit conversion or validation. It is a lower bound
on the work, not an equivalent result.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import duckdb
import pandas as pd

from steppe.warehouse import Warehouse
from steppe.warehouse.ingest import PlannedFile, bundled_files, plan_folder, run_plan

_SHEETS = {"FINAL BRM 2021 ", "BRM 2021", "Data", "Full data", "ESTIMATES", "Table 1", "bilatMig"}


def run_steppe(data: Path, db: Path) -> tuple[float, dict[str, float], int, list[PlannedFile]]:
    start = time.perf_counter()
    planned, _ = plan_folder(data)
    planned += bundled_files()
    per: dict[str, float] = defaultdict(float)
    mark = [time.perf_counter()]

    def tick(item: PlannedFile, result: object) -> None:
        now = time.perf_counter()
        per[item.source.info.id] += now - mark[0]
        mark[0] = now

    mark[0] = time.perf_counter()
    results = run_plan(Warehouse(db), planned, on_file=tick)
    rows = sum(getattr(r, "rows", 0) for r in results)
    failed = [r for r in results if type(r).__name__ == "Failed"]
    if failed:
        raise SystemExit(f"steppe failed on {failed}")
    return time.perf_counter() - start, dict(per), rows, planned


def _read(path: Path) -> pd.DataFrame:
    name = path.name.lower()
    if name.endswith((".csv", ".csv.gz")):
        sep = ";" if "dist_cepii" in name or "ru_mvd" in name else ","
        return pd.read_csv(path, sep=sep, low_memory=False)
    book = pd.ExcelFile(path)
    sheet = next((s for s in book.sheet_names if s in _SHEETS or s.startswith("Bilateral")),
                 book.sheet_names[0])
    return book.parse(sheet, header=None)


def run_pandas(planned: list[PlannedFile], db: Path) -> tuple[float, dict[str, float], int]:
    start = time.perf_counter()
    con = duckdb.connect(str(db))
    per: dict[str, float] = defaultdict(float)
    rows = 0
    for k, item in enumerate(planned):
        t0 = time.perf_counter()
        frame = _read(item.path)
        frame.columns = [f"c{i}" for i in range(frame.shape[1])]
        frame = frame.astype(str)
        con.register("frame", frame)
        con.execute(f"CREATE TABLE t{k} AS SELECT * FROM frame")
        con.unregister("frame")
        rows += len(frame)
        per[item.source.info.id] += time.perf_counter() - t0
    con.close()
    return time.perf_counter() - start, dict(per), rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path(__file__).parents[2] / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    steppe_runs, pandas_runs = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            total, per, rows, planned = run_steppe(args.data, Path(tmp) / "s.duckdb")
            steppe_runs.append((total, per, rows))
            total_p, per_p, rows_p = run_pandas(planned, Path(tmp) / "p.duckdb")
            pandas_runs.append((total_p, per_p, rows_p))
    print(f"files: {len(planned)}  steppe rows loaded: {steppe_runs[-1][2]:,}  "
          f"pandas raw rows: {pandas_runs[-1][2]:,}")
    print("| dataset | steppe s (runs) | pandas raw dump s (runs) |")
    print("|---|---|---|")
    for dataset in sorted(steppe_runs[-1][1]):
        s = ", ".join(f"{r[1][dataset]:.2f}" for r in steppe_runs)
        p = ", ".join(f"{r[1].get(dataset, 0):.2f}" for r in pandas_runs)
        print(f"| {dataset} | {s} | {p} |")
    s_tot = ", ".join(f"{r[0]:.1f}" for r in steppe_runs)
    p_tot = ", ".join(f"{r[0]:.1f}" for r in pandas_runs)
    print(f"| **total (wall)** | {s_tot} | {p_tot} |")
    print(f"median total: steppe {statistics.median(r[0] for r in steppe_runs):.1f} s, "
          f"pandas {statistics.median(r[0] for r in pandas_runs):.1f} s")


if __name__ == "__main__":
    main()
