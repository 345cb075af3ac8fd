"""WPP loader: births, deaths, population in persons, checked against the files."""

from __future__ import annotations

from pathlib import Path

import duckdb

from steppe.sources.base import Parsed


def query(parsed: Parsed, sql: str) -> list[tuple]:
    """Run SQL over the parsed table, registered as ``t``."""
    con = duckdb.connect()
    con.register("t", next(iter(parsed.tables.values())))
    return con.execute(sql).fetchall()


def _get(parsed, area, year, indicator, sex="total"):
    rows = query(parsed, f"SELECT value, unit FROM t WHERE area='{area}' AND year={year} AND "
                         f"indicator='{indicator}' AND sex='{sex}'")
    assert len(rows) == 1, rows
    return rows[0]


def test_wpp2024_births_deaths(shared_data: Path, read_known) -> None:
    parsed = read_known(shared_data, "un_wpp", "undesa/wpp2024_pkg/misc1dt.csv.gz")
    assert _get(parsed, "KAZ", 2000, "births") == (245_353, "persons")  # 245.353 thousand
    assert _get(parsed, "KAZ", 2020, "deaths") == (167_261, "persons")
    assert parsed.counts["unregistered_aggregate_rows"] > 0


def test_wpp2024_net_migration(shared_data: Path, read_known) -> None:
    parsed = read_known(shared_data, "un_wpp", "undesa/wpp2024_pkg/mig1dt.csv.gz")
    assert _get(parsed, "TJK", 2020, "net_migration") == (-3_564, "persons")


def test_wpp2024_population_sums_age_groups(shared_data: Path, read_known) -> None:
    parsed = read_known(shared_data, "un_wpp", "undesa/wpp2024_pkg/popAge5dt.csv.gz")
    total = _get(parsed, "KAZ", 2020, "population")[0]
    male = _get(parsed, "KAZ", 2020, "population", "male")[0]
    female = _get(parsed, "KAZ", 2020, "population", "female")[0]
    assert abs(male + female - total) <= 1
    assert 19_000_000 < total < 20_000_000


def test_wpp2019_periods_start_year(shared_data: Path, read_known) -> None:
    parsed = read_known(shared_data, "un_wpp", "undesa/WPP2019_Period_Indicators_Medium.csv")
    assert _get(parsed, "KAZ", 2015, "births_period") == (1_942_522, "persons")
    assert _get(parsed, "TJK", 2015, "deaths_period") == (220_279, "persons")
    assert _get(parsed, "TJK", 2015, "deaths_period", "male") == (124_306, "persons")


def test_wpp2019_population_annual(shared_data: Path, read_known) -> None:
    parsed = read_known(shared_data, "un_wpp",
                        "undesa/WPP2019_POP_F01_1_TOTAL_POPULATION_BOTH_SEXES.xlsx")
    assert _get(parsed, "KAZ", 2020, "population") == (18_776_707, "persons")
    assert query(parsed, "SELECT min(year), max(year) FROM t") == [(1950, 2020)]
