"""Simulated Poisson gravity panels with known coefficients."""

from __future__ import annotations

import numpy as np
import pandas as pd


def simulate_gravity(
    n_countries: int, years: int, beta: tuple[float, ...], seed: int, scale: float = 2.0
) -> tuple[pd.DataFrame, np.ndarray]:
    """A Poisson gravity panel with origin-year and destination-year effects.

    Returns the frame (origin, destination, year, y, x0..x{k-1}) and the true beta.
    """
    rng = np.random.default_rng(seed)
    rows = [(o, d, t) for o in range(n_countries) for d in range(n_countries) if o != d
            for t in range(years)]
    frame = pd.DataFrame(rows, columns=["o", "d", "t"])
    k = len(beta)
    x = np.column_stack([rng.normal(size=len(frame)) if j % 2 == 0 else
                         (rng.random(len(frame)) < 0.3).astype(float) for j in range(k)])
    a = rng.normal(size=(n_countries, years))
    b = rng.normal(size=(n_countries, years))
    eta = scale + x @ np.asarray(beta) + a[frame.o, frame.t] + b[frame.d, frame.t]
    frame["y"] = rng.poisson(np.exp(eta)).astype(float)
    for j in range(k):
        frame[f"x{j}"] = x[:, j]
    frame["origin_year"] = frame.o * 1000 + frame.t
    frame["destination_year"] = frame.d * 1000 + frame.t
    return frame, np.asarray(beta)
