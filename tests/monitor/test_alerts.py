"""Alerts read from a warehouse: real remittance series loaded into a temporary file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from steppe.monitor.alerts import scan
from steppe.warehouse import Warehouse

REL = "wdi_remittances@2023-10-26#74fc3ee7d6e4"
URL = "https://api.worldbank.org/v2/en/indicator/BX.TRF.PWKR.CD.DT?downloadformat=excel"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory, remittances: pd.DataFrame) -> Warehouse:
    long = (remittances.loc[["TJK", "KGZ", "KAZ", "UZB"]].stack().rename("value").reset_index())
    long.columns = ["area", "year", "value"]
    long = long.dropna()
    long["year"] = long["year"].astype(int)
    wh = Warehouse(tmp_path_factory.mktemp("wh") / "alerts.duckdb")
    with wh.writer() as con:
        con.register("r", long)
        con.execute("INSERT INTO area_indicator SELECT area, year, 'remittances_received', 'total', "
                    f"value, 'usd', '{REL}', 'load-1' FROM r")
        con.execute("INSERT INTO releases VALUES (?, 'wdi_remittances', '2023-10-26', 'x.xls', "
                    "'74fc3ee7d6e4', 1, now(), ?, now(), 'test')", [REL, URL])
    return wh


def test_scan_flags_2015_in_tajikistan_and_kyrgyzstan(warehouse: Warehouse) -> None:
    with warehouse.reader() as con:
        alerts = scan(con, since=2010)
    for code in ("TJK", "KGZ"):
        sid = f"area_indicator:remittances_received:{code} [usd]"
        hits = [a for a in alerts if a.series_id == sid and a.time == 2015]
        assert hits, [a for a in alerts if a.series_id == sid]
        assert all(a.release_id == REL and a.url == URL for a in hits)
    assert all(a.time >= 2010 for a in alerts)
    assert [a.time for a in alerts] == sorted((a.time for a in alerts), reverse=True)


def test_scan_of_a_warehouse_loaded_by_the_wdi_loader(shared_data: Path, tmp_path: Path) -> None:
    """The real World Bank file through steppe's own loader and warehouse, as `steppe ingest` does."""
    from steppe.warehouse.ingest import plan_file, run_plan

    wh = Warehouse(tmp_path / "wdi.duckdb")
    run_plan(wh, [plan_file(shared_data / "worldbank/API_BX.TRF.PWKR.CD.DT_DS2_en_excel_v2_6000901.xls",
                            "worldbank_wdi")])
    with wh.reader() as con:
        alerts = scan(con, ["TJK", "KGZ"])
    for code in ("TJK", "KGZ"):
        sid = f"area_indicator:remittances_received:{code} [usd]"
        assert any(a.series_id == sid and 2014 <= a.time <= 2016 for a in alerts), code


def test_monitor_command_lists_alerts_with_sources(warehouse: Warehouse) -> None:
    import json

    from typer.testing import CliRunner

    from steppe.cli.main import app

    result = CliRunner().invoke(app, ["monitor", "--area", "TJK", "--since", "2014", "--format",
                                      "json", "--db", str(warehouse.path)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert any(r["year"] == 2015 and r["percent"] < -30 for r in rows)
    assert all(r["source"] == URL and r["series"].startswith("area_indicator:") for r in rows)


def test_monitor_nowcast_gives_prediction_intervals(warehouse: Warehouse) -> None:
    import json

    from typer.testing import CliRunner

    from steppe.cli.main import app

    result = CliRunner().invoke(app, ["monitor", "--nowcast", "--area", "TJK", "--format", "json",
                                      "--db", str(warehouse.path)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["year"] for r in rows] == [2023, 2024]
    assert all(r["lower"] < r["forecast"] < r["upper"] for r in rows)
