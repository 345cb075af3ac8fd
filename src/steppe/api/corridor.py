"""A corridor A ↔ B: stocks both ways over time, revisions side by side, remittances, rules."""

from __future__ import annotations

from typing import Any

import duckdb

from steppe.api.profile import newest_stock_release, not_loaded, ok
from steppe.areas import Area


def stock_series(con: duckdb.DuckDBPyConnection, origin: str, destination: str, release: str
                 ) -> list[dict[str, Any]]:
    rows = con.execute("SELECT year, sex, value FROM migrant_stock WHERE release_id = ? AND "
                       "origin = ? AND destination = ? ORDER BY year, sex",
                       [release, origin, destination]).fetchall()
    return [{"year": int(y), "sex": s, "value": v} for y, s, v in rows]


def mirror(con: duckdb.DuckDBPyConnection, a: str, b: str) -> list[dict[str, Any]]:
    """Each UN DESA revision's figure for both directions and years (revisions differ)."""
    rows = con.execute(
        "SELECT m.origin, m.destination, m.year, r.edition, m.value, m.release_id "
        "FROM migrant_stock m JOIN releases r USING (release_id) WHERE m.sex = 'total' AND "
        "((m.origin = ? AND m.destination = ?) OR (m.origin = ? AND m.destination = ?)) "
        "ORDER BY m.origin, m.year, r.edition", [a, b, b, a]).fetchall()
    keys = ("origin", "destination", "year", "edition", "value", "release")
    return [dict(zip(keys, r)) | {"year": int(r[2])} for r in rows]


def build_corridor(con: duckdb.DuckDBPyConnection, a: Area, b: Area) -> dict[str, Any]:
    """Every section of the corridor page and the releases it used."""
    sections: dict[str, dict[str, Any]] = {}
    releases: set[str] = set()
    release = newest_stock_release(con)
    if release:
        sections["stocks"] = ok({"release": release,
                                 "a_to_b": stock_series(con, a.area_id, b.area_id, release),
                                 "b_to_a": stock_series(con, b.area_id, a.area_id, release)})
        rows = mirror(con, a.area_id, b.area_id)
        sections["revisions"] = ok(rows)
        releases.add(release)
        releases.update(r["release"] for r in rows)
    else:
        sections["stocks"] = sections["revisions"] = not_loaded("UN DESA bilateral migrant stock")
    remit = con.execute(
        "SELECT origin, destination, year, indicator, value, unit, release_id FROM "
        "bilateral_indicator WHERE ((origin = ? AND destination = ?) OR (origin = ? AND "
        "destination = ?)) ORDER BY indicator, year", [a.area_id, b.area_id, b.area_id,
                                                       a.area_id]).fetchall()
    keys = ("origin", "destination", "year", "indicator", "value", "unit", "release")
    remit_rows = [dict(zip(keys, r)) for r in remit]
    sections["bilateral"] = ok(remit_rows) if remit_rows else not_loaded(
        "remittances and other bilateral indicators")
    releases.update(r["release"] for r in remit_rows)
    sections["mirror"] = _mirror(con, a, b)
    sections["rules"] = _rules(a, b)
    return {"sections": sections, "releases": sorted(releases)}


def _mirror(con: duckdb.DuckDBPyConnection, a: Area, b: Area) -> dict[str, Any]:
    """Mirror statistics (the same corridor-year in two sources) and the corridor scores."""
    try:
        from steppe.quality import assess_corridor
        from steppe.quality.mirror import mirror_corridor

        pairs = mirror_corridor(con, a.area_id, b.area_id) + mirror_corridor(con, b.area_id, a.area_id)
        scores = [assess_corridor(con, a.area_id, b.area_id), assess_corridor(con, b.area_id, a.area_id)]
    except Exception:  # noqa: BLE001 - the section degrades instead
        return not_loaded("mirror statistics", "steppe quality")
    return ok({"pairs": [p.to_dict() for p in pairs],
               "scores": [{"corridor": s.subject, "score": s.score, "reasons": s.reasons}
                          for s in scores]})


def _rules(a: Area, b: Area) -> dict[str, Any]:
    if a.kind != "country" or b.kind != "country" or a.area_id == b.area_id:
        return not_loaded("rules between two different countries")
    try:
        from steppe import governance as gov

        engine = gov.default_engine()
    except Exception:  # noqa: BLE001 - the section degrades instead
        return not_loaded("governance rules", "steppe governance check")
    day = engine.kb.reviewed
    return ok({
        "on": day.isoformat(),
        "a_in_b": gov.rights(a.area_id, b.area_id, day, engine=engine).to_json(engine),
        "b_in_a": gov.rights(b.area_id, a.area_id, day, engine=engine).to_json(engine),
        "agreements": [{**x, "signed": x["signed"].isoformat() if x["signed"] else None}
                       for x in gov.agreements_between(a.area_id, b.area_id, day, engine=engine)],
    })
