"""UN DESA migration-flow totals 2015: registered flows by definition."""

from __future__ import annotations

from pathlib import Path

import duckdb

from steppe.sources.base import Parsed
from steppe.sources.un_desa_flow_totals import indicator_name


def query(parsed: Parsed, sql: str) -> list[tuple]:
    """Run SQL over the parsed table, registered as ``t``."""
    con = duckdb.connect()
    con.register("t", next(iter(parsed.tables.values())))
    return con.execute(sql).fetchall()


def test_russia_residence_series(shared_data: Path, read_known) -> None:
    parsed = read_known(shared_data, "un_desa_flow_totals",
                        "undesa/undesa_pd_2015_migration_flow_totals.xlsx")
    assert query(parsed, "SELECT year, value FROM t WHERE area = 'RUS' AND indicator = "
                         "'immigration_total' AND year IN (1994, 2010) ORDER BY year"
                 ) == [(1994, 1_146_735.0), (2010, 191_656.0)]
    kaz = query(parsed, "SELECT DISTINCT indicator FROM t WHERE area = 'KAZ' ORDER BY 1")
    assert kaz == [("emigration_total",), ("immigration_total",)]
    assert parsed.counts["missing_value"] == 3568  # the '..' cells (Manifest)


def test_definitions_kept_apart() -> None:
    assert indicator_name("Immigrants", "Residence", "Both") == "immigration_total"
    assert indicator_name("Emigrants", "Citizenship", "Foreigners") == \
        "emigration_total_citizenship_foreigners"
    assert indicator_name("Immigrants", "Place of birth", "Both") == \
        "immigration_total_place_of_birth_both"
