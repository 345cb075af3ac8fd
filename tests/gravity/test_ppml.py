"""The PPML kernel against known answers and against statsmodels' GLM with dummies."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from gravity.gravity_sim import simulate_gravity

from steppe.errors import InvalidOptionError
from steppe.gravity.ppml import fit_ppml


def _fit(frame: pd.DataFrame, k: int, **kw: object):
    return fit_ppml(
        frame["y"], frame[[f"x{j}" for j in range(k)]].to_numpy(), [f"x{j}" for j in range(k)],
        {"ot": frame["origin_year"], "dt": frame["destination_year"]}, **kw,
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_recovers_simulated_coefficients_within_standard_errors(seed: int) -> None:
    frame, beta = simulate_gravity(25, 4, (0.5, -0.8, 0.2), seed=seed)
    res = _fit(frame, 3, vcov="hetero")
    assert res.converged
    # each coefficient within 3 standard errors of the truth (a 99.7% band)
    assert np.all(np.abs(res.coef - beta) < 3 * res.se), (res.coef, res.se)
    # and the standard errors are informative: small relative to the effects
    assert np.all(res.se < 0.1)


def test_interval_coverage_over_many_simulations() -> None:
    """About 95% of 95% intervals cover the true coefficient (binomial band)."""
    hits = []
    for seed in range(40):
        frame, beta = simulate_gravity(10, 2, (0.4,), seed=100 + seed, scale=1.5)
        res = _fit(frame, 1, vcov="hetero")
        hits.append(abs(res.coef[0] - beta[0]) < 1.96 * res.se[0])
    assert 0.8 <= np.mean(hits) <= 1.0


def _dummy_design(frame: pd.DataFrame, k: int) -> np.ndarray:
    """Full-rank design: constant, origin-year dummies but one, destination-year
    dummies but one per year (the o-t and d-t sets share one constraint per year)."""
    cols = [frame[[f"x{j}" for j in range(k)]].to_numpy(), np.ones((len(frame), 1))]
    ot = pd.get_dummies(frame["origin_year"]).astype(float)
    cols.append(ot.iloc[:, 1:].to_numpy())
    first_d = frame["d"].min()
    dt = pd.get_dummies(frame["destination_year"].where(frame["d"] != first_d)).astype(float)
    cols.append(dt.to_numpy())
    return np.column_stack(cols)


def test_matches_statsmodels_glm_with_dummies() -> None:
    frame, _ = simulate_gravity(8, 3, (0.5, -0.8), seed=11)
    design = _dummy_design(frame, 2)
    assert np.linalg.matrix_rank(design) == design.shape[1]
    for vcov, cov_type in (("hetero", "HC0"), ("iid", "nonrobust")):
        res = _fit(frame, 2, vcov=vcov, small_sample=False)
        glm = sm.GLM(frame["y"].to_numpy(), design, family=sm.families.Poisson()).fit(
            tol=1e-13, maxiter=200, cov_type=cov_type
        )
        np.testing.assert_allclose(res.coef, glm.params[:2], atol=1e-6, rtol=0)
        np.testing.assert_allclose(res.se, glm.bse[:2], rtol=1e-5)
        np.testing.assert_allclose(res.fitted, glm.fittedvalues, rtol=1e-6)


def test_clustered_errors_and_tidy_table() -> None:
    frame, _ = simulate_gravity(12, 3, (0.5,), seed=5)
    pair = frame.o * 100 + frame.d
    res = _fit(frame, 1, vcov="cluster", cluster=pair)
    assert res.n_clusters == 12 * 11
    table = res.tidy()
    assert list(table.columns) == ["term", "estimate", "std_error", "z", "p_value", "conf_low", "conf_high"]
    assert table.loc[0, "conf_low"] < table.loc[0, "estimate"] < table.loc[0, "conf_high"]


def test_rows_of_all_zero_groups_are_dropped_and_flagged() -> None:
    frame, _ = simulate_gravity(8, 2, (0.5,), seed=7)
    frame.loc[frame.o == 3, "y"] = 0.0
    res = _fit(frame, 1)
    assert not res.used[frame.o.to_numpy() == 3].any()
    assert np.isnan(res.fitted[frame.o.to_numpy() == 3]).all()
    assert res.n_obs == int((frame.o != 3).sum())


def test_bad_options_say_what_is_accepted() -> None:
    frame, _ = simulate_gravity(5, 1, (0.5,), seed=1)
    with pytest.raises(InvalidOptionError, match="'iid', 'hetero', 'cluster'"):
        _fit(frame, 1, vcov="robust")
    with pytest.raises(ValueError, match="needs cluster labels"):
        _fit(frame, 1, vcov="cluster")
    with pytest.raises(ValueError, match="negative"):
        fit_ppml(-frame["y"] - 1, frame[["x0"]].to_numpy(), ["x0"], {"ot": frame["origin_year"]})


def test_unestimable_models_raise_a_steppe_error() -> None:
    from steppe.gravity.ppml import EstimationError

    frame, _ = simulate_gravity(6, 2, (0.5,), seed=3)
    with pytest.raises(EstimationError, match="collinear"):
        fit_ppml(frame["y"], np.column_stack([frame["x0"], 2 * frame["x0"]]), ["a", "b"],
                 {"ot": frame["origin_year"], "dt": frame["destination_year"]})
    with pytest.raises(EstimationError, match="only 0 rows"):
        fit_ppml(np.full(len(frame), np.nan), frame[["x0"]].to_numpy(), ["x0"],
                 {"ot": frame["origin_year"]})
