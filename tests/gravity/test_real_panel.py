"""The gravity model on the real UN DESA 2020 panel (all corridors, 1990-2020) and on
the Central Asian subset, with CEPII distances and the governance knowledge base."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pytest

from steppe.gravity.design import add_policy, build_panel
from steppe.gravity.model import fit_gravity
from steppe.gravity.policy import governance_table
from steppe.gravity.scenarios import driver_change, evaluate, join
from steppe.warehouse import Warehouse
from steppe.warehouse.ingest import Failed, plan_file, run_plan

CENTRAL_ASIA = ("KAZ", "KGZ", "TJK", "TKM", "UZB")


INPUTS = {
    "cepii/dist_cepii.csv": "cepii_gravity",
    "worldbank/wdi_databank_gdppc_selected_1960_2023.xlsx": "worldbank_wdi",
    "worldbank/bilateral_remittance_matrix_2021.xlsx": "knomad_bilateral",
}


@pytest.fixture(scope="module")
def real_warehouse(undesa_warehouse: Warehouse, shared_data: Path,
                   tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The UN DESA warehouse plus CEPII GeoDist, WDI GDP per capita and KNOMAD 2021,
    each loaded by its steppe loader."""
    missing = [name for name in INPUTS if not (shared_data / name).is_file()]
    if missing:
        pytest.skip(f"missing in {shared_data}: {missing}")
    wh = Warehouse(tmp_path_factory.mktemp("grav") / "steppe.duckdb")
    shutil.copyfile(undesa_warehouse.path, wh.path)
    results = run_plan(wh, [plan_file(shared_data / name, ds) for name, ds in INPUTS.items()])
    failed = [r for r in results if isinstance(r, Failed)]
    assert not failed, failed
    return wh


@pytest.fixture(scope="module")
def real_panel(real_warehouse: Warehouse):
    table = governance_table(["EEU", "CIS"])
    with real_warehouse.reader() as con:
        panel = build_panel(con, edition="2020")
    return panel, add_policy(panel.frame, table.is_member), table


@pytest.mark.slow
def test_full_panel_fits(real_panel) -> None:
    panel, frame, _ = real_panel
    assert sorted(frame.year.unique()) == [1990, 1995, 2000, 2005, 2010, 2015, 2020]
    assert frame.origin.nunique() > 200 and len(frame) > 250_000
    # UN DESA 2020: Uzbekistan-born in Russia, 2020 (published 1,146,175)
    uzb_rus = frame[(frame.origin == "UZB") & (frame.destination == "RUS") & (frame.year == 2020)]
    assert uzb_rus.y.iloc[0] == pytest.approx(1_146_175)
    model = fit_gravity(frame, sources=panel.sources)
    table = model.coefficients().set_index("term")
    assert model.result.converged and model.result.n_obs > 150_000
    assert table.loc["ln_distance", "estimate"] < 0 < table.loc["contiguity", "estimate"]
    assert table.loc["common_language_ethno", "estimate"] > 0
    assert np.isfinite(table["std_error"]).all()


@pytest.mark.slow
def test_central_asian_subset_and_uzbekistan_joins_eeu(real_panel) -> None:
    _, frame, members = real_panel
    sub = frame[frame.origin.isin(CENTRAL_ASIA) | frame.destination.isin(CENTRAL_ASIA)]
    model = fit_gravity(sub.reset_index(drop=True))
    assert model.result.converged
    out = evaluate(model, join(model, "UZB", "EEU", dt.date(2020, 1, 1), members.is_member))
    rows = out.set_index(["origin", "destination"])
    for dest in ("KAZ", "RUS"):
        r = rows.loc[("UZB", dest)]
        assert r.year == 2020 and r.baseline > 0
        assert r.lower < r.change < r.upper
        assert r.scenario == pytest.approx(r.baseline + r.change)


@pytest.mark.slow
def test_russian_gdp_falls_ten_percent(real_panel) -> None:
    """Driver scenario with pair and year effects and WDI GDP per capita (constant 2015 US$)."""
    _, frame, _ = real_panel
    model = fit_gravity(frame, fixed_effects="pair+year",
                        regressors=["ln_gdppc_o", "ln_gdppc_d", "eeu", "cis"])
    assert model.frame["ln_gdppc_d"].notna().all()
    out = evaluate(model, driver_change(model, "RUS", "gdppc", -10), years=[2020])
    b_d = model.result.coef[model.regressors.index("ln_gdppc_d")]
    into = out[out.destination == "RUS"].set_index("origin")
    for origin in ("UZB", "TJK", "KAZ"):
        r = into.loc[origin]
        assert r.scenario / r.baseline == pytest.approx(0.9 ** b_d)
        assert r.lower <= r.change <= r.upper
