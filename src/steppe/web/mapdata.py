"""Country values for the home map, one indicator and one release at a time."""

from __future__ import annotations

from typing import Any

import duckdb

COUNTRIES = "SELECT area_id FROM areas WHERE kind = 'country'"


def _newest(con: duckdb.DuckDBPyConnection, indicator: str) -> str | None:
    row = con.execute(
        "SELECT a.release_id FROM area_indicator a JOIN releases r USING (release_id) "
        "WHERE a.indicator = ? GROUP BY a.release_id, r.edition "
        "ORDER BY r.edition DESC, count(*) DESC LIMIT 1", [indicator]).fetchone()
    return row[0] if row else None


def map_values(con: duckdb.DuckDBPyConnection, indicator: str
               ) -> tuple[dict[str, float], dict[str, Any] | None]:
    """({area: value}, {release, year}) of a map indicator; empty when not loaded."""
    if indicator == "immigrant_share":
        # the newest release that carries both the stock and the population (UN DESA's
        # destination workbook), so the share never mixes two sources
        row = con.execute(
            "SELECT a.release_id FROM area_indicator a JOIN releases r USING (release_id) "
            "WHERE a.indicator IN ('population', 'migrant_stock_total') "
            "GROUP BY a.release_id, r.edition HAVING count(DISTINCT a.indicator) = 2 "
            "ORDER BY r.edition DESC LIMIT 1").fetchone()
        release = row[0] if row else None
        if release is None:
            return {}, None
        rows = con.execute(
            f"""SELECT s.area, s.year, 100 * s.value / p.value FROM area_indicator s
            JOIN area_indicator p ON p.area = s.area AND p.year = s.year AND p.sex = s.sex
             AND p.release_id = s.release_id AND p.indicator = 'population' AND p.value > 0
            WHERE s.release_id = ? AND s.indicator = 'migrant_stock_total' AND s.sex = 'total'
             AND s.area IN ({COUNTRIES})
             AND s.year = (SELECT max(year) FROM area_indicator WHERE release_id = ?
                           AND indicator = 'population')""", [release, release]).fetchall()
    elif indicator == "immigrant_stock":
        release = _newest(con, "migrant_stock_total")
        if release is None:
            return {}, None
        rows = con.execute(
            f"""SELECT area, year, value FROM area_indicator WHERE release_id = ?
            AND indicator = 'migrant_stock_total' AND sex = 'total' AND area IN ({COUNTRIES})
            AND year = (SELECT max(year) FROM area_indicator WHERE release_id = ?
                        AND indicator = 'migrant_stock_total')""", [release, release]).fetchall()
    elif indicator == "emigrant_stock":
        row = con.execute("SELECT release_id FROM releases WHERE dataset = 'un_desa_stock' "
                          "ORDER BY edition DESC LIMIT 1").fetchone()
        if row is None:
            return {}, None
        release = row[0]
        rows = con.execute(
            f"""SELECT origin, year, sum(value) FROM migrant_stock WHERE release_id = ?
            AND sex = 'total' AND origin IN ({COUNTRIES}) AND destination IN ({COUNTRIES})
            AND year = (SELECT max(year) FROM migrant_stock WHERE release_id = ?)
            GROUP BY origin, year""", [release, release]).fetchall()
    else:  # remittances_gdp: the newest indicator named like remittances ... gdp
        row = con.execute(
            "SELECT indicator FROM area_indicator WHERE indicator LIKE '%remittance%' AND "
            "(unit LIKE '%gdp%' OR indicator LIKE '%gdp%') LIMIT 1").fetchone()
        # a world map wants the release that covers the most countries (WDI, not a
        # three-country research panel), the newest among equals
        best = con.execute(
            "SELECT a.release_id FROM area_indicator a JOIN releases r USING (release_id) "
            "WHERE a.indicator = ? GROUP BY a.release_id, r.edition "
            "ORDER BY count(DISTINCT a.area) DESC, r.edition DESC LIMIT 1",
            [row[0]]).fetchone() if row else None
        release = best[0] if best else None
        if release is None:
            return {}, None
        rows = con.execute(
            f"""SELECT area, max(year), arg_max(value, year) FROM area_indicator
            WHERE release_id = ? AND indicator = ? AND sex = 'total' AND area IN ({COUNTRIES})
            GROUP BY area""", [release, row[0]]).fetchall()
    if not rows:
        return {}, None
    return ({a: float(v) for a, _, v in rows},
            {"release": release, "year": int(max(y for _, y, _ in rows))})
