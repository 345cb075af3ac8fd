"""Break and unusual-change detection: planted breaks, invariances, real remittances."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steppe.monitor.alerts import series_alerts
from steppe.monitor.breaks import detect_breaks, unusual_changes


def _series(frame: pd.DataFrame, code: str) -> tuple[np.ndarray, np.ndarray]:
    row = frame.loc[code].dropna()
    return row.index.astype(int).to_numpy(), row.to_numpy(float)


@pytest.mark.parametrize("code", ["TJK", "KGZ"])
def test_flags_the_2015_remittance_collapse(remittances: pd.DataFrame, code: str) -> None:
    """The rouble crisis: remittances to Tajikistan fell 33% and to Kyrgyzstan 25% in 2015."""
    t, y = _series(remittances, code)
    alerts = series_alerts(f"area_indicator:remittances_received:{code}", t, y)
    around = [a for a in alerts if 2014 <= a.time <= 2016 and a.percent < -20]
    assert around, alerts
    change = next(a for a in around if a.kind == "unusual_change")
    published = (y[t == 2015][0] / y[t == 2014][0] - 1) * 100
    assert change.percent == pytest.approx(published, abs=0.01)


def test_tajikistan_trend_break_in_2015(remittances: pd.DataFrame) -> None:
    t, y = _series(remittances, "TJK")
    breaks = detect_breaks(t, y)
    assert 2015 in [b.time for b in breaks]
    b = next(b for b in breaks if b.time == 2015)
    assert b.size < 0 and b.slope_after < b.slope_before


def test_no_break_in_a_steady_series(remittances: pd.DataFrame) -> None:
    t = np.arange(2000, 2020)
    assert detect_breaks(t, 100 * 1.05 ** (t - 2000)) == []
    assert unusual_changes(t, 100 * 1.05 ** (t - 2000)) == []


@settings(max_examples=40, deadline=None)
@given(
    at=st.integers(6, 14),
    jump=st.floats(0.5, 2.0) | st.floats(-2.0, -0.5),
    growth=st.floats(-0.1, 0.1),
    seed=st.integers(0, 10_000),
)
def test_planted_break_is_found_at_its_date(at: int, jump: float, growth: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    t = np.arange(2000, 2020)
    log_y = 5 + growth * (t - 2000) + jump * (t >= 2000 + at) + rng.normal(0, 0.02, len(t))
    breaks = detect_breaks(t, np.exp(log_y))
    assert any(b.time == 2000 + at and np.sign(b.size) == np.sign(jump) for b in breaks)


@settings(max_examples=30, deadline=None)
@given(scale=st.floats(1e-3, 1e6), seed=st.integers(0, 10_000))
def test_breaks_do_not_depend_on_units(scale: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    t = np.arange(1995, 2020)
    y = np.exp(np.cumsum(rng.normal(0.05, 0.2, len(t))))
    a, b = detect_breaks(t, y), detect_breaks(t, y * scale)
    assert [x.time for x in a] == [x.time for x in b]
    np.testing.assert_allclose([x.size for x in a], [x.size for x in b], atol=1e-8)


def test_short_series_and_bad_options() -> None:
    assert detect_breaks([2000, 2001, 2002], [1.0, 2.0, 3.0]) == []
    with pytest.raises(ValueError, match="at least 3 points"):
        detect_breaks(range(10), np.ones(10), min_size=2)
    with pytest.raises(ValueError, match="same length"):
        detect_breaks(range(10), np.ones(9))
