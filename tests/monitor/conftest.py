"""Fixtures for the monitoring tests: real remittance series (``shared_data`` is in tests/conftest.py)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

WDI_REMITTANCES = "worldbank/API_BX.TRF.PWKR.CD.DT_DS2_en_excel_v2_6000901.xls"


@pytest.fixture(scope="session")
def remittances(shared_data: Path) -> pd.DataFrame:
    """WDI personal remittances received (current US$), countries × years 1960-2022."""
    path = shared_data / WDI_REMITTANCES
    if not path.is_file():
        pytest.skip(f"{path} is missing")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = pd.read_excel(path, sheet_name="Data", skiprows=3)
    return frame.set_index("Country Code").filter(regex=r"^\d{4}$")
