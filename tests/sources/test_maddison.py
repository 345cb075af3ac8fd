"""Maddison Project loader."""

from __future__ import annotations

from pathlib import Path

import duckdb

from steppe.sources.base import Parsed


def query(parsed: Parsed, sql: str) -> list[tuple]:
    """Run SQL over the parsed table, registered as ``t``."""
    con = duckdb.connect()
    con.register("t", next(iter(parsed.tables.values())))
    return con.execute(sql).fetchall()


def test_kazakhstan_gdp_per_capita_and_population(shared_data: Path, read_known) -> None:
    parsed = read_known(shared_data, "maddison", "other/maddison_mpd2020.xlsx")
    rows = dict(query(parsed, "SELECT indicator || '/' || unit, value FROM t WHERE area='KAZ' "
                              "AND year=2018"))
    assert rows["gdp_per_capita/int_usd_2011"] == 25307.5554
    assert rows["population/persons"] == 18_323_403.61
    assert query(parsed, "SELECT count(*) FROM t WHERE area='SUN'") == [(0,)]
    assert parsed.counts["historical_entity_rows"] > 0
