"""Properties of the default estimator on synthetic inputs of realistic shape, n = 4..250."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steppe.flows import FlowEstimate, demographic_accounting
from steppe.flows.synthetic import stock_pair

sizes = st.one_of(st.integers(4, 40), st.integers(41, 250))
common = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def estimate(p, **kw) -> FlowEstimate:
    return demographic_accounting(p.stock_start, p.stock_end, p.births, p.deaths, **kw)


@common
@given(n=sizes, seed=st.integers(0, 2**32 - 1))
def test_flows_are_non_negative(n: int, seed: int) -> None:
    res = estimate(stock_pair(n, seed))
    assert res.flows.shape == (n, n, n)
    assert (res.flows >= 0).all()
    assert (np.diag(res.od()) == 0).all()


@common
@given(n=sizes, seed=st.integers(0, 2**32 - 1))
def test_margins_reproduce_adjusted_stocks(n: int, seed: int) -> None:
    res = estimate(stock_pair(n, seed))
    start = res.flows.sum(axis=1).T  # [pob, orig]
    end = res.flows.sum(axis=0).T  # [pob, dest]
    scale = 1e-9 * np.abs(res.stock_start).max()
    # margins differ at most by the birthplace-total residue the two rescaling IPFs left
    residue = sum(d.margin_errors[0] for d in res.diagnostics if d.step.startswith("match_birthplace"))
    assert np.abs(start - res.stock_start).sum(axis=1).max() <= residue + scale
    if not any("no movers in" in m for m in res.messages):
        np.testing.assert_allclose(start, res.stock_start, rtol=1e-12, atol=scale)
    assert np.abs(end - res.stock_end).sum(axis=1).max() <= residue + scale


@common
@given(n=sizes, seed=st.integers(0, 2**32 - 1), data=st.data())
def test_permuting_regions_permutes_the_result(n: int, seed: int, data: st.DataObject) -> None:
    p = stock_pair(n, seed)
    perm = np.array(data.draw(st.permutations(range(n))))
    base = estimate(p)
    moved = demographic_accounting(
        p.stock_start[np.ix_(perm, perm)], p.stock_end[np.ix_(perm, perm)], p.births[perm], p.deaths[perm]
    )
    # a different summation order can move the IPF stop by one sweep: cells then differ by < tol
    np.testing.assert_allclose(moved.flows, base.flows[np.ix_(perm, perm, perm)], rtol=1e-9, atol=2e-3)
    np.testing.assert_allclose(moved.od(), base.od()[np.ix_(perm, perm)], rtol=1e-9, atol=2e-3 * n)


@common
@given(n=sizes, seed=st.integers(0, 2**32 - 1), power=st.integers(-6, 12))
def test_scaling_inputs_scales_flows(n: int, seed: int, power: int) -> None:
    p = stock_pair(n, seed, balanced=True)
    c = 2.0**power  # exact in floating point; the stopping tolerance is scaled with the data
    base = estimate(p, tolerance=1e-3)
    scaled = demographic_accounting(
        c * p.stock_start, c * p.stock_end, c * p.births, c * p.deaths, tolerance=1e-3 * c
    )
    np.testing.assert_allclose(scaled.flows, c * base.flows, rtol=1e-12, atol=0)


@settings(max_examples=8, deadline=None)
@given(n=st.integers(4, 60), seed=st.integers(0, 2**32 - 1), c=st.floats(0.01, 1000))
def test_any_scale_factor_scales_flows_to_the_stopping_tolerance(n: int, seed: int, c: float) -> None:
    p = stock_pair(n, seed, balanced=True)
    # the continuous global balance: the default one rounds natives to whole persons
    base = estimate(p, tolerance=1e-8, match_global="after-demo-adjust")
    scaled = demographic_accounting(
        c * p.stock_start, c * p.stock_end, c * p.births, c * p.deaths,
        tolerance=1e-8 * c, match_global="after-demo-adjust",
    )
    np.testing.assert_allclose(scaled.flows, c * base.flows, rtol=1e-6, atol=1e-6 * c)
