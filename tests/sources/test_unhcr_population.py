"""UNHCR population loader: ISO columns, OTHER origin, exact values."""

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


FILE = "unhcr/refugees_pkg_2025.12.1/population.csv.gz"


@pytest.fixture(scope="module")
def parsed(shared_data: Path, read_known):
    return read_known(shared_data, "unhcr_population", FILE)


def _get(parsed, origin, dest, year, indicator):
    rows = query(parsed, f"SELECT value FROM t WHERE origin='{origin}' AND destination='{dest}' "
                         f"AND year={year} AND indicator='{indicator}'")
    return rows[0][0] if rows else None


def test_exact_values(parsed) -> None:
    assert _get(parsed, "AFG", "TJK", 2024, "refugees") == 9902
    assert _get(parsed, "AFG", "TJK", 2024, "asylum_seekers") == 3029
    assert _get(parsed, "AFG", "KAZ", 2022, "refugees") == 285
    assert _get(parsed, "UKR", "RUS", 2022, "refugees") == 1_275_315
    assert _get(parsed, "TJK", "KGZ", 2000, "refugees") == 9805


def test_iso_columns_not_unhcr_codes(parsed, shared_data: Path, read_known) -> None:
    raw = pd.read_csv(shared_data / FILE, keep_default_na=False, dtype=str)
    row = raw[(raw.coa == "AUS") & (raw.year == "2020")].iloc[0]
    assert row.coa_iso == "AUT"  # UNHCR's 'AUS' is Austria
    origin = "OTHER" if row.coo_iso in ("UNK", "XXA", "TIB") else row.coo_iso
    assert query(parsed, f"SELECT count(*) FROM t WHERE destination='AUT' AND origin='{origin}' "
                         "AND year=2020")[0][0] >= 1


def test_unknown_and_stateless_become_other(parsed, shared_data: Path, read_known) -> None:
    raw = pd.read_csv(shared_data / FILE, keep_default_na=False, dtype=str)
    sel = raw[(raw.coa_iso == "RUS") & (raw.year == "2020") & raw.coo_iso.isin(["UNK", "XXA", "TIB"])]
    expected = pd.to_numeric(sel.refugees.replace("", None)).sum()
    assert _get(parsed, "OTHER", "RUS", 2020, "refugees") == expected
    assert parsed.counts["origin_XXA_as_OTHER"] > 0
