"""KNOMAD bilateral remittance and migration matrices: values against the official files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from steppe.errors import SourceFileError
from steppe.sources.base import Parsed
from steppe.sources.knomad_bilateral import read_matrix


def query(parsed: Parsed, sql: str) -> list[tuple]:
    """Run SQL over the parsed table, registered as ``t``."""
    con = duckdb.connect()
    con.register("t", next(iter(parsed.tables.values())))
    return con.execute(sql).fetchall()


def _flow(parsed, origin, dest, indicator="remittances"):
    rows = query(parsed, f"SELECT value, year, unit FROM t WHERE origin = '{origin}' AND "
                         f"destination = '{dest}' AND indicator = '{indicator}'")
    assert len(rows) == 1, rows
    return rows[0]


def test_2021_matrix_russia_to_central_asia(shared_data: Path, read_known) -> None:
    parsed = read_known(shared_data, "knomad_bilateral",
                        "worldbank/bilateral_remittance_matrix_2021.xlsx")
    # origin = sending country (migrants' host), destination = receiving country
    value, year, unit = _flow(parsed, "RUS", "TJK")
    assert (round(value / 1e6, 1), year, unit) == (2306.8, 2021, "usd")
    assert round(_flow(parsed, "RUS", "UZB")[0] / 1e6, 1) == 9197.5
    assert round(_flow(parsed, "RUS", "KGZ")[0] / 1e6, 1) == 2017.5
    assert parsed.counts["total_rows_or_columns"] == 2  # WORLD row and column left out


def test_2018_trimmed_csv_and_history(shared_data: Path, read_known) -> None:
    parsed = read_known(shared_data, "knomad_bilateral",
                        "worldbank/knomad_brm_history/Bilateralremittancematrix2018Oct2019_cleaned.csv")
    assert _flow(parsed, "RUS", "TJK")[0] == 1_626e6
    assert _flow(parsed, "RUS", "KGZ")[0] == 2_002e6
    assert _flow(parsed, "RUS", "UZB")[0] == 2_801e6
    misnamed = read_known(shared_data, "knomad_bilateral",
                          "worldbank/knomad_brm_history/bilateralremittancematrix2015.xlsx")
    value, year, _ = _flow(misnamed, "RUS", "TJK")
    assert year == 2015 and value == pytest.approx(1_725_262_441.7389402)


def test_migration_matrix_equals_un_desa_2020(shared_data: Path, read_known) -> None:
    parsed = read_known(shared_data, "knomad_bilateral",
                        "worldbank/bilateral_migration_matrix_2021_latest.xlsx")
    value, year, unit = _flow(parsed, "TJK", "RUS", "migrant_stock_knomad")
    assert (value, year, unit) == (466_252, 2021, "persons")
    assert parsed.counts["residual_cells"] > 0  # 'Other North'/'Other South' counted


def test_non_numeric_cell_names_row_and_column(read_known) -> None:
    rows = [("Remittance-receiving country (across)", "Tajikistan", "World"),
            ("Russian Federation", "abc", 1.0), ("World", 1.0, 1.0)]
    with pytest.raises(SourceFileError, match=r"row 2 \(Russian Federation\), column 2 "
                                              r"\(Tajikistan\)"):
        read_matrix(rows, 0, 2021, "remittances", "usd", 1e6, "test.xlsx")


def test_unknown_country_lists_every_name(read_known) -> None:
    rows = [("x (across)", "Tajikistan", "Atlantis"), ("Narnia", 1.0, 2.0)]
    with pytest.raises(LookupError, match="Atlantis.*Narnia"):
        read_matrix(rows, 0, 2021, "remittances", "usd", 1e6, "test.xlsx")


def test_corridors_add_up_to_the_world_row(shared_data: Path, read_known) -> None:
    """Independent check: the file's own WORLD row, and WDI's inflow total for 2021."""
    from steppe.sources.xlsx import read_sheet_rows

    path = shared_data / "worldbank/bilateral_remittance_matrix_2021.xlsx"
    rows = read_sheet_rows(path, "FINAL BRM 2021 ")
    header, world = list(rows[1]), next(r for r in rows if r[0] == "WORLD")
    parsed = read_known(shared_data, "knomad_bilateral",
                        "worldbank/bilateral_remittance_matrix_2021.xlsx")
    for name, area in (("Tajikistan", "TJK"), ("Kyrgyz Republic", "KGZ")):
        total = query(parsed, f"SELECT sum(value) FROM t WHERE destination = '{area}'")[0][0]
        assert total == pytest.approx(world[header.index(name)] * 1e6)
    # the matrix is calibrated to WDI: Tajikistan received US$ 2,921,713,106.977 in 2021
    assert query(parsed, "SELECT sum(value) FROM t WHERE destination = 'TJK'")[0][0] == \
        pytest.approx(2_921_713_106.977)
