"""API latency at 50 concurrent clients on loopback: profile and stock endpoints.

Run: ``.venv/bin/python benchmarks/api.py`` (STEPPE_DATA must hold the shared data).
Builds a UN DESA warehouse in a temporary folder, starts ``steppe serve`` in a
subprocess, then sends REQUESTS requests per endpoint from 50 concurrent clients
(httpx, asyncio). The obvious alternative, timed in the same run: answering the
stock query by opening the DuckDB file and calling ``query_stock`` per request
(50 threads), without steppe's generation-aware pool and release-keyed cache.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import httpx

from steppe.warehouse import Warehouse
from steppe.warehouse.ingest import bundled_files, plan_folder, run_plan
from steppe.warehouse.stock_query import StockQuery, query_stock

CLIENTS = 50
REQUESTS = 2000
UN_DESA = ("un_desa_stock", "un_desa_stock_totals", "reference_documents")
CA = ("KAZ", "KGZ", "TJK", "TKM", "UZB", "RUS")


def summary(name: str, latencies: list[float], elapsed: float) -> str:
    ordered = sorted(latencies)
    p99 = ordered[int(0.99 * (len(ordered) - 1))]
    return (f"{name:<44} n={len(ordered):5d}  p50={statistics.median(ordered) * 1000:7.2f} ms  "
            f"p99={p99 * 1000:7.2f} ms  throughput={len(ordered) / elapsed:8.0f} req/s")


async def load(base: str, paths: list[str]) -> tuple[list[float], float]:
    latencies: list[float] = []
    queue: asyncio.Queue[str] = asyncio.Queue()
    for p in paths:
        queue.put_nowait(p)
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        async def worker() -> None:
            while not queue.empty():
                path = queue.get_nowait()
                t0 = time.perf_counter()
                r = await client.get(path)
                latencies.append(time.perf_counter() - t0)
                assert r.status_code == 200, (path, r.status_code)
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CLIENTS)))
    return latencies, time.perf_counter() - start


def naive(db: Path, queries: list[StockQuery]) -> tuple[list[float], float]:
    def one(q: StockQuery) -> float:
        t0 = time.perf_counter()
        con = duckdb.connect(str(db), read_only=True)
        query_stock(con, q)
        con.close()
        return time.perf_counter() - t0
    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        latencies = list(pool.map(one, queries))
    return latencies, time.perf_counter() - start


def main() -> None:
    data = Path(os.environ.get("STEPPE_DATA") or "../shared/data")
    tmp = Path(tempfile.mkdtemp(prefix="steppe-bench-"))
    warehouse = Warehouse(tmp / "steppe.duckdb")
    planned, _ = plan_folder(data / "undesa", UN_DESA)
    run_plan(warehouse, planned + bundled_files(UN_DESA))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    steppe = Path(sys.executable).parent / "steppe"
    server = subprocess.Popen([str(steppe), "serve", "--port", str(port), "--db",
                               str(warehouse.path)], env={**os.environ, "STEPPE_DATA": str(data)})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/api/v1/areas?limit=1", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        profiles = [f"/api/v1/profiles/{CA[i % 6]}" for i in range(REQUESTS)]
        stocks = [f"/api/v1/stocks?destination={CA[i % 6]}&limit=20" for i in range(REQUESTS)]
        asyncio.run(load(base, profiles[:100] + stocks[:100]))  # warm up: first build per key
        print(f"{CLIENTS} concurrent clients, loopback, {os.cpu_count()} CPUs")
        for name, paths in (("GET /api/v1/profiles/{ISO3}", profiles),
                            ("GET /api/v1/stocks?destination=…", stocks)):
            latencies, elapsed = asyncio.run(load(base, paths))
            print(summary(name, latencies, elapsed))
        naive_q = [StockQuery(destination=CA[i % 6], top=20) for i in range(REQUESTS // 4)]
        latencies, elapsed = naive(warehouse.path, naive_q)
        print(summary("alternative: connect + query_stock per request", latencies, elapsed))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
