"""Closed demographic accounting with uncertainty: margins, degenerate cases, coverage."""

from __future__ import annotations

import numpy as np
import pytest

from steppe.errors import InvalidOptionError
from steppe.flows import demographic_accounting
from steppe.flows.synthetic import stock_pair
from steppe.flows.uncertainty import flows_with_uncertainty, perturb, pseudo_bayes


def _od(f: np.ndarray) -> np.ndarray:
    od = f.sum(axis=2)
    np.fill_diagonal(od, 0)
    return od


@pytest.mark.parametrize("smoothing", [None, 0.0, 0.3, 1.0])
def test_smoothed_flows_close_the_account(smoothing: float | None) -> None:
    p = stock_pair(12, 7)
    est = demographic_accounting(p.stock_start, p.stock_end, p.births, p.deaths, tolerance=1e-8)
    flows, w = pseudo_bayes(est, smoothing)
    assert (flows >= 0).all() and ((w >= 0) & (w <= 1)).all()
    np.testing.assert_allclose(flows.sum(axis=1).T, est.stock_start, rtol=1e-9, atol=1e-3)
    np.testing.assert_allclose(flows.sum(axis=0).T, est.stock_end, rtol=1e-6, atol=1e-2)
    if smoothing == 0.0:
        np.testing.assert_allclose(flows, est.flows, rtol=1e-12, atol=1e-9)


def test_more_smoothing_means_more_moves() -> None:
    p = stock_pair(10, 3)
    est = demographic_accounting(p.stock_start, p.stock_end, p.births, p.deaths)
    totals = [_od(pseudo_bayes(est, s)[0]).sum() for s in (0.0, 0.2, 0.6)]
    assert totals[0] < totals[1] < totals[2]


def test_no_measurement_error_gives_zero_width_intervals() -> None:
    p = stock_pair(6, 2)
    u = flows_with_uncertainty(p.stock_start, p.stock_end, p.births, p.deaths, draws=20,
                               cv_stock=0, cv_population=0, cv_events=0, random_state=1)
    np.testing.assert_allclose(u.lower, u.od, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(u.upper, u.od, rtol=1e-9, atol=1e-6)


def test_intervals_cover_the_simulated_truth_at_the_stated_rate() -> None:
    """Truth: the estimator on error-free inputs; data: one draw with the stated errors."""
    covered, counted = 0, 0
    for rep in range(5):
        p = stock_pair(8, 100 + rep)
        est = demographic_accounting(p.stock_start, p.stock_end, p.births, p.deaths,
                                     match_global="after-demo-adjust", tolerance=1e-6)
        truth = _od(pseudo_bayes(est)[0])
        observed = perturb(np.random.default_rng(rep), p.stock_start, p.stock_end, p.births, p.deaths,
                           0.1, 0.01, 0.02)
        u = flows_with_uncertainty(*observed, draws=150, level=0.9, random_state=rep)
        assert (u.lower <= u.upper).all() and (u.lower >= 0).all()
        mask = truth > 1
        covered += int(((truth >= u.lower) & (truth <= u.upper))[mask].sum())
        counted += int(mask.sum())
    rate = covered / counted
    assert 0.8 <= rate <= 0.98, f"coverage {rate:.3f} of {counted} corridors at nominal 0.9"


@pytest.mark.parametrize(("kw", "name"), [({"draws": 5}, "draws"), ({"level": 1.5}, "level"),
                                          ({"cv_stock": -1.0}, "cv_stock"), ({"smoothing": 2.0}, "smoothing")])
def test_bad_options(kw: dict, name: str) -> None:
    p = stock_pair(4, 0)
    with pytest.raises(InvalidOptionError, match=f"{name}="):
        flows_with_uncertainty(p.stock_start, p.stock_end, p.births, p.deaths, **kw)


def test_the_world_total_interval_contains_the_point_estimate() -> None:
    """Errors persisting between the two dates must not turn into spurious moves."""
    p = stock_pair(30, 11)
    u = flows_with_uncertainty(p.stock_start, p.stock_end, p.births, p.deaths, draws=60,
                               level=0.9, random_state=3)
    point, lower, upper = u.total
    assert lower <= point <= upper
    independent = flows_with_uncertainty(p.stock_start, p.stock_end, p.births, p.deaths,
                                         draws=60, level=0.9, random_state=3, rho=0.0)
    # independent noise at the two dates inflates the draws: a wider, higher interval
    assert independent.total[2] - independent.total[1] > upper - lower
