"""Remittance exposure on the real KNOMAD 2021 matrix, read through its loader."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from steppe.gravity.exposure import corridor_shares, remittance_effect
from steppe.sources.knomad_bilateral import SOURCE

MATRIX = "worldbank/bilateral_remittance_matrix_2021.xlsx"


@pytest.fixture(scope="module")
def knomad_2021(shared_data: Path) -> pd.DataFrame:
    path = shared_data / MATRIX
    if not path.is_file():
        pytest.skip(f"{path} is missing")
    parsed = SOURCE.read(path, SOURCE.recognise(path))
    frame = parsed.tables["bilateral_indicator"].to_pandas()
    return frame[frame.indicator == "remittances"]


def test_russia_is_the_main_sender_to_tajikistan(knomad_2021: pd.DataFrame) -> None:
    shares = corridor_shares(knomad_2021)
    tjk = shares[shares.receiver == "TJK"]
    assert tjk.iloc[0].sender == "RUS"
    # published matrix: Russia -> Tajikistan US$ 2,306.8 million
    assert tjk.iloc[0].value == pytest.approx(2306.8e6, rel=1e-4)
    assert tjk.share.sum() == pytest.approx(1.0)
    assert tjk.iloc[0].share > 0.5


def test_scenario_remittances_scale_with_the_stock(knomad_2021: pd.DataFrame) -> None:
    corridors = pd.DataFrame({"origin": ["UZB", "UZB"], "destination": ["RUS", "ATA"],
                              "baseline": [1_000_000.0, 10.0], "change": [100_000.0, 1.0],
                              "lower": [50_000.0, 0.5], "upper": [150_000.0, 1.5]})
    out = remittance_effect(corridors, knomad_2021)
    rus = out.iloc[0]
    assert rus.remittances == pytest.approx(9197.5e6, rel=1e-4)  # Russia -> Uzbekistan 2021
    assert rus.remittances_change == pytest.approx(0.1 * rus.remittances)
    assert rus.remittances_lower < rus.remittances_change < rus.remittances_upper
    assert np.isnan(out.iloc[1].remittances)
