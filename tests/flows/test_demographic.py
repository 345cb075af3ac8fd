"""demographic_accounting against migest 2.0.5's worked ffs_demo cases."""

from __future__ import annotations

import numpy as np
import pytest
from flow_cases import Case, case_names, close, load, needs_cases

from steppe.errors import InvalidOptionError
from steppe.flows import demographic_accounting

DEMO_CASES = case_names("ffs_demo_")
pytestmark = needs_cases
REFUSED = {"ffs_demo_e5_rescale_adjust_zero_fb", "ffs_demo_zerofb_rescale_adjust_zero_fb"}


def run(case: Case, tolerance: object = "migest"):
    order = case.order()
    lab = [order, order]
    kwargs = dict(case.params.get("args") or {})
    kwargs.pop("return", None)
    if "seed" in kwargs:
        kwargs["seed"] = case.array(kwargs["seed"], lab)
    used = [
        c["used_index_1based"] - 1
        for c in case.params.get("rescale_integer_sum_calls", [])
        if isinstance(c["used_index_1based"], int)
    ]
    return demographic_accounting(
        case.array("input_stock_start.csv", lab),
        case.array("input_stock_end.csv", lab),
        case.vector("input_births.csv", order),
        case.vector("input_deaths.csv", order),
        remainder_index=used or None,
        tolerance=tolerance,
        **kwargs,
    )


def expected(case: Case, converged: bool = False) -> np.ndarray:
    order = case.order()
    suffix = "_converged" if converged else ""
    if case.has("output_account.csv"):
        lab = [order + ["birth", "outside"], order + ["death", "outside"], order]
        return case.array(f"output_account{suffix}.csv", lab)
    return case.array(f"output_flow{suffix}.csv", [order, order, order])


@pytest.mark.parametrize("name", sorted(set(DEMO_CASES) - REFUSED))
def test_reproduces_migest(name: str) -> None:
    case = load(name)
    result = run(case)
    if case.has("output_account.csv"):
        close(result.account(), expected(case))
    else:
        close(result.flows, expected(case))
        order = case.order()
        close(result.od(), case.array("output_od.csv", [order, order]))


@pytest.mark.parametrize("name", sorted(set(DEMO_CASES) - REFUSED))
def test_sweep_counts_match_migest(name: str) -> None:
    case = load(name)
    result = run(case)
    r_sweeps = [
        c["iterations"] for c in case.params["ipfp_calls"] if c["tol"] == 0.001 and c["n_targets"] >= 1
    ]
    assert [d.sweeps for d in result.diagnostics] == r_sweeps


@pytest.mark.parametrize("name", sorted(set(DEMO_CASES) - REFUSED))
def test_converged_mode_matches_migest_run_to_tight_tolerance(name: str) -> None:
    case = load(name)
    result = run(case, tolerance=1e-10)
    got = result.account() if case.has("output_account.csv") else result.flows
    np.testing.assert_allclose(got, expected(case, converged=True), rtol=1e-9, atol=1e-6)


@pytest.mark.parametrize("name", sorted(REFUSED & set(DEMO_CASES)))
def test_rescale_adjust_zero_fb_is_refused(name: str) -> None:
    with pytest.raises(InvalidOptionError, match="rescale-adjust-zero-fb.*refused"):
        run(load(name))
