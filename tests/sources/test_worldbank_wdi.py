"""World Bank WDI loader: values checked against the official downloads."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from steppe.sources.base import Parsed


def query(parsed: Parsed, sql: str) -> list[tuple]:
    """Run SQL over the parsed table, registered as ``t``."""
    con = duckdb.connect()
    con.register("t", next(iter(parsed.tables.values())))
    return con.execute(sql).fetchall()


API = "worldbank/API_BX.TRF.PWKR.CD.DT_DS2_en_excel_v2_6000901.xls"


def _value(parsed, area, year, indicator, unit=None):
    rows = query(parsed, f"SELECT value FROM t WHERE area = '{area}' AND year = {year} AND "
                         f"indicator = '{indicator}'" + (f" AND unit = '{unit}'" if unit else ""))
    assert len(rows) == 1, rows
    return rows[0][0]


@pytest.fixture(scope="module")
def api(shared_data: Path, read_known):
    return read_known(shared_data, "worldbank_wdi", API)


def test_remittances_received_usd_exact(api) -> None:
    assert _value(api, "TJK", 2022, "remittances_received") == pytest.approx(5_345_546_873.54599)
    assert _value(api, "KGZ", 2021, "remittances_received") == pytest.approx(2_792_498_249.11793)


def test_api_file_agrees_with_independent_pandas_read(api, shared_data: Path, read_known) -> None:
    frame = pd.read_excel(shared_data / API, sheet_name="Data", skiprows=3)
    frame = frame.set_index("Country Code")
    for area, year in [("KAZ", 2010), ("UZB", 2019), ("RUS", 2015), ("TJK", 2008)]:
        assert _value(api, area, year, "remittances_received") == pytest.approx(
            frame.loc[area, str(year)])


def test_aggregates_left_out_and_turkmenistan_false_zero(api) -> None:
    assert not query(api, "SELECT * FROM t WHERE area IN ('WLD', 'AFE', 'INX')")
    assert api.counts["aggregate_rows"] == 49
    assert api.counts["known_false_zero"] == 1
    assert not query(api, "SELECT * FROM t WHERE area = 'TKM' AND year = 2022")


def test_remittance_dependence_pct_gdp_2021(shared_data: Path, read_known) -> None:
    parsed = read_known(shared_data, "worldbank_wdi", "worldbank/wdi_databank_2021_part1.xlsx")
    tjk = _value(parsed, "TJK", 2021, "remittances_received_pct_gdp")
    kgz = _value(parsed, "KGZ", 2021, "remittances_received_pct_gdp")
    assert tjk == pytest.approx(32.68937947850965)
    assert kgz == pytest.approx(32.563535606405566)
    share = query(parsed, "SELECT area FROM t WHERE indicator = 'remittances_received_pct_gdp' "
                          "AND area NOT LIKE 'M49:%' ORDER BY value DESC LIMIT 6")
    assert {"TJK", "KGZ"} <= {r[0] for r in share}  # among the most dependent in the world
    assert _value(parsed, "KAZ", 2021, "gdp_per_capita", "usd") > 0
    assert _value(parsed, "M49:900", 2021, "population") == 7_888_305_693


def test_fozich_panel_pct_gdp(shared_data: Path, read_known) -> None:
    parsed = read_known(shared_data, "worldbank_wdi",
                        "worldbank/fozich_remittances_central_asia_panel.csv")
    assert _value(parsed, "TJK", 2024, "remittances_received_pct_gdp") == 47.89
    assert _value(parsed, "UZB", 2023, "remittances_received_pct_gdp") == 13.8
    assert _value(parsed, "KGZ", 2021, "remittances_received_pct_gdp") == 32.56


def test_gdp_per_capita_constant_2015(shared_data: Path, read_known) -> None:
    parsed = read_known(shared_data, "worldbank_wdi",
                        "worldbank/wdi_databank_gdppc_selected_1960_2023.xlsx")
    assert _value(parsed, "TJK", 2022, "gdp_per_capita", "usd_2015") == pytest.approx(
        1356.317214386767)
    assert query(parsed, "SELECT DISTINCT unit FROM t") == [("usd_2015",)]


def test_databank_part2_migration_series(shared_data: Path, read_known) -> None:
    parsed = read_known(shared_data, "worldbank_wdi", "worldbank/wdi_databank_2021_part2.xlsx")
    assert _value(parsed, "KAZ", 2021, "net_migration") == -18_917
    assert _value(parsed, "TJK", 2021, "net_migration") == -3_564  # = WPP 2024's 2020 figure
    assert _value(parsed, "KAZ", 2021, "refugee_stock") == 352
