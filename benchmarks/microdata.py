"""Benchmark: synthetic registration records -> monthly flows and stocks.

The aggregation is steppe's ``flows`` table: inflows, outflows and end-of-month
stocks by citizenship x region x sex x age group x month (a dense panel, stocks by a
running sum per cell), read straight from the partitioned Parquet files. Engines:

* steppe: ``steppe.microdata.pipeline.flows`` (Ibis) on DuckDB, 2 threads
* polars: the same aggregation with the lazy API, 2 threads, grouping by the four
  cell codes; polars-cell: the same grouping by the packed ``cell`` code, as steppe does
* pandas: the same with pyarrow's ``read_table`` and ``groupby``

The records are written once with integer-coded categorical columns
(``synthesize(..., coded=True)``, code table ``_codes.json``); every engine groups the
codes and decodes only its small result, inside the timed section.
* spark:  the same Ibis expression on pyspark ``local[2]``

Each engine runs in its own subprocess; peak memory is that process's VmHWM (plus
the JVM's for Spark), read just after the aggregation. Results of every engine are compared with DuckDB's on the same files.

Usage::

    .venv/bin/python benchmarks/microdata.py            # 100M rows (generated once)
    .venv/bin/python benchmarks/microdata.py --rows 2000000 --small-rows 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
CELL = ["citizenship", "region", "sex", "age_group"]
START, END = 2019 * 12, 2024 * 12 + 11  # month indices of Jan 2019 and Dec 2024
THREADS = 2


def ensure_records(rows: int, seed: int) -> Path:
    """Generate ``rows`` records once into benchmarks/out/ (reused afterwards)."""
    from steppe.microdata.synth import synthesize

    root = OUT / f"registrations_{rows}_{seed}_coded"
    if not (root / "done").exists():
        t0 = time.perf_counter()
        synthesize(root, rows, seed, years=(2019, 2024), overwrite=True, coded=True)
        (root / "done").write_text(f"{time.perf_counter() - t0:.1f} s to generate\n")
    return root / "registrations"


def files(root: Path) -> list[str]:
    return sorted(str(p) for p in root.rglob("*.parquet"))


# -- workers: each returns (rows read, result frame as pandas) ------------------------
def run_steppe(root: Path, backend: str):  # type: ignore[no-untyped-def]
    from steppe.microdata import backends, pipeline

    if backend == "duckdb":
        con = backends.connect("duckdb", threads=THREADS)
    else:
        session = backends.spark_session(f"local[{THREADS}]", shuffle_partitions=THREADS * 2,
                                         **{"spark.driver.memory": "6g"})
        session.sparkContext.setLogLevel("ERROR")
        con = backends.connect("spark", session=session)
    t = backends.read_registrations(con, root)
    codes = backends.read_codes(root)
    window = pipeline.Window(START, END, date(2024, 12, 31))
    t0 = time.perf_counter()
    events = backends.materialize(con, pipeline.flow_events(t, codes))
    out = con.to_pyarrow(pipeline.flows(t, window, events=events, codes=codes))
    n = con.to_pyarrow(t.count().as_table()).column(0)[0].as_py() if backend == "spark" else None
    return time.perf_counter() - t0, out.to_pandas(), n


def run_polars(root: Path, packed: bool = False):  # type: ignore[no-untyped-def]
    import polars as pl

    CELL = ["cell"] if packed else globals()["CELL"]  # the packed cell code
    t0 = time.perf_counter()
    lf = pl.scan_parquet(files(root), hive_partitioning=False).select(
        *CELL, "registration_date", "deregistration_date")
    lf = lf.with_columns(
        reg_m=pl.col("registration_date").dt.year().cast(pl.Int64) * 12
        + pl.col("registration_date").dt.month().cast(pl.Int64) - 1,
        dereg_m=pl.col("deregistration_date").dt.year().cast(pl.Int64) * 12
        + pl.col("deregistration_date").dt.month().cast(pl.Int64) - 1,
    )
    inflow = (lf.filter(pl.col("reg_m").is_between(START, END))
              .group_by([*CELL, pl.col("reg_m").alias("m")]).agg(inflow=pl.len()))
    outflow = (lf.filter(pl.col("dereg_m").is_between(START, END))
               .group_by([*CELL, pl.col("dereg_m").alias("m")]).agg(outflow=pl.len()))
    base = (lf.filter((pl.col("reg_m") < START)
                      & (pl.col("dereg_m").is_null() | (pl.col("dereg_m") >= START)))
            .group_by(CELL).agg(stock_start=pl.len()))
    grid = lf.select(CELL).unique().join(pl.LazyFrame({"m": list(range(START, END + 1))}), how="cross")
    panel = (grid.join(inflow, on=[*CELL, "m"], how="left")
             .join(outflow, on=[*CELL, "m"], how="left")
             .join(base, on=CELL, how="left")
             .with_columns(pl.col("inflow", "outflow", "stock_start").fill_null(0))
             .sort([*CELL, "m"])
             .with_columns(stock_end=pl.col("stock_start")
                           + (pl.col("inflow") - pl.col("outflow")).cum_sum().over(CELL)))
    res = panel.collect(engine="streaming")
    return time.perf_counter() - t0, decode(res.to_pandas(), root), None


def run_pandas(root: Path):  # type: ignore[no-untyped-def]
    import numpy as np
    import pandas as pd
    import pyarrow.parquet as pq

    t0 = time.perf_counter()
    cols = [*CELL, "registration_date", "deregistration_date"]
    coded = (root / "_codes.json").exists()
    df = pq.read_table(files(root), columns=cols, read_dictionary=None if coded else CELL).to_pandas()
    reg = df.registration_date.to_numpy(dtype="datetime64[M]").astype(np.int64) + 1970 * 12
    dereg = pd.to_datetime(df.deregistration_date)
    dm = (dereg.dt.year * 12 + dereg.dt.month - 1).to_numpy(dtype="float64")
    keys = [df[c] for c in CELL]
    inflow = df.assign(m=reg)[(reg >= START) & (reg <= END)].groupby(
        [*CELL, "m"], observed=True).size().rename("inflow")
    sel = (dm >= START) & (dm <= END)
    outflow = df.assign(m=dm)[sel].groupby([*CELL, "m"], observed=True).size().rename("outflow")
    outflow.index = outflow.index.set_levels(outflow.index.levels[-1].astype(np.int64), level=-1)
    before = (reg < START) & (np.isnan(dm) | (dm >= START))
    base = df[before].groupby(CELL, observed=True).size().rename("stock_start")
    cells = df[CELL].drop_duplicates()
    del keys
    grid = cells.merge(pd.DataFrame({"m": np.arange(START, END + 1)}), how="cross")
    panel = (grid.merge(inflow.reset_index(), on=[*CELL, "m"], how="left")
             .merge(outflow.reset_index(), on=[*CELL, "m"], how="left")
             .merge(base.reset_index(), on=CELL, how="left").fillna(0))
    panel = panel.sort_values([*CELL, "m"])
    panel["stock_end"] = panel.stock_start + (panel.inflow - panel.outflow).groupby(
        [panel[c] for c in CELL], observed=True).cumsum()
    return time.perf_counter() - t0, decode(panel, root), len(df)


def decode(df, root: Path):  # type: ignore[no-untyped-def]
    """Labels for the integer-coded cell columns of a small result (coded files only)."""
    import numpy as np

    from steppe.microdata.codes import CodeTable

    codes = CodeTable.read(root)
    if codes is not None and "cell" in df.columns:  # unpack the packed cell code
        rest = df.pop("cell").to_numpy().astype(np.int64)
        for c in reversed(codes.cell):
            rest, df[c] = np.divmod(rest, len(codes.columns[c]))
    if codes is not None:
        for c in CELL:
            df[c] = np.asarray(codes.columns[c], dtype=object)[df[c].to_numpy().astype(np.int64)]
    return df


def normalise(df):  # type: ignore[no-untyped-def]
    if "m" in df.columns:
        df = df.assign(year=df.m // 12, month=df.m % 12 + 1)
    df = df[[*CELL, "year", "month", "inflow", "outflow", "stock_end"]].copy()
    for c in CELL:
        df[c] = df[c].astype(str)
    for c in ("year", "month", "inflow", "outflow", "stock_end"):
        df[c] = df[c].astype("int64")
    return df.sort_values([*CELL, "year", "month"]).reset_index(drop=True)


def _hwm_mb(pid: int | str = "self") -> float:
    """Peak resident set (VmHWM) of a live process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    """VmHWM of this process plus that of its live children (Spark's JVM)."""
    total = _hwm_mb()
    me = str(os.getpid())
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"\nPPid:\t{me}\n" in text:
            total += _hwm_mb(status.parent.name)
    return total


def worker(engine: str, root: Path, result: Path) -> None:
    os.environ["POLARS_MAX_THREADS"] = str(THREADS)
    if engine in ("steppe-duckdb", "steppe-spark"):
        seconds, df, _ = run_steppe(root, engine.split("-")[1])
    elif engine in ("polars", "polars-cell"):
        seconds, df, _ = run_polars(root, packed=engine == "polars-cell")
    else:
        seconds, df, _ = run_pandas(root)
    peak = peak_rss_mb()  # before the JVM (if any) exits
    normalise(df).to_parquet(result, index=False)
    print(json.dumps({"seconds": seconds, "peak_rss_mb": round(peak)}))


def warm(root: Path) -> None:
    """Read every file once so that each engine starts with the same (warm) page cache."""
    for f in files(root):
        with open(f, "rb") as handle:
            while handle.read(1 << 24):
                pass


def measure(engine: str, root: Path, rows: int) -> dict[str, object]:
    result = OUT / f"result_{engine}_{rows}.parquet"
    warm(root)
    env = {**os.environ, "POLARS_MAX_THREADS": str(THREADS), "OMP_NUM_THREADS": str(THREADS)}
    proc = subprocess.Popen([sys.executable, __file__, "--worker", engine, "--root", str(root),
                             "--result", str(result)], stdout=subprocess.PIPE, env=env, text=True)
    wall0 = time.perf_counter()
    _, status, _ = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - wall0
    out = proc.stdout.read() if proc.stdout else ""
    if status != 0:
        return {"engine": engine, "rows": rows, "error": f"exit status {status}"}
    report = json.loads(out.strip().splitlines()[-1])
    seconds = report["seconds"]
    return {"engine": engine, "rows": rows, "seconds": round(seconds, 2),
            "records_per_s": round(rows / seconds / 1e6, 1), "peak_rss_mb": report["peak_rss_mb"],
            "process_s": round(wall, 1), "result": str(result)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker")
    ap.add_argument("--root", type=Path)
    ap.add_argument("--result", type=Path)
    ap.add_argument("--rows", type=int, default=100_000_000)
    ap.add_argument("--small-rows", type=int, default=10_000_000, help="rows for pandas and Spark")
    ap.add_argument("--skip", default="", help="comma-separated engines to skip")
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.root, args.result)
        return
    import pandas as pd

    skip = set(filter(None, args.skip.split(",")))
    big, small = ensure_records(args.rows, 2026), ensure_records(args.small_rows, 2027)
    plan = [(e, big, args.rows) for e in ("steppe-duckdb", "polars", "polars-cell")]
    plan += [(e, small, args.small_rows)
             for e in ("steppe-duckdb", "polars", "polars-cell", "pandas", "steppe-spark")]
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores; engines limited to {THREADS} threads")
    rows = []
    for engine, root, n in plan:
        if engine in skip:
            continue
        r = measure(engine, root, n)
        rows.append(r)
        print(json.dumps({k: v for k, v in r.items() if k != "result"}), flush=True)
    for r in rows:  # every engine must agree with DuckDB on the same files
        ref = next(x for x in rows if x["engine"] == "steppe-duckdb" and x["rows"] == r["rows"])
        if "result" in r and "result" in ref and r is not ref:
            same = pd.read_parquet(r["result"]).equals(pd.read_parquet(ref["result"]))
            print(f"{r['engine']} on {r['rows']:,} rows equals steppe-duckdb: {same}")


if __name__ == "__main__":
    main()
