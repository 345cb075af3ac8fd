"""Benchmark: steppe's demographic-accounting estimator against a naive loop-based IPF.

Run:  .venv/bin/python benchmarks/flows.py [--n 200] [--periods 6] [--naive-periods 1]

Both sides compute the same default estimator (migest's ``ffs_demo`` defaults,
``tolerance="migest"``) on seeded synthetic stock tables of realistic shape; the
naive side runs the two stock-rescaling IPFs and the 3-D flow IPF as plain Python
loops over cells, the way a direct transcription of the algorithm would. The script
checks that both give the same numbers, then prints the timings.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np

from steppe.flows import demographic_accounting
from steppe.flows.synthetic import StockPair, stock_pair


def naive_ipf2(seed: list[list[float]], rows: list[float], cols: list[float], tol: float) -> list[list[float]]:
    """Rows then columns, cell by cell, mipfp's stopping rule."""
    n, m = len(seed), len(seed[0])
    x = [r[:] for r in seed]
    while True:
        old = [r[:] for r in x]
        for i in range(n):
            s = sum(x[i])
            f = rows[i] / s if s != 0 and rows[i] != 0 else 0.0
            for j in range(m):
                x[i][j] *= f
        for j in range(m):
            s = sum(x[i][j] for i in range(n))
            f = cols[j] / s if s != 0 and cols[j] != 0 else 0.0
            for i in range(n):
                x[i][j] *= f
        crit = max(abs(x[i][j] - old[i][j]) for i in range(n) for j in range(m))
        if crit < tol:
            return x


def naive_flows(x0: np.ndarray, x1: np.ndarray, tol: float) -> np.ndarray:
    """3-D IPF over (orig, pob) then (dest, pob) margins, seed 1 off the diagonal, in loops."""
    n = x0.shape[0]
    f = np.zeros((n, n, n))
    for k in range(n):
        a, b = x0[:, k].tolist(), x1[:, k].tolist()
        y = [[0.0 if i == j else 1.0 for j in range(n)] for i in range(n)]
        y = naive_ipf2(y, a, b, tol)
        f[:, :, k] = y
    return f


def naive_estimate(p: StockPair) -> np.ndarray:
    """Default ffs_demo with loop-based IPFs; the cheap one-margin steps use numpy."""
    s0, s1, b, d = p.stock_start.copy(), p.stock_end.copy(), p.births, p.deaths
    gap = (b.sum() - d.sum()) - (s1.sum() - s0.sum())
    for s, total in ((s0, np.trace(s0) - gap / 2), (s1, np.trace(s1) + gap / 2)):
        x = np.diag(s)
        y = np.rint(x * total / x.sum())
        y[np.argmax(np.abs(x))] += total - y.sum()
        np.fill_diagonal(s, y)
    bmat = np.diag(b)
    flagged = np.diag(s1) - b < 0
    if flagged.any():
        spread = s1 * (b / s1.sum(axis=0))
        bmat[:, flagged] = spread[:, flagged]
    s0 = s0 - s0 * (d / s0.sum(axis=0))
    s1 = s1 - bmat
    dd = s0.sum(axis=1) - s1.sum(axis=1)
    s0 = np.array(naive_ipf2(s0.tolist(), (s0.sum(axis=1) - dd / 2).tolist(), s0.sum(axis=0).tolist(), 1e-3))
    s1 = np.array(naive_ipf2(s1.tolist(), (s1.sum(axis=1) + dd / 2).tolist(), s1.sum(axis=0).tolist(), 1e-3))
    stay = np.minimum(s0.T, s1.T)
    x0, x1 = s0.T - stay, s1.T - stay
    x1 = x1 * np.where(x1.sum(axis=0) > 0, x0.sum(axis=0) / np.where(x1.sum(axis=0) > 0, x1.sum(axis=0), 1), 0)
    flows = naive_flows(x0, x1, 1e-3)
    idx = np.arange(x0.shape[0])
    flows[idx, idx, :] = stay
    return flows


def steppe_estimate(p: StockPair) -> np.ndarray:
    return demographic_accounting(p.stock_start, p.stock_end, p.births, p.deaths).flows


def timed(fn, *args):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--periods", type=int, default=6)
    ap.add_argument("--naive-periods", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    periods = [stock_pair(args.n, seed=1990 + 5 * t) for t in range(args.periods)]
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}, n={args.n}")

    one = [timed(steppe_estimate, periods[0])[1] for _ in range(args.repeat)]
    print(f"steppe, one period: median {statistics.median(one):.3f} s over {args.repeat} runs (min {min(one):.3f})")
    t0 = time.perf_counter()
    results = [steppe_estimate(p) for p in periods]
    six = time.perf_counter() - t0
    print(f"steppe, {args.periods} periods: {six:.3f} s ({six / args.periods:.3f} s per period)")

    naive_times = []
    for p, ours in zip(periods[: args.naive_periods], results, strict=False):
        theirs, el = timed(naive_estimate, p)
        naive_times.append(el)
        diff = np.abs(theirs - ours) - (1e-6 + 1e-12 * np.abs(ours))
        print(f"naive loop IPF, one period: {el:.2f} s; max |steppe - naive| excess over 1e-6+1e-12|x|: "
              f"{max(diff.max(), 0.0):.3g}")
    if naive_times:
        print(f"speed-up (one period, median steppe): {statistics.mean(naive_times) / statistics.median(one):.0f}x")


if __name__ == "__main__":
    main()
