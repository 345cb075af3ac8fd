"""The corridor panel built from a tiny warehouse, fitted, and a scenario on it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import gravity.tiny_warehouse as tw
import numpy as np
import pytest
from gravity.membership_cases import HAND_TABLE

from steppe.errors import InvalidOptionError, NotLoadedError
from steppe.gravity.design import add_policy, build_panel
from steppe.gravity.model import fit_gravity
from steppe.gravity.scenarios import driver_change, evaluate, join
from steppe.warehouse import Warehouse


@pytest.fixture(scope="module")
def panel(tmp_path_factory: pytest.TempPathFactory):
    wh = tw.build(tmp_path_factory.mktemp("wh") / "tiny.duckdb")
    with wh.reader() as con:
        built = build_panel(con)
    return built


def test_panel_is_the_full_square_with_zeros(panel) -> None:
    frame = panel.frame
    n = len(tw.COUNTRIES)
    assert len(frame) == n * (n - 1) * len(tw.YEARS)
    assert frame.duplicated(["origin", "destination", "year"]).sum() == 0
    assert (frame["y"] >= 0).all()
    assert (frame.loc[(frame.origin == "TKM") & (frame.destination == "USA"), "y"] == 0).all()
    assert panel.release_id == tw.REL
    assert "cepii_dist@2011#000000000000" in panel.sources
    assert frame["ln_distance"].notna().all()
    assert frame["ln_gdppc_o"].notna().all() and frame["ln_pop_o"].isna().all()


def test_subset_keeps_only_corridors_touching_the_areas(panel, tmp_path: Path) -> None:
    wh = tw.build(tmp_path / "t.duckdb")
    with wh.reader() as con:
        sub = build_panel(con, involving=["UZB", "TJK"]).frame
    assert (sub.origin.isin(["UZB", "TJK"]) | sub.destination.isin(["UZB", "TJK"])).all()
    assert len(sub) == (2 * 15 + 2 * 15 - 2) * len(tw.YEARS)


def test_fit_recovers_the_policy_effects(panel) -> None:
    frame = add_policy(panel.frame, HAND_TABLE.is_member)
    model = fit_gravity(frame, sources=panel.sources)
    table = model.coefficients().set_index("term")
    for term, truth in tw.TRUE.items():
        est, se = table.loc[term, ["estimate", "std_error"]]
        assert abs(est - truth) < 4 * se + 0.02, (term, est, se, truth)
    assert model.provenance["sources"] == sorted(panel.sources)
    assert len(model.provenance["model_id"]) == 12


def test_uzbekistan_joins_eeu_scenario(panel) -> None:
    frame = add_policy(panel.frame, HAND_TABLE.is_member)
    model = fit_gravity(frame)
    scen = join(model, "UZB", "EEU", dt.date(2020, 1, 1), HAND_TABLE.is_member)
    out = evaluate(model, scen)
    corridors = set(zip(out.origin, out.destination))
    # only UZB corridors with EEU members change, only in 2020
    assert corridors == {(a, b) for m in ("ARM", "BLR", "KAZ", "KGZ", "RUS")
                         for a, b in (("UZB", m), (m, "UZB"))}
    assert set(out.year) == {2020}
    b = model.result.coef[model.regressors.index("eeu")]
    np.testing.assert_allclose(out.scenario / out.baseline, np.exp(b))
    np.testing.assert_allclose(out.change, out.scenario - out.baseline)
    assert (out.lower < out.change).all() and (out.change < out.upper).all()
    row = out[(out.origin == "UZB") & (out.destination == "RUS")].iloc[0]
    se = model.result.se[model.regressors.index("eeu")]
    assert row.lower == pytest.approx(row.baseline * np.expm1(b - 1.959964 * se), rel=1e-5)


def test_driver_scenario_needs_a_model_with_the_driver(panel) -> None:
    frame = add_policy(panel.frame, HAND_TABLE.is_member)
    model = fit_gravity(frame)
    with pytest.raises(InvalidOptionError, match="pair\\+year"):
        driver_change(model, "RUS", "gdppc", -10)
    drivers = fit_gravity(frame, fixed_effects="pair+year",
                          regressors=["ln_gdppc_o", "ln_gdppc_d", "eeu", "cis"])
    out = evaluate(drivers, driver_change(drivers, "RUS", "gdppc", -10))
    b_d = drivers.result.coef[drivers.regressors.index("ln_gdppc_d")]
    into_rus = out[out.destination == "RUS"]
    np.testing.assert_allclose(into_rus.scenario / into_rus.baseline, 0.9 ** b_d)


def test_empty_warehouse_says_what_to_load(tmp_path: Path) -> None:
    wh = Warehouse(tmp_path / "empty.duckdb")
    with wh.writer():
        pass
    with wh.reader() as con, pytest.raises(NotLoadedError, match="steppe ingest"):
        build_panel(con)


def test_flow_outcome_reads_the_newest_run(tmp_path: Path) -> None:
    wh = tw.build(tmp_path / "f.duckdb")
    with wh.writer() as con:
        for run, created, value in (("r-old", "2026-01-01", 1.0), ("r-new", "2026-02-01", 7.0)):
            con.execute("INSERT INTO flow_runs VALUES (?, 'demographic-accounting', 2015, 2020, "
                        "'2020', '{}', ['x'], ?, 'test')", [run, created])
            con.execute("INSERT INTO flow_estimate VALUES (?, 'UZB', 'RUS', ?, NULL, NULL), "
                        "(?, 'TJK', 'RUS', ?, NULL, NULL)", [run, value * 1000, run, value * 500])
    with wh.reader() as con:
        panel = build_panel(con, outcome="flow")
        with pytest.raises(NotLoadedError, match="steppe flows"):
            build_panel(con, outcome="flow", flow_method="stock-differencing")
    frame = panel.frame.set_index(["origin", "destination"])
    assert set(panel.frame.year) == {2015}
    assert frame.loc[("UZB", "RUS"), "y"] == 7000.0 and frame.loc[("TJK", "RUS"), "y"] == 3500.0
    assert frame["y"].sum() == 10_500.0


def test_pair_change_matches_join_for_that_pair(panel) -> None:
    from steppe.gravity.scenarios import pair_change

    frame = add_policy(panel.frame, HAND_TABLE.is_member)
    model = fit_gravity(frame)
    by_pair = evaluate(model, pair_change(model, "eeu", "UZB", "KAZ", 1.0, 2020))
    by_join = evaluate(model, join(model, "UZB", "EEU", dt.date(2020, 1, 1), HAND_TABLE.is_member))
    assert set(zip(by_pair.origin, by_pair.destination)) == {("UZB", "KAZ"), ("KAZ", "UZB")}
    merged = by_pair.merge(by_join, on=["origin", "destination", "year"], suffixes=("", "_j"))
    np.testing.assert_allclose(merged.change, merged.change_j)
    with pytest.raises(InvalidOptionError, match="visa_free"):
        pair_change(model, "visa_free", "UZB", "KAZ", 1.0, 2020)
