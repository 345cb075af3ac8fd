"""``/quality/{area}``, ``/remittances``, ``/refugees`` and ``/flows``.

Quality reports come from :func:`steppe.quality.assess`; remittances (KNOMAD) and
refugees (UNHCR) from ``bilateral_indicator``; estimated flows from ``flow_estimate``
joined to ``flow_runs`` (:func:`steppe.flows.store.query_estimates`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from steppe.api.deps import Cache, Format, Limit, Offset, Reader, Sort, area_of, check_years
from steppe.api.responses import (
    Rows,
    etag_for,
    not_modified,
    object_response,
    page_response,
    release_refs,
)
from steppe.api.routes._common import OBJECT, TABULAR
from steppe.api.schemas_analysis import (
    BilateralPage,
    BilateralRow,
    FlowPage,
    FlowRow,
    QualityReport,
)
from steppe.warehouse import fetch_records

router = APIRouter()
Year = Annotated[int | None, Query(ge=1900, le=2100)]
Text = Annotated[str | None, Query(max_length=100, description="ISO3, M49 code or name")]


@router.get("/quality/{area}", response_model=QualityReport, responses=OBJECT, tags=["quality"])
def get_quality(request: Request, area: str, snap: Reader, cache: Cache) -> Response:
    """Data-quality score (0-100) of a country, its reasons and every check (``steppe quality``)."""
    etag = etag_for(snap.fingerprint, request)
    if (cached := not_modified(request, etag)) is not None:
        return cached
    found = area_of(area, countries_only=True)

    def build() -> dict[str, Any]:
        from steppe.quality import assess

        report = assess(snap.con, found.area_id).to_json()
        return {**report, "releases": release_refs(snap.con, _releases_of(report))}

    return object_response(cache.get_or_build((snap.fingerprint, f"quality|{found.area_id}"),
                                               build), etag)


def _releases_of(report: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for check in report.get("checks", []):
        for key in ("release", "release_a", "release_b"):
            if isinstance(check, dict) and isinstance(check.get(key), str):
                found.add(check[key])
    return found


def _bilateral(snap: Any, indicator: str, origin: str | None, destination: str | None,
               year_from: int | None, year_to: int | None, release: str | None) -> Rows:
    cursor = snap.con.execute(
        "SELECT origin, destination, year, indicator, value, unit, release_id AS release "
        "FROM bilateral_indicator WHERE indicator = ? AND (?::VARCHAR IS NULL OR origin = ?) "
        "AND (?::VARCHAR IS NULL OR destination = ?) AND coalesce(year, 0) BETWEEN ? AND ? "
        "AND (?::VARCHAR IS NULL OR release_id = ?) "
        "ORDER BY year DESC, value DESC NULLS LAST, origin, destination",
        [indicator, origin, origin, destination, destination, year_from or 0, year_to or 9999,
         release, release])
    data = fetch_records(cursor)
    for row in data:
        row["year"] = int(row["year"]) if row["year"] is not None else None
    return Rows(data, releases={r["release"] for r in data})


def _bilateral_route(indicator: str, summary: str, tag: str) -> None:
    @router.get(f"/{indicator}", response_model=BilateralPage, responses=TABULAR, tags=[tag],
                summary=summary, name=f"list_{indicator}")
    def listing(request: Request, snap: Reader, cache: Cache, origin: Text = None,
                destination: Text = None, year_from: Year = None, year_to: Year = None,
                release: Annotated[str | None, Query(max_length=100)] = None,
                sort: Sort = None, limit: Limit = 100, offset: Offset = 0,
                format: Format = "json") -> Response:
        etag = etag_for(snap.fingerprint, request)
        if (cached := not_modified(request, etag)) is not None:
            return cached
        check_years(year_from, year_to)
        o = area_of(origin, "origin").area_id if origin else None
        d = area_of(destination, "destination").area_id if destination else None
        key = f"{indicator}|{o}|{d}|{year_from}|{year_to}|{release}"
        rows = cache.get_or_build((snap.fingerprint, key), lambda: _bilateral(
            snap, indicator, o, d, year_from, year_to, release))
        return page_response(request, snap.con, rows, etag=etag, fmt=format, limit=limit,
                             offset=offset, sort=sort, sortable=BilateralRow.model_fields)


_bilateral_route("remittances", "Bilateral remittances (KNOMAD; origin = the sending country)",
                 "remittances")
_bilateral_route("refugees", "Refugees by origin and country of asylum (UNHCR)", "refugees")


@router.get("/flows", response_model=FlowPage, responses=TABULAR, tags=["flows"])
def list_flows(
    request: Request, snap: Reader, cache: Cache, origin: Text = None, destination: Text = None,
    method: Annotated[str | None, Query(max_length=40, description=(
        "e.g. demographic-accounting, stock-differencing"))] = None,
    revision: Annotated[str | None, Query(max_length=20, description="UN DESA edition")] = None,
    sort: Sort = None, limit: Limit = 100, offset: Offset = 0, format: Format = "json",
) -> Response:
    """Estimated flows by corridor and period (newest run per method, revision and period)."""
    etag = etag_for(snap.fingerprint, request)
    if (cached := not_modified(request, etag)) is not None:
        return cached
    o = area_of(origin, "origin").area_id if origin else None
    d = area_of(destination, "destination").area_id if destination else None

    def build() -> Rows:
        from steppe.flows.store import query_estimates

        data = query_estimates(snap.con, origin=o, destination=d, method=method,
                               revision=revision)
        runs = {r["run_id"] for r in data}
        inputs = dict(snap.con.execute(
            "SELECT run_id, input_releases FROM flow_runs WHERE run_id IN (SELECT unnest(?))",
            [sorted(runs)]).fetchall()) if runs else {}
        out = []
        for r in data:
            start, _, end = str(r["period"]).partition("-")
            out.append({"run_id": r["run_id"], "origin": r["origin"],
                        "destination": r["destination"], "period_start": int(start),
                        "period_end": int(end), "value": r["value"], "lower": r["lower"],
                        "upper": r["upper"], "method": r["method"], "revision": r["revision"],
                        "releases": list(inputs.get(r["run_id"]) or [])})
        return Rows(out, releases={x for r in out for x in r["releases"]})

    rows = cache.get_or_build((snap.fingerprint, f"flows|{o}|{d}|{method}|{revision}"), build)
    return page_response(request, snap.con, rows, etag=etag, fmt=format, limit=limit,
                         offset=offset, sort=sort, sortable=FlowRow.model_fields)
