"""ipf2, ipf3, ipf3_qi, cm2, cm3, stock_differencing and migration_rates against migest 2.0.5."""

from __future__ import annotations

import numpy as np
import pytest
from flow_cases import case_names, close, load, needs_cases, rows

from steppe.flows import (
    cm2,
    cm3,
    ipf2,
    ipf3,
    ipf3_qi,
    migration_rates,
    stock_differencing,
)
from steppe.flows.cm import fit_cm

pytestmark = needs_cases


@pytest.mark.parametrize("name", case_names("ipf2_"))
def test_ipf2(name: str) -> None:
    case = load(name)
    o = case.order()
    s = case.params["scalars"]
    m = case.array("input_m.csv", [o, o]) if case.has("input_m.csv") else None
    fit = ipf2(s.get("row_tot"), s.get("col_tot"), m)
    close(fit.fitted, case.array("output_mu.csv", [o, o]))
    assert fit.sweeps == case.params["result_scalars"]["it"]
    assert fit.discrepancy == pytest.approx(case.params["result_scalars"]["tol"], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("name", case_names("ipf3"))
def test_ipf3(name: str) -> None:
    case = load(name)
    o = case.order()
    p1 = case.array("input_P1.csv", [o, o])
    p2 = case.array("input_P2.csv", [o, o])
    m = case.array("input_m.csv", [o, o, o]) if case.has("input_m.csv") else None
    fn = ipf3_qi if name.startswith("ipf3_qi") else ipf3
    fit = fn(p1.T, p2, m)
    close(fit.fitted, case.array("output_mu.csv", [o, o, o]))
    od = fit.fitted.sum(axis=2)
    np.fill_diagonal(od, 0)
    close(od, case.array("output_od.csv", [o, o]))
    assert fit.sweeps == case.params["result_scalars"]["it"]
    assert fit.discrepancy == pytest.approx(case.params["result_scalars"]["tol"], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("name", case_names("cm2_"))
def test_cm2(name: str) -> None:
    case = load(name)
    o = case.order()
    s = case.params["scalars"]
    m = case.array("input_m.csv", [o, o]) if case.has("input_m.csv") else None
    fit = cm2(s["row_tot"], s["col_tot"], m)
    close(fit.fitted, case.array("output_n.csv", [o, o]))
    theta = case.params["result_scalars"]["theta"]
    np.testing.assert_allclose(fit.alpha, [theta[f"alpha{i + 1}"] for i in range(len(o))], rtol=1e-13)
    np.testing.assert_allclose(fit.beta, [theta[f"beta{i + 1}"] for i in range(len(o))], rtol=1e-13)


def _types(case) -> list[str]:
    seen: list[str] = []
    for r in rows(case.file("input_m.csv")):
        if r[2] not in seen:
            seen.append(r[2])
    return seen


def test_cm3_two_tables() -> None:
    case = load("cm3_two_tables")
    o, t = case.order(), _types(case)
    s = case.params["scalars"]
    fit = cm3(s["row_tot"], s["col_tot"], case.array("input_m.csv", [o, o, t]))
    close(fit.fitted, case.array("output_n.csv", [o, o, t]))


def test_cm3_doc_example_refused_but_kernel_reproduces_migest() -> None:
    """migest silently uses only the first two of three totals; steppe refuses that call."""
    case = load("cm3_three_tables_doc")
    o, t = case.order(), _types(case)
    s = case.params["scalars"]
    m = case.array("input_m.csv", [o, o, t])
    with pytest.raises(ValueError, match="row_tot has 3 entries but m has 2 rows"):
        cm3(s["row_tot"], s["col_tot"], m)
    a, b, _, _ = fit_cm(np.array(s["row_tot"][:2], float), np.array(s["col_tot"][:2], float), m.sum(2), tol=1e-6, maxit=500)
    close(a[:, None, None] * b[None, :, None] * m, case.array("output_n.csv", [o, o, t]))


DIFF = {
    "ffs_diff_return": {},
    "ffs_diff_return_native": {"include_native_born": True},
    "ffs_diff_zero": {"decrease": "zero"},
}


@pytest.mark.parametrize("name", [n for n in case_names("ffs_diff") if n in DIFF])
def test_stock_differencing(name: str) -> None:
    case = load(name)
    o = case.order()
    got = stock_differencing(
        case.array("input_stock_start.csv", [o, o]), case.array("input_stock_end.csv", [o, o]), **DIFF[name]
    )
    close(got, case.array("output_flow.csv", [o, o]))


@pytest.mark.parametrize("name", case_names("ffs_rates"))
def test_migration_rates(name: str) -> None:
    case = load(name)
    o = case.order()
    s0 = case.array("input_stock_start.csv", [o, o])
    if name == "ffs_rates_dennett":
        got = migration_rates(s0, flow_total=case.params["scalars"]["M"])
    else:
        got = migration_rates(s0, case.array("input_stock_end.csv", [o, o]), method="rogers-von-rabenau")
    close(got, case.array("output_flow.csv", [o, o]))


def test_every_case_is_covered() -> None:
    names = set(case_names(""))
    covered = {n for n in names if n.split("_")[0] in {"ipf2", "ipf3", "cm2", "cm3", "ffs"}}
    assert names == covered
    assert len(names) in (0, 39)
