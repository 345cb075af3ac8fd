"""``steppe flows`` run as a user runs it: ``python -m steppe.cli.main flows ...``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _steppe(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STEPPE_DB": str(db), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "steppe.cli.main", "flows", *args],
                          check=False, capture_output=True, text=True, env=env,
                          timeout=300)


def test_estimate_show_chord(flows_warehouse: Path, tmp_path: Path) -> None:
    db = tmp_path / "wh.duckdb"
    shutil.copyfile(flows_warehouse, db)
    done = _steppe("estimate", "--period", "2015-2020", "--method", "demographic-accounting",
                   "--revision", "2024", db=db)
    assert done.returncode == 0, done.stderr
    assert "2015-2020, UN DESA 2024 + WPP 2024" in done.stdout

    shown = _steppe("show", "--from", "Uzbekistan", "--to", "KAZ", "--format", "json", db=db)
    assert shown.returncode == 0, shown.stderr
    rows = json.loads(shown.stdout)
    assert [(r["origin"], r["destination"], r["period"], r["method"], r["revision"])
            for r in rows] == [("UZB", "KAZ", "2015-2020", "demographic-accounting", "2024")]
    assert rows[0]["value"] > 0

    table = _steppe("show", "--from", "UZB", "--to", "KAZ", db=db)
    assert table.returncode == 0 and "2015-2020" in table.stdout

    out = tmp_path / "chord.png"
    drawn = _steppe("chord", "--period", "2015-2020", "--out", str(out), db=db)
    assert drawn.returncode == 0, drawn.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_pseudo_bayes_end_to_end(flows_warehouse: Path, tmp_path: Path) -> None:
    db = tmp_path / "wh.duckdb"
    shutil.copyfile(flows_warehouse, db)
    done = _steppe("estimate", "--period", "2015-2020", "--method", "pseudo-bayes",
                   "--draws", "20", "--param", "tolerance=100", db=db)
    assert done.returncode == 0, done.stderr
    assert "pseudo-bayes, 2015-2020" in done.stdout and "90% interval" in done.stdout

    shown = _steppe("show", "--from", "UZB", "--to", "KAZ", "--format", "json", db=db)
    rows = json.loads(shown.stdout)
    assert [(r["method"], r["level"]) for r in rows] == [("pseudo-bayes", 0.9)]
    assert 0 <= rows[0]["lower"] <= rows[0]["upper"]

    table = _steppe("show", "--from", "UZB", "--to", "KAZ", db=db)
    assert table.returncode == 0, table.stderr
    expected = f"90 %: {rows[0]['lower']:,.0f} – {rows[0]['upper']:,.0f}"
    assert "interval" in table.stdout and expected in table.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("estimate", "--period", "2015-2020", "--draws", "20"), "--draws=20"),
    (("estimate", "--period", "2015-2020", "--method", "gravity"), "--method='gravity'"),
    (("estimate", "--period", "2020-2015"), "--period='2020-2015'"),
    (("show", "--from", "Atlantis"), "Atlantis"),
    (("chord", "--period", "1990-1995", "--out", "x.png"), "steppe flows estimate"),
])
def test_errors_are_one_clear_line(flows_warehouse: Path, args: tuple[str, ...],
                                   message: str) -> None:
    done = _steppe(*args, db=flows_warehouse)
    assert done.returncode != 0
    assert message in done.stderr and "Traceback" not in done.stderr
