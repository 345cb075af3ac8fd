"""A country migration profile assembled from the warehouse.

Sections follow an IOM Migration Profile: key figures, immigrant and emigrant
stocks over time by sex, top origins and destinations, Central Asia + Russia
corridors, then the sections other capabilities provide (see
:mod:`steppe.api.profile_extra`). Each section is ``{"status", "message", "data"}``
and a missing table or module gives ``status="not_loaded"`` rather than an error.
Every figure names its release; revisions are never mixed within one figure.
"""

from __future__ import annotations

from typing import Any

import duckdb

from steppe.areas import Area, group
from steppe.errors import NotLoadedError
from steppe.warehouse.stock_query import StockQuery, query_stock

CHORD_AREAS = (*group("central_asia"), "RUS")
COUNTRIES = "SELECT area_id FROM areas WHERE kind = 'country'"


def ok(data: Any) -> dict[str, Any]:
    return {"status": "ok", "message": None, "data": data}


def not_loaded(what: str, command: str = "steppe ingest") -> dict[str, Any]:
    return {"status": "not_loaded", "message": f"{what}: not loaded yet: run {command}",
            "data": None}


def newest_stock_release(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("SELECT release_id FROM releases WHERE dataset = 'un_desa_stock' "
                      "ORDER BY edition DESC, loaded_at DESC LIMIT 1").fetchone()
    return row[0] if row else None


def indicator_series(con: duckdb.DuckDBPyConnection, area: str, indicator: str
                     ) -> tuple[str | None, list[dict[str, Any]]]:
    """(release, rows) of an area indicator from the newest edition that has it."""
    row = con.execute(
        "SELECT a.release_id FROM area_indicator a JOIN releases r USING (release_id) "
        "WHERE a.area = ? AND a.indicator = ? GROUP BY a.release_id, r.edition "
        "ORDER BY r.edition DESC, count(*) DESC, max(r.loaded_at) DESC LIMIT 1",
        [area, indicator]).fetchone()
    if row is None:
        return None, []
    rows = con.execute("SELECT year, sex, value, unit FROM area_indicator WHERE area = ? AND "
                       "indicator = ? AND release_id = ? ORDER BY year, sex",
                       [area, indicator, row[0]]).fetchall()
    return row[0], [{"year": int(y), "sex": s, "value": v, "unit": u} for y, s, v, u in rows]


def emigrant_series(con: duckdb.DuckDBPyConnection, area: str, release: str) -> list[dict[str, Any]]:
    """Persons born in ``area`` living in any other country, by year and sex."""
    rows = con.execute(
        f"SELECT year, sex, sum(value) FROM migrant_stock WHERE release_id = ? AND origin = ? "
        f"AND destination IN ({COUNTRIES}) GROUP BY year, sex ORDER BY year, sex",
        [release, area]).fetchall()
    return [{"year": int(y), "sex": s, "value": v} for y, s, v in rows]


def _latest(rows: list[dict[str, Any]], sex: str = "total") -> dict[str, Any] | None:
    picked = [r for r in rows if r["sex"] == sex]
    return picked[-1] if picked else None


def migrant_share(con: duckdb.DuckDBPyConnection, area: str) -> dict[str, Any] | None:
    """Immigrant stock / population, both from one release and one year (the newest such)."""
    row = con.execute(
        "SELECT s.year, s.value, p.value, s.release_id FROM area_indicator s JOIN area_indicator p "
        "ON p.area = s.area AND p.year = s.year AND p.sex = s.sex AND p.release_id = s.release_id "
        "JOIN releases r ON r.release_id = s.release_id "
        "WHERE s.area = ? AND s.sex = 'total' AND s.indicator = 'migrant_stock_total' "
        "AND p.indicator = 'population' AND p.value > 0 "
        "ORDER BY s.year DESC, r.edition DESC LIMIT 1", [area]).fetchone()
    if row is None:
        return None
    year, stock, population, release = row
    return {"year": int(year), "value": 100.0 * stock / population, "stock": stock,
            "population": population, "release": release}


def chord_matrix(con: duckdb.DuckDBPyConnection, release: str) -> dict[str, Any]:
    """Stocks among Central Asia and Russia in the release's latest year."""
    year = con.execute("SELECT max(year) FROM migrant_stock WHERE release_id = ?",
                       [release]).fetchone()[0]
    rows = con.execute(
        "SELECT origin, destination, value FROM migrant_stock WHERE release_id = ? AND year = ? "
        "AND sex = 'total' AND origin IN (SELECT unnest(?)) AND destination IN (SELECT unnest(?))",
        [release, year, list(CHORD_AREAS), list(CHORD_AREAS)]).fetchall()
    index = {a: i for i, a in enumerate(CHORD_AREAS)}
    matrix = [[0.0] * len(CHORD_AREAS) for _ in CHORD_AREAS]
    for origin, destination, value in rows:
        if origin != destination:
            matrix[index[origin]][index[destination]] = value
    return {"year": int(year), "areas": list(CHORD_AREAS), "matrix": matrix, "release": release}


def build_profile(con: duckdb.DuckDBPyConnection, area: Area, lang: str = "en") -> dict[str, Any]:
    """Every section of the profile of ``area`` and the releases it used."""
    from steppe.api import profile_extra

    sections: dict[str, dict[str, Any]] = {}
    releases: set[str] = set()
    stock_release = newest_stock_release(con)
    imm_release, immigrants = indicator_series(con, area.area_id, "migrant_stock_total")
    pop_release, population = indicator_series(con, area.area_id, "population")
    share = migrant_share(con, area.area_id)
    emigrants = emigrant_series(con, area.area_id, stock_release) if stock_release else []
    releases.update(r for r in (stock_release, imm_release, pop_release) if r)
    if share:
        releases.add(share["release"])
    figures: dict[str, Any] = {}
    if (latest := _latest(immigrants)) is not None:
        figures["immigrant_stock"] = {**latest, "release": imm_release}
    if (latest := _latest(emigrants)) is not None:
        figures["emigrant_stock"] = {**latest, "release": stock_release}
    if (latest := _latest(population)) is not None:
        figures["population"] = {**latest, "release": pop_release}
    if share:
        figures["immigrant_share"] = share
    sections["key_figures"] = ok(figures) if figures else not_loaded("UN DESA migrant stock totals")
    sections["immigrants"] = (ok({"release": imm_release, "series": immigrants}) if immigrants
                              else not_loaded("UN DESA migrant stock totals"))
    sections["emigrants"] = (ok({"release": stock_release, "series": emigrants}) if emigrants
                             else not_loaded("UN DESA bilateral migrant stock"))
    if stock_release:
        top_o = query_stock(con, StockQuery(destination=area.area_id, top=10, release=stock_release))
        top_d = query_stock(con, StockQuery(origin=area.area_id, top=10, release=stock_release))
        sections["top_origins"] = ok([_slim(r) for r in top_o])
        sections["top_destinations"] = ok([_slim(r) for r in top_d])
        sections["corridors"] = ok(chord_matrix(con, stock_release))
        releases.update(r["reference"]["release"] for r in top_o + top_d if r["reference"])
    else:
        for key in ("top_origins", "top_destinations", "corridors"):
            sections[key] = not_loaded("UN DESA bilateral migrant stock")
    extra, extra_releases = profile_extra.sections(con, area, lang)
    sections.update(extra)
    releases.update(extra_releases)
    sections["sources"] = ok(sorted(releases))
    return {"sections": sections, "releases": sorted(releases)}


def _slim(record: dict[str, Any]) -> dict[str, Any]:
    return {k: record[k] for k in ("origin", "destination", "year", "sex", "value", "release",
                                   "revisions", "reference")}


def require_stock(con: duckdb.DuckDBPyConnection) -> str:
    release = newest_stock_release(con)
    if release is None:
        raise NotLoadedError("UN DESA bilateral migrant stock")
    return release
