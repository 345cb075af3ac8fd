"""PPML with two-way (origin-year, destination-year) fixed effects: steppe (pyfixest)
against statsmodels' GLM Poisson with dummy variables, on the same seeded data.

Run: .venv/bin/python benchmarks/gravity.py [--sizes 30 45 60] [--years 7] [--full 232]

The data imitate the UN DESA panel: ``n`` countries, ``years`` five-yearly years, all
ordered pairs, a distance-like regressor, a contiguity-like dummy, a policy dummy and
origin-year / destination-year effects. statsmodels needs a dense dummy matrix of
``rows × (2·n·years)`` columns, so it runs on the smaller panels only; the full-size
panel (232 countries, as UN DESA 2020) is fitted by steppe alone and the memory the
dummy matrix would need is printed.
"""

from __future__ import annotations

import argparse
import platform
import time
import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm

from steppe.gravity.ppml import fit_ppml

BETA = np.array([-1.0, 0.5, 0.3])


def panel(n: int, years: int, seed: int = 0) -> pd.DataFrame:
    """A seeded Poisson gravity panel with known coefficients ``BETA``."""
    rng = np.random.default_rng(seed)
    o, d = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    keep = o != d
    o, d = o[keep], d[keep]
    t = np.repeat(np.arange(years), len(o))
    o, d = np.tile(o, years), np.tile(d, years)
    xy = rng.uniform(0, 10, size=(n, 2))
    ln_dist = np.log(np.hypot(*(xy[o] - xy[d]).T) + 0.1)
    contig = (np.exp(ln_dist) < 1.5).astype(float)
    policy = ((o < n // 5) & (d < n // 5) & (t >= years - 2)).astype(float)
    x = np.column_stack([ln_dist, contig, policy])
    eta = 3 + x @ BETA + rng.normal(0, 1, (n, years))[o, t] + rng.normal(0, 1, (n, years))[d, t]
    y = rng.poisson(np.exp(eta)).astype(float)
    return pd.DataFrame({"y": y, "ln_dist": ln_dist, "contig": contig, "policy": policy,
                         "ot": o * 1000 + t, "dt": d * 1000 + t, "d": d})


def time_steppe(frame: pd.DataFrame, repeat: int = 3) -> tuple[float, np.ndarray]:
    best, coef = np.inf, np.empty(0)
    for _ in range(repeat):
        start = time.perf_counter()
        res = fit_ppml(frame["y"], frame[["ln_dist", "contig", "policy"]].to_numpy(),
                       ["ln_dist", "contig", "policy"], {"ot": frame["ot"], "dt": frame["dt"]},
                       vcov="hetero")
        best = min(best, time.perf_counter() - start)
        coef = res.coef
    return best, coef


def dummies(frame: pd.DataFrame) -> np.ndarray:
    """Full-rank dense design: regressors, constant, o-t dummies but one, d-t dummies
    except the first destination's (one constraint per year)."""
    ot = pd.get_dummies(frame["ot"], dtype=float).to_numpy()[:, 1:]
    dt = pd.get_dummies(frame["dt"].where(frame["d"] != frame["d"].min()), dtype=float).to_numpy()
    return np.column_stack([frame[["ln_dist", "contig", "policy"]].to_numpy(),
                            np.ones(len(frame)), ot, dt])


def time_statsmodels(frame: pd.DataFrame) -> tuple[float, float, np.ndarray]:
    start = time.perf_counter()
    design = dummies(frame)
    built = time.perf_counter() - start
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        fit = sm.GLM(frame["y"].to_numpy(), design, family=sm.families.Poisson()).fit(
            tol=1e-10, cov_type="HC0")
        took = time.perf_counter() - start
    return took, built, np.asarray(fit.params[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 45, 60])
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--full", type=int, default=232)
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}")
    time_steppe(panel(10, 2), repeat=1)  # warm-up: first call compiles
    print("| countries | rows | dummies | steppe (best of 3) | statsmodels GLM fit | + building dummies | speed-up | max |Δb| |")
    print("|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        frame = panel(n, args.years)
        t_st, b_st = time_steppe(frame)
        t_sm, t_build, b_sm = time_statsmodels(frame)
        k = 2 * n * args.years
        print(f"| {n} | {len(frame):,} | {k:,} | {t_st:.3f} s | {t_sm:.2f} s | {t_build:.2f} s | "
              f"{t_sm / t_st:.0f}× | {np.abs(b_st - b_sm).max():.1e} |")
    frame = panel(args.full, args.years)
    t_full, b_full = time_steppe(frame)
    k = 2 * args.full * args.years
    gb = len(frame) * k * 8 / 1e9
    print(f"| {args.full} | {len(frame):,} | {k:,} | {t_full:.3f} s | not run: dense dummies "
          f"need {gb:.1f} GB | | | b = {np.round(b_full, 3).tolist()} (true {BETA.tolist()}) |")


if __name__ == "__main__":
    main()
