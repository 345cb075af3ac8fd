"""API latency at 50 concurrent clients on loopback: profile and stock endpoints.

Run: ``.venv/bin/python benchmarks/api.py [--workers 1 2]`` (STEPPE_DATA must hold the
shared data). Builds a UN DESA warehouse in a temporary folder, then for each worker
count starts ``steppe serve`` in a subprocess and sends a realistic mix from 50
concurrent keep-alive clients: the profiles of the five Central Asian states and Russia,
and stock queries over 50 destination/year combinations.

Phases, each timed separately:

cold
    the first request for each of the 56 distinct URLs, all at once, right after start-up
    (the server's background warm-up may still be running);
warm
    REQUESTS requests of the mix once every URL has been answered;
revalidate
    the same mix with ``If-None-Match`` (answers are ``304``).

The obvious alternative, timed in the same run: answering each stock query by opening
the DuckDB file and calling ``query_stock`` (50 threads, no HTTP at all).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
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
REQUESTS = 3000
UN_DESA = ("un_desa_stock", "un_desa_stock_totals", "reference_documents")
PROFILED = ("KAZ", "KGZ", "TJK", "TKM", "UZB", "RUS")
DESTINATIONS = ("KAZ", "KGZ", "TJK", "TKM", "UZB", "RUS", "DEU", "USA", "TUR", "UKR")
YEARS = (2000, 2005, 2010, 2015, 2020)


def summary(name: str, latencies: list[float], elapsed: float) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return (f"{name:<46} n={len(ordered):5d}  p50={statistics.median(ordered) * 1000:8.2f} ms  "
            f"p99={p99 * 1000:8.2f} ms  max={ordered[-1] * 1000:8.2f} ms  "
            f"throughput={len(ordered) / elapsed:7.0f} req/s")


def mix() -> tuple[list[str], list[str]]:
    """(profile URLs, stock URLs): 6 and 50 distinct URLs."""
    profiles = [f"/api/v1/profiles/{c}" for c in PROFILED]
    stocks = [f"/api/v1/stocks?destination={d}&year={y}&limit=20"
              for d, y in itertools.product(DESTINATIONS, YEARS)]
    return profiles, stocks


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str,
               etag: str | None) -> tuple[int, str]:
    """One keep-alive HTTP/1.1 GET; (status, ETag). Bodies have a Content-Length."""
    extra = f"If-None-Match: {etag}\r\n" if etag else ""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\n{extra}\r\n".encode())
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    fields = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in head[1:] if h)}
    await reader.readexactly(int(fields.get("content-length", "0")))
    return int(head[0].split()[1]), fields.get("etag", "")


async def load(port: int, paths: list[str], etags: dict[str, str] | None = None
               ) -> tuple[dict[str, list[float]], float, dict[str, str]]:
    """Latencies per kind ('profiles'/'stocks'), elapsed seconds and the ETags seen.

    A minimal asyncio HTTP/1.1 client (one keep-alive connection per client) keeps the
    load generator's own CPU use low: client and server share the machine.
    """
    latencies: dict[str, list[float]] = {"profiles": [], "stocks": []}
    seen: dict[str, str] = {}
    queue: asyncio.Queue[str] = asyncio.Queue()
    for p in paths:
        queue.put_nowait(p)

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while not queue.empty():
                path = queue.get_nowait()
                t0 = time.perf_counter()
                status, etag = await _get(reader, writer, path, etags[path] if etags else None)
                latencies["profiles" if "profiles" in path else "stocks"].append(
                    time.perf_counter() - t0)
                assert status == (304 if etags else 200), (path, status)
                seen[path] = etag
        finally:
            writer.close()
    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CLIENTS)))
    return latencies, time.perf_counter() - start, seen


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_server(warehouse: Path, data: Path, workers: int) -> None:
    port = free_port()
    steppe = Path(sys.executable).parent / "steppe"
    server = subprocess.Popen([str(steppe), "serve", "--port", str(port), "--db", str(warehouse),
                               "--workers", str(workers)],
                              env={**os.environ, "STEPPE_DATA": str(data)})
    base = f"http://127.0.0.1:{port}"
    profiles, stocks = mix()
    distinct = profiles + stocks
    weighted = (profiles * 5 + stocks) * (REQUESTS // (len(profiles) * 5 + len(stocks)) + 1)
    weighted = weighted[:REQUESTS]
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/api/v1/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        print(f"\n--workers {workers}: {CLIENTS} concurrent clients, loopback, "
              f"{os.cpu_count()} CPUs shared by client and server")
        for phase, paths, etags in (("cold", distinct, None), ("warm", weighted, None)):
            lat, elapsed, seen = asyncio.run(load(port, paths, etags))
            for kind, values in lat.items():
                print(summary(f"{phase:<10} GET /api/v1/{kind}", values, elapsed))
            print(summary(f"{phase:<10} all", lat["profiles"] + lat["stocks"], elapsed))
        lat, elapsed, _ = asyncio.run(load(port, weighted, seen))
        print(summary("revalidate all (If-None-Match -> 304)", lat["profiles"] + lat["stocks"],
                      elapsed))
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    data = Path(os.environ.get("STEPPE_DATA") or "/work/shared/data")
    tmp = Path(tempfile.mkdtemp(prefix="steppe-bench-"))
    warehouse = Warehouse(tmp / "steppe.duckdb")
    planned, _ = plan_folder(data / "undesa", UN_DESA)
    run_plan(warehouse, planned + bundled_files(UN_DESA))
    for workers in args.workers:
        run_server(warehouse.path, data, workers)
    queries = [StockQuery(destination=d, year=y, top=20)
               for d, y in itertools.product(DESTINATIONS, YEARS)] * 10
    latencies, elapsed = naive(warehouse.path, queries)
    print()
    print(summary("alternative: connect + query_stock per request", latencies, elapsed))


if __name__ == "__main__":
    main()
