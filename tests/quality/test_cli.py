"""``steppe quality`` and ``steppe remittances`` end to end, through the real CLI app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steppe.cli.main import app

runner = CliRunner()


@pytest.fixture(scope="module")
def db(quality_warehouse) -> str:
    return str(quality_warehouse.path)


def test_quality_json_contract(db: str) -> None:
    result = runner.invoke(app, ["quality", "KAZ", "--format", "json", "--db", db])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"area", "score", "reasons", "checks"}
    assert payload["area"] == "KAZ" and isinstance(payload["score"], int)


def test_quality_terminal_summary_and_html(db: str, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    result = runner.invoke(app, ["quality", "Казахстан", "--html", str(report), "--db", db])
    assert result.exit_code == 0, result.output
    assert "Kazakhstan (KAZ): data quality" in result.stdout
    assert report.read_text(encoding="utf-8").count("<svg") == 3


def test_quality_all_central_asia(db: str) -> None:
    result = runner.invoke(app, ["quality", "central_asia", "-f", "json", "--db", db])
    assert result.exit_code == 0, result.output
    assert [x["area"] for x in json.loads(result.stdout)] == ["KAZ", "KGZ", "TJK", "TKM", "UZB"]


def test_remittances_to_tajikistan(db: str) -> None:
    result = runner.invoke(app, ["remittances", "--to", "TJK", "--year", "2021", "-f", "json",
                                 "--db", db])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    (inflow,) = payload["inflows"]
    assert inflow["pct_gdp"] == pytest.approx(32.68937947850965)
    assert inflow["usd"] == pytest.approx(2_921_713_106.977)
    top = payload["bilateral"][0]
    assert (top["from"], top["to"], top["source"]) == ("RUS", "TJK", "knomad_bilateral@2021")
    assert round(top["usd"] / 1e6, 1) == 2306.8


def test_remittances_from_russia(db: str) -> None:
    result = runner.invoke(app, ["remittances", "--from", "RUS", "-f", "json", "--db", db])
    assert result.exit_code == 0, result.output
    receivers = {b["to"] for b in json.loads(result.stdout)["bilateral"][:5]}
    assert {"UZB", "TJK", "KGZ"} <= receivers


def test_remittances_needs_one_direction(db: str) -> None:
    result = runner.invoke(app, ["remittances", "--to", "TJK", "--from", "RUS", "--db", db])
    assert result.exit_code != 0
