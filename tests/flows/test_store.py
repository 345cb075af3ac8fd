"""The warehouse adapter: inputs from real UN DESA 2024 stocks and WPP 2024, runs stored.

A small warehouse is built once per session (conftest) from three official files (UN DESA 2024
bilateral stocks, WPP 2024 population by age and births/deaths); expected numbers are
read from the same files independently with DuckDB.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pytest

from steppe.errors import InvalidOptionError, NotLoadedError
from steppe.flows.chord import chord_figure, group_matrix
from steppe.flows.runs import estimate
from steppe.flows.store import (
    estimate_and_store,
    parse_period,
    period_matrix,
    query_estimates,
    read_inputs,
    save_run,
)
from steppe.warehouse import Warehouse

M49 = {"KAZ": 398, "UZB": 860, "RUS": 643}


@pytest.fixture(scope="module")
def inputs_2015(flows_warehouse: Path):  # type: ignore[no-untyped-def]
    with Warehouse(flows_warehouse).reader() as con:
        return read_inputs(con, (2015, 2020), "2024")


def _raw(shared_data: Path, sql: str) -> float:
    return float(duckdb.sql(sql.replace("{d}", str(shared_data))).fetchone()[0])


def test_parse_period() -> None:
    assert parse_period("2015-2020") == (2015, 2020)
    assert parse_period(" 1990–1995 ") == (1990, 1995)
    for bad in ("2020-2015", "2015", "2015-20", "abc"):
        with pytest.raises(InvalidOptionError, match="--period"):
            parse_period(bad)


def test_populations_births_deaths_match_wpp(inputs_2015, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    areas = list(inputs_2015.areas)
    assert inputs_2015.wpp_edition == "2024" and len(areas) > 200
    for iso, code in M49.items():
        i = areas.index(iso)
        for table, year in ((inputs_2015.stock_start, 2015), (inputs_2015.stock_end, 2020)):
            pop = _raw(shared_data, "SELECT round(sum(pop) * 1000) FROM read_csv("
                       f"'{{d}}/undesa/wpp2024_pkg/popAge5dt.csv.gz') WHERE country_code = {code} "
                       f"AND year = {year}")
            assert table[:, i].sum() == pytest.approx(pop, abs=1e-6)  # every column = population
        for name, vector in (("births", inputs_2015.births), ("deaths", inputs_2015.deaths)):
            expected = _raw(shared_data, f"SELECT sum(round({name} * 1000) * CASE WHEN year IN "
                            f"(2015, 2020) THEN 0.5 ELSE 1 END) FROM read_csv("
                            f"'{{d}}/undesa/wpp2024_pkg/misc1dt.csv.gz') WHERE country_code = "
                            f"{code} AND year BETWEEN 2015 AND 2020")
            assert vector[i] == pytest.approx(expected, abs=1e-6)


def test_stocks_follow_un_desa(inputs_2015, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    areas = list(inputs_2015.areas)
    kaz, uzb, rus = (areas.index(a) for a in ("KAZ", "UZB", "RUS"))
    s = inputs_2015.stock_start

    def raw(org: int, dest: int) -> float:
        return _raw(shared_data, "SELECT value FROM read_csv('{d}/undesa/ims_msShiny/"
                    f"ms2024org.csv.gz') WHERE LocIDorg = {org} AND LocIDdest = {dest} "
                    "AND year = 2015.5 AND sex = 0")

    # unknown birthplaces are spread in proportion: ratios and the foreign-born total hold
    assert s[uzb, kaz] / s[rus, kaz] == pytest.approx(raw(860, 398) / raw(643, 398), rel=1e-12)
    foreign = s[:, kaz].sum() - s[kaz, kaz]
    assert foreign == pytest.approx(raw(900, 398), rel=1e-12)
    assert s[uzb, kaz] >= raw(860, 398)
    assert (np.diag(s) >= 0).all()
    assert set(inputs_2015.releases) == {
        r for r in inputs_2015.releases if r.startswith(("un_desa_stock@2024#", "un_wpp@2024#"))}
    assert len(inputs_2015.releases) == 3


def test_bad_period_and_revision(flows_warehouse: Path) -> None:
    with Warehouse(flows_warehouse).reader() as con:
        with pytest.raises(InvalidOptionError, match=r"2016-2020.*\[1990, 1995"):
            read_inputs(con, (2016, 2020), "2024")
        with pytest.raises(NotLoadedError, match="revision 2020"):
            read_inputs(con, (2015, 2020), "2020")
        with pytest.raises(NotLoadedError, match="WPP 2024 .* for 2020-2024"):
            read_inputs(con, (2020, 2024), "2024")


def test_unknown_method_and_parameter(inputs_2015) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidOptionError, match="demographic-accounting"):
        estimate(inputs_2015, "gravity")
    with pytest.raises(InvalidOptionError, match="tolerance"):
        estimate(inputs_2015, "demographic-accounting", {"tolerence": 1e-6})


def test_estimate_store_and_query(flows_warehouse: Path, tmp_path: Path) -> None:
    path = tmp_path / "wh.duckdb"
    shutil.copyfile(flows_warehouse, path)
    wh = Warehouse(path)
    steps: list[str] = []
    run = estimate_and_store(wh, (2015, 2020), "demographic-accounting", "2024",
                             on_step=steps.append)
    assert len(steps) == 3
    od, areas = run.od, list(run.inputs.areas)
    assert (od >= 0).all() and np.diag(od).sum() == 0
    with wh.reader() as con:
        rows = query_estimates(con, "UZB", "KAZ")
        assert len(rows) == 1
        assert rows[0]["value"] == pytest.approx(od[areas.index("UZB"), areas.index("KAZ")])
        assert rows[0]["period"] == "2015-2020" and rows[0]["lower"] is None
        method, params, releases, version = con.execute(
            "SELECT method, parameters, input_releases, code_version FROM flow_runs").fetchone()
        total, corridors = con.execute("SELECT sum(value), count(*) FROM flow_estimate").fetchone()
        _, matrix, run_id = period_matrix(con, (2015, 2020))
    assert method == "demographic-accounting" and run_id == run.run_id
    assert json.loads(params)["tolerance"] == 1e-6 and json.loads(params)["wpp_edition"] == "2024"
    assert sorted(releases) == sorted(run.inputs.releases) and version
    assert total == pytest.approx(od.sum()) and corridors == int((od > 0).sum())
    assert matrix.sum() == pytest.approx(od.sum())
    # the same run again replaces itself; a different method adds a run
    with wh.writer() as con:
        assert save_run(con, run) == corridors
    estimate_and_store(wh, (2015, 2020), "stock-differencing", "2024")
    with wh.reader() as con:
        assert con.execute("SELECT count(*) FROM flow_runs").fetchone()[0] == 2
        methods = [r["method"] for r in query_estimates(con, "UZB", "RUS")]
    assert sorted(methods) == ["demographic-accounting", "stock-differencing"]


def test_group_matrix_and_chord() -> None:
    rng = np.random.default_rng(5)
    areas = ["KAZ", "USA", "UZB", "DEU", "RUS", "FRA"]
    od = rng.uniform(0, 100, (6, 6))
    np.fill_diagonal(od, 0)
    m, labels = group_matrix(od, areas)
    assert labels == ("KAZ", "KGZ", "TJK", "TKM", "UZB", "RUS", "Rest of world")
    rest = [1, 3, 5]
    assert m.sum() == pytest.approx(od.sum() - od[np.ix_(rest, rest)].sum())
    assert m[0, 4] == od[0, 2] and m[6, 0] == pytest.approx(od[rest, 0].sum())
    fig = chord_figure(m, labels, title="test")
    assert len(fig.axes) == 1 and len(fig.axes[0].patches) == len(labels) + int((m > 0).sum())
    with pytest.raises(ValueError, match="labels"):
        chord_figure(m, labels[:-1])
    with pytest.raises(ValueError, match="matrix"):
        chord_figure(-m, labels)


def test_pseudo_bayes_stores_intervals(flows_warehouse: Path, inputs_2015, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Real 2024-revision inputs: point estimates with 90 % intervals go into flow_estimate.

    To keep this fast, the inputs are cut to the 40 most populous regions (with UZB and KAZ)
    and 20 draws are run (the full 236-region run is the CLI test). The point estimate is
    checked against ``demographic_accounting`` run independently with the continuous
    global balance (the data-driven smoothing weights are close to 1 on real counts).
    """
    from dataclasses import replace

    from steppe.flows.demographic import demographic_accounting

    full = list(inputs_2015.areas)
    order = np.argsort(-inputs_2015.stock_start.sum(axis=0))
    pick = sorted(set(order[:38].tolist()) | {full.index("UZB"), full.index("KAZ")})
    inputs_2015 = replace(inputs_2015, areas=tuple(full[i] for i in pick),
                          stock_start=inputs_2015.stock_start[np.ix_(pick, pick)],
                          stock_end=inputs_2015.stock_end[np.ix_(pick, pick)],
                          births=inputs_2015.births[pick], deaths=inputs_2015.deaths[pick])
    run = estimate(inputs_2015, "pseudo-bayes", {"draws": 20, "tolerance": 1e-3})
    od, lower, upper = run.od, run.lower, run.upper
    assert lower is not None and upper is not None and lower.shape == od.shape
    assert (lower >= 0).all() and (lower <= upper).all()
    plain = demographic_accounting(inputs_2015.stock_start, inputs_2015.stock_end,
                                   inputs_2015.births, inputs_2015.deaths,
                                   match_global="after-demo-adjust", tolerance=1e-3).od()
    assert od.sum() == pytest.approx(plain.sum(), rel=1e-3)
    point, low, high = run.extra["total"]
    assert point == pytest.approx(od.sum()) and low <= high and run.extra["draws"] == 20
    assert any("90% interval" in m for m in run.messages)

    path = tmp_path / "wh.duckdb"
    shutil.copyfile(flows_warehouse, path)
    wh = Warehouse(path)
    with wh.writer() as con:
        stored = save_run(con, run)
    keep = (od > 0) | (upper > 0)
    np.fill_diagonal(keep, False)
    assert stored == int(keep.sum())
    areas = list(inputs_2015.areas)
    uzb, kaz = areas.index("UZB"), areas.index("KAZ")
    with wh.reader() as con:
        rows = query_estimates(con, "UZB", "KAZ", method="pseudo-bayes")
        params = json.loads(con.execute("SELECT parameters FROM flow_runs").fetchone()[0])
        n_null = con.execute("SELECT count(*) FROM flow_estimate "
                             "WHERE lower IS NULL OR upper IS NULL").fetchone()[0]
    assert len(rows) == 1 and rows[0]["level"] == 0.9
    assert (rows[0]["value"], rows[0]["lower"], rows[0]["upper"]) == pytest.approx(
        (od[uzb, kaz], lower[uzb, kaz], upper[uzb, kaz]))
    assert params["draws"] == 20 and params["level"] == 0.9 and n_null == 0
