"""Profile sections provided by other capabilities, each degrading to ``not_loaded``.

Remittances and refugees come from ``area_indicator``/``bilateral_indicator``,
estimated flows from ``flow_estimate``, memberships, agreements and rights from
:mod:`steppe.governance`, data quality from :mod:`steppe.quality`. When a table,
row or module is missing, the section says so and names the command to run.
"""

from __future__ import annotations

import importlib
from typing import Any

import duckdb

from steppe.api.profile import not_loaded, ok
from steppe.areas import Area

RIGHTS_HOSTS = ("RUS", "KAZ")
REST = "REST"  #: the "rest of the world" region of the flow chord
RIGHTS_SHOWN = ("visa_free_entry", "work_permit_required", "max_stay_days_visa_free",
                "quota_applies", "social_insurance_equal", "pension_export")


def _table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                      [name]).fetchone()
    return bool(row and row[0])


def _indicator_rows(con: duckdb.DuckDBPyConnection, area: str, like: str) -> list[dict[str, Any]]:
    rows = con.execute(
        "SELECT indicator, year, sex, value, unit, release_id FROM area_indicator "
        "WHERE area = ? AND indicator LIKE ? AND sex = 'total' ORDER BY indicator, year",
        [area, like]).fetchall()
    keys = ("indicator", "year", "sex", "value", "unit", "release")
    return [dict(zip(keys, r)) for r in rows]


def remittances(con: duckdb.DuckDBPyConnection, area: Area) -> dict[str, Any]:
    rows = _indicator_rows(con, area.area_id, "%remittance%")
    corridors = con.execute(
        "SELECT origin, destination, year, indicator, value, unit, release_id FROM "
        "bilateral_indicator WHERE indicator LIKE '%remittance%' AND destination = ? "
        "ORDER BY year DESC, value DESC LIMIT 10", [area.area_id]).fetchall()
    if not rows and not corridors:
        return not_loaded("remittances (World Bank WDI, KNOMAD)", "steppe ingest --from <data>")
    keys = ("origin", "destination", "year", "indicator", "value", "unit", "release")
    return ok({"series": rows, "top_senders": [dict(zip(keys, r)) for r in corridors]})


def refugees(con: duckdb.DuckDBPyConnection, area: Area) -> dict[str, Any]:
    hosted = _indicator_rows(con, area.area_id, "refugee%")
    abroad = con.execute(
        "SELECT year, indicator, sum(value), any_value(release_id) FROM bilateral_indicator "
        "WHERE indicator LIKE 'refugee%' AND origin = ? GROUP BY year, indicator ORDER BY year",
        [area.area_id]).fetchall()
    if not hosted and not abroad:
        return not_loaded("refugee figures (UN DESA, UNHCR)")
    return ok({"hosted": hosted, "abroad": [{"year": int(y), "indicator": i, "value": v,
                                             "release": r} for y, i, v, r in abroad]})


def flows(con: duckdb.DuckDBPyConnection, area: Area) -> dict[str, Any]:
    """The largest estimated flows to and from ``area`` (``flow_estimate`` x ``flow_runs``)."""
    try:
        from steppe.flows.store import query_estimates

        rows = (query_estimates(con, origin=area.area_id)
                + query_estimates(con, destination=area.area_id))
    except Exception:  # noqa: BLE001 - a missing table or module degrades the section
        rows = []
    if not rows:
        return not_loaded("estimated flows", "steppe flows estimate --period 2015-2020")
    rows.sort(key=lambda r: -float(r["value"] or 0))
    keys = ("origin", "destination", "period", "method", "revision", "value", "run_id")
    return ok([{k: r[k] for k in keys} for r in rows[:20]])


def flow_chord(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Estimated flows among Central Asia, Russia and the rest of the world (newest run).

    The run is the newest stored one of the latest period (``flow_runs``), its
    ``flow_estimate`` collapsed with :func:`steppe.flows.chord.group_matrix`; the data
    name the run, period, method, UN DESA revision and input releases.
    """
    hint = "steppe flows estimate --period 2015-2020"
    if not (_table_exists(con, "flow_runs") and _table_exists(con, "flow_estimate")):
        return not_loaded("estimated flows", hint)
    run = con.execute(
        "SELECT run_id, method, period_start, period_end, revision, input_releases, created_at "
        "FROM flow_runs ORDER BY period_end DESC, period_start DESC, "
        "method = 'demographic-accounting' DESC, created_at DESC LIMIT 1").fetchone()
    if run is None:
        return not_loaded("estimated flows", hint)
    import numpy as np

    from steppe.flows.chord import group_matrix

    rows = con.execute("SELECT origin, destination, value FROM flow_estimate WHERE run_id = ?",
                       [run[0]]).fetchall()
    areas = sorted({r[0] for r in rows} | {r[1] for r in rows})
    index = {a: i for i, a in enumerate(areas)}
    od = np.zeros((len(areas), len(areas)))
    for origin, destination, value in rows:
        od[index[origin], index[destination]] = value
    matrix, labels = group_matrix(od, areas, rest=REST)
    return ok({"run_id": run[0], "method": run[1], "period": f"{run[2]}-{run[3]}",
               "revision": run[4], "input_releases": sorted(run[5]),
               "created_at": run[6].isoformat(timespec="seconds") if run[6] else None,
               "areas": list(labels), "matrix": matrix.round(0).tolist()})


def governance(area: Area) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(memberships timeline, agreements, rights summary) sections."""
    try:
        gov = importlib.import_module("steppe.governance")
        engine = gov.default_engine()
    except Exception:  # noqa: BLE001 - a broken or missing module degrades the section
        missing = not_loaded("governance rules", "steppe governance check")
        return missing, missing, missing
    day = engine.kb.reviewed
    if area.kind != "country":
        missing = not_loaded("governance rules for aggregates")
        return missing, missing, missing
    events = [{"day": e.day.isoformat(), "kind": e.kind, "subject": e.subject, "before": e.before,
               "after": e.after, "source": e.cite[0].url if e.cite else None}
              for e in gov.timeline(area.area_id, engine=engine) if e.kind == "membership"]
    member = gov.memberships(area.area_id, day, engine=engine)
    agreements: list[dict[str, Any]] = []
    rights: list[dict[str, Any]] = []
    for host in RIGHTS_HOSTS:
        if host == area.area_id:
            continue
        for item in gov.agreements_between(area.area_id, host, day, engine=engine):
            agreements.append({"with": host, "agreement": item["agreement"], "title": item["title"],
                               "signed": item["signed"].isoformat() if item["signed"] else None,
                               "in_force_for_both": item["in_force_for_both"]})
        answer = gov.rights(area.area_id, host, day, engine=engine).to_json(engine)
        rights.append({"host": host, "on": answer["on"], "entitlements": {
            k: v for k, v in answer["entitlements"].items() if k in RIGHTS_SHOWN}})
    return (ok({"on": day.isoformat(), "status": member, "events": events}), ok(agreements),
            ok(rights))


def quality(con: duckdb.DuckDBPyConnection, area: Area) -> dict[str, Any]:
    try:
        module = importlib.import_module("steppe.quality")
        report = module.assess
    except (ImportError, AttributeError):
        return not_loaded("data quality report", "steppe quality")
    try:
        result = report(con, area.area_id)  # steppe.quality.assess
    except Exception as exc:  # noqa: BLE001 - the profile shows what failed instead
        return {"status": "not_loaded", "message": f"data quality report failed: {exc}",
                "data": None}
    return ok(result.to_json() if hasattr(result, "to_json") else result)


def sections(con: duckdb.DuckDBPyConnection, area: Area, lang: str
             ) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """The extra sections and the release ids they cite."""
    out = {"remittances": remittances(con, area), "refugees": refugees(con, area),
           "flows": flows(con, area), "flow_chord": flow_chord(con)}
    out["memberships"], out["agreements"], out["rights"] = governance(area)
    out["quality"] = quality(con, area)
    releases: set[str] = set()
    for key in ("remittances", "refugees"):
        data = out[key]["data"] or {}
        for rows in data.values():
            releases.update(r["release"] for r in rows if r.get("release"))
    if out["flow_chord"]["status"] == "ok":
        releases.update(out["flow_chord"]["data"]["input_releases"])
    return out, releases
