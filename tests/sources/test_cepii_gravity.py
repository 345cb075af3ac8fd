"""CEPII GeoDist loader: distances and dummies, legacy codes mapped."""

from __future__ import annotations

from pathlib import Path

import duckdb

from steppe.sources.base import Parsed


def query(parsed: Parsed, sql: str) -> list[tuple]:
    """Run SQL over the parsed table, registered as ``t``."""
    con = duckdb.connect()
    con.register("t", next(iter(parsed.tables.values())))
    return con.execute(sql).fetchall()


def test_central_asia_to_russia(shared_data: Path, read_known) -> None:
    parsed = read_known(shared_data, "cepii_gravity", "cepii/dist_cepii.csv")
    got = dict(query(parsed, "SELECT indicator, value FROM t WHERE origin='KAZ' AND "
                             "destination='RUS'"))
    assert got["distance_km"] == 3104.607
    assert got["contiguity"] == 1 and got["common_official_language"] == 1
    assert dict(query(parsed, "SELECT indicator, value FROM t WHERE origin='TJK' AND "
                              "destination='RUS'"))["distance_km"] == 2986.597
    assert query(parsed, "SELECT value FROM t WHERE origin='UZB' AND destination='KAZ' AND "
                         "indicator='distance_weighted_km'") == [(1080.526,)]
    assert query(parsed, "SELECT count(*) FROM t WHERE year IS NOT NULL") == [(0,)]


def test_legacy_codes_mapped(shared_data: Path, read_known) -> None:
    parsed = read_known(shared_data, "cepii_gravity", "cepii/dist_cepii.csv")
    assert query(parsed, "SELECT count(*) FROM t WHERE origin IN ('ROM', 'ZAR', 'ANT')") == [(0,)]
    assert query(parsed, "SELECT count(*) FROM t WHERE origin = 'ROU' AND "
                         "indicator='distance_km'") == [(223,)]
    assert parsed.counts["dissolved_area_pairs"] == 447
