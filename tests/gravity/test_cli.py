"""`steppe scenario` and `steppe gravity` on the real UN DESA warehouse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steppe.cli.main import app
from steppe.warehouse import Warehouse

runner = CliRunner()
KEYS = {"origin", "destination", "year", "baseline", "scenario", "change", "lower", "upper"}


@pytest.mark.slow
def test_scenario_json_contract(undesa_warehouse: Warehouse, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEPPE_CACHE", str(tmp_path))
    result = runner.invoke(app, ["scenario", "--join", "UZB:EEU", "--from", "2020", "--format",
                                 "json", "--db", str(undesa_warehouse.path)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert all(set(r) == KEYS for r in rows)
    by = {(r["origin"], r["destination"]): r for r in rows}
    for dest in ("KAZ", "RUS"):
        r = by[("UZB", dest)]
        assert r["year"] == 2020 and r["lower"] < r["change"] < r["upper"]
        assert r["scenario"] == pytest.approx(r["baseline"] + r["change"])


def test_gravity_table_and_plot_on_the_central_asian_subset(
    undesa_warehouse: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEPPE_CACHE", str(tmp_path))
    plot = tmp_path / "coef.png"
    result = runner.invoke(app, ["gravity", "--subset", "central_asia", "--format", "csv",
                                 "--plot", str(plot), "--db", str(undesa_warehouse.path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "term,estimate,std_error,z,p_value,conf_low,conf_high"
    assert {ln.split(",")[0] for ln in lines[1:3]} == {"eeu", "cis"}
    assert plot.stat().st_size > 1000
    saved = list((tmp_path / "gravity").glob("gravity-*.json"))
    doc = json.loads(saved[0].read_text())
    assert doc["provenance"]["release_id"].startswith("un_desa_stock@2020#")


def test_bad_join_is_refused_before_fitting(undesa_warehouse: Warehouse) -> None:
    result = runner.invoke(app, ["scenario", "--join", "UZB-EEU", "--db", str(undesa_warehouse.path)])
    assert result.exit_code != 0
    assert "COUNTRY:VALUE" in str(result.exception)
