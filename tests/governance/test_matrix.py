"""The host x citizenship matrix, its CSV and its heat map."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from steppe.governance import Engine
from steppe.governance.matrix import MATRIX_COUNTRIES, rights_matrix, write_csv, write_heatmap


def test_matrix_values(engine: Engine) -> None:
    frame = rights_matrix(engine, "work_permit_required", dt.date(2016, 1, 1))
    assert list(frame.index) == list(MATRIX_COUNTRIES) == list(frame.columns)
    assert frame.loc["KAZ", "KGZ"] is False  # host KAZ, citizen KGZ: EEU
    assert frame.loc["KAZ", "UZB"] is True
    assert frame.loc["RUS", "TJK"] is True
    assert frame.loc["KAZ", "KAZ"] == "own"


def test_csv_and_png(engine: Engine, tmp_path: Path) -> None:
    frame = rights_matrix(engine, "work_permit_required", dt.date(2016, 1, 1))
    csv_path = write_csv(frame, tmp_path / "m.csv")
    back = pd.read_csv(csv_path, index_col="host", dtype=str)
    assert back.loc["KAZ", "UZB"] == "true" and back.loc["KAZ", "KGZ"] == "false"
    assert back.loc["TJK", "KAZ"] == "unknown" and back.loc["KAZ", "KAZ"] == "own"
    png = write_heatmap(frame, tmp_path / "m.png", "test")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
