"""The governance commands, run through Typer."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from steppe.cli.governance import register

APP = typer.Typer()
register(APP)
RUNNER = CliRunner()


def test_rights_json_shape() -> None:
    result = RUNNER.invoke(APP, ["rights", "KGZ", "KAZ", "--on", "2016-01-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["citizenship"] == "KGZ" and data["host"] == "KAZ" and data["on"] == "2016-01-01"
    entry = data["entitlements"]["work_permit_required"]
    assert entry == {"value": False, "basis": entry["basis"], "from": "2015-08-12", "to": None}
    assert set(entry["basis"][0]) == {"document", "article", "url"}
    assert len(data["entitlements"]) == 12


def test_rights_table_has_citations() -> None:
    result = RUNNER.invoke(APP, ["rights", "KGZ", "KAZ", "--on", "2016-01-01"], terminal_width=200)
    assert result.exit_code == 0
    assert "Art. 97(1)" in result.output


def test_memberships_json() -> None:
    result = RUNNER.invoke(APP, ["memberships", "KAZ", "--on", "2010-01-01", "--format", "json"])
    data = json.loads(result.output)
    assert data["memberships"]["CIS"] == "founding_member" and data["memberships"]["EEU"] == "none"


def test_timeline_csv() -> None:
    result = RUNNER.invoke(APP, ["timeline", "UZB", "--format", "csv"])
    assert result.exit_code == 0
    assert "2018-11-27,membership,IOM" in result.output


def test_matrix_files(tmp_path: Path) -> None:
    result = RUNNER.invoke(APP, ["rights-matrix", "--on", "2016-01-01", "--csv", str(tmp_path / "m.csv"),
                                 "--png", str(tmp_path / "m.png"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "m.csv").stat().st_size > 100 and (tmp_path / "m.png").stat().st_size > 1000


def test_bad_country_is_an_error() -> None:
    result = RUNNER.invoke(APP, ["rights", "KGZ", "XYZ", "--on", "2016-01-01"])
    assert result.exit_code != 0
    assert "XYZ" in str(result.exception)
