"""Nowcasts: exact on constant growth, honest intervals, and a reason when refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steppe.monitor.nowcast import nowcast


def test_constant_growth_is_forecast_exactly() -> None:
    t = np.arange(2010, 2020)
    out = nowcast(t, 50 * 1.1 ** (t - 2010), horizon=3)
    assert out.ok
    np.testing.assert_allclose(out.mean, 50 * 1.1 ** (np.arange(2020, 2023) - 2010))
    np.testing.assert_allclose(out.lower, out.mean)
    np.testing.assert_array_equal(out.time, [2020, 2021, 2022])


@settings(max_examples=40, deadline=None)
@given(
    y=st.lists(st.floats(1.0, 1e7), min_size=8, max_size=30),
    horizon=st.integers(1, 5),
    level=st.floats(0.5, 0.99),
)
def test_interval_contains_forecast_and_widens(y: list[float], horizon: int, level: float) -> None:
    t = np.arange(len(y))
    out = nowcast(t, y, horizon=horizon, level=level)
    assert out.ok
    assert np.all(out.lower <= out.mean * (1 + 1e-12)) and np.all(out.mean <= out.upper * (1 + 1e-12))
    width = np.log(out.upper) - np.log(out.lower)
    assert np.all(np.diff(width) >= -1e-12)
    wider = nowcast(t, y, horizon=horizon, level=min(level + 0.005, 0.999))
    assert np.all(wider.upper >= out.upper * (1 - 1e-12))


def test_coverage_on_simulated_random_walks() -> None:
    """80% one-step intervals cover about 80% of realised values."""
    rng = np.random.default_rng(42)
    hits = []
    for _ in range(600):
        log_y = np.cumsum(rng.normal(0.04, 0.15, 13))
        out = nowcast(np.arange(12), np.exp(log_y[:12]), horizon=1, level=0.8)
        hits.append(out.lower[0] <= np.exp(log_y[12]) <= out.upper[0])
    assert 0.76 <= np.mean(hits) <= 0.84


@pytest.mark.parametrize(
    ("t", "y", "reason"),
    [
        (np.arange(5), np.ones(5), "too short: 5 observations, at least 8 needed"),
        (np.arange(10), np.r_[np.ones(9), 0.0], "zero or negative"),
        (np.r_[1990, 1995, 2000, 2005, 2010, 2015, 2019, 2020, 2024], np.ones(9), "irregular"),
    ],
)
def test_refuses_with_a_reason(t: np.ndarray, y: np.ndarray, reason: str) -> None:
    out = nowcast(t, y)
    assert not out.ok and reason in out.reason and out.mean.size == 0


def test_real_tajik_remittances_nowcast(remittances: pd.DataFrame) -> None:
    row = remittances.loc["TJK"].dropna()
    t, y = row.index.astype(int).to_numpy(), row.to_numpy(float)
    out = nowcast(t, y, horizon=2, level=0.8)
    assert out.ok and out.n_obs == 21 and list(out.time) == [2023, 2024]
    # the drift is the average growth 2002-2022: (5346/79)^(1/20)
    assert np.exp(out.drift) == pytest.approx((y[-1] / y[0]) ** (1 / 20), rel=1e-9)
    assert out.lower[0] < y[-1] * np.exp(out.drift) < out.upper[0]
