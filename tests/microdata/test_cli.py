"""`steppe microdata` commands end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from steppe.cli.main import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def no_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEPPE_DB", str(tmp_path / "none" / "steppe.duckdb"))


def test_synth_then_aggregate_json(tmp_path: Path) -> None:
    out = tmp_path / "md"
    r = runner.invoke(app, ["microdata", "synth", "--rows", "30000", "--seed", "3", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "30,000 registrations" in r.output and "built-in" in r.output
    r = runner.invoke(app, ["microdata", "aggregate", str(out), "--k", "5", "--format", "json",
                            "--out", str(tmp_path / "pub")])
    rounded = runner.invoke(app, ["microdata", "aggregate", str(out), "--round", "5", "--format", "parquet",
                                  "--out", str(tmp_path / "rounded")])
    assert rounded.exit_code == 0, rounded.output
    shown = pd.read_parquet(tmp_path / "rounded" / "flows.parquet").query("not suppressed")
    assert (shown.inflow % 5 == 0).all()
    assert r.exit_code == 0, r.output
    flows = json.loads((tmp_path / "pub" / "flows.json").read_text())
    assert flows and all("person_key" not in row for row in flows)
    hidden = [row for row in flows if row["suppressed"]]
    assert hidden and all(row["inflow"] is None for row in hidden)
    assert all(not 0 < row["inflow"] < 5 for row in flows if not row["suppressed"])
    assert "withheld (k=5)" in r.output


def test_validate_writes_quarantine(tmp_path: Path) -> None:
    csv = tmp_path / "in.csv"
    csv.write_text(
        "person_key,citizenship,sex,age_group,region,purpose,registration_date,deregistration_date\n"
        "1,UZB,male,25-34,KZ-75,work,2023-03-01,2023-10-01\n"
        "2,UZB,male,25-34,KZ-75,work,2023-03-01,2023-01-01\n"
    )
    r = runner.invoke(app, ["microdata", "validate", str(csv), "--out", str(tmp_path / "o")])
    assert r.exit_code == 1  # a rejected row makes the command fail
    assert "1 valid, 1 quarantined" in r.output and "dates-out-of-order: 1" in r.output
    q = pd.read_parquet(tmp_path / "o" / "quarantine" / "registrations-in.parquet")
    assert q.reason.tolist() == ["dates-out-of-order"]


def test_keys_add_list_revoke(tmp_path: Path) -> None:
    db = str(tmp_path / "a.sqlite")
    r = runner.invoke(app, ["microdata", "keys", "add", "--name", "alice", "--role", "analyst", "--access-db", db])
    assert r.exit_code == 0 and r.output.startswith("stp_")
    key_id = r.output.split("_")[1]
    r = runner.invoke(app, ["microdata", "keys", "list", "--access-db", db])
    assert key_id in r.output and "alice" in r.output
    r = runner.invoke(app, ["microdata", "keys", "revoke", key_id, "--access-db", db])
    assert r.exit_code == 0
    r = runner.invoke(app, ["microdata", "keys", "add", "--role", "admin", "--access-db", db])
    assert r.exit_code != 0


def test_bad_options_are_explained(tmp_path: Path) -> None:
    r = runner.invoke(app, ["microdata", "aggregate", str(tmp_path), "--backend", "oracle"])
    assert r.exit_code != 0 and "duckdb" in str(r.exception)
    r = runner.invoke(app, ["microdata", "aggregate", str(tmp_path), "--format", "xlsx"])
    assert "csv" in str(r.exception)
    r = runner.invoke(app, ["microdata", "aggregate", str(tmp_path), "--round", "1"])
    assert "at least 2" in str(r.exception)
    r = runner.invoke(app, ["microdata", "aggregate", str(tmp_path)])
    assert "steppe microdata synth" in str(r.exception)
