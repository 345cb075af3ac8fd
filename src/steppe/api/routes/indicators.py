"""``/indicators``: country-year indicators (population, stock totals, refugees, remittances)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from steppe.api.deps import Cache, Format, Limit, Offset, Reader, Sort, area_of, check_years
from steppe.api.responses import Rows, etag_for, not_modified, page_response
from steppe.api.routes._common import TABULAR
from steppe.api.schemas import IndicatorPage, IndicatorRow
from steppe.warehouse import fetch_records

router = APIRouter(tags=["indicators"])
Year = Annotated[int | None, Query(ge=1900, le=2100)]


@router.get("/indicators", response_model=IndicatorPage, responses=TABULAR)
def list_indicators(
    request: Request, snap: Reader, cache: Cache,
    indicator: Annotated[str | None, Query(max_length=80, description=(
        "e.g. population, migrant_stock_total, refugee_stock"))] = None,
    area: Annotated[str | None, Query(max_length=100, description="ISO3, M49 code or name")] = None,
    year_from: Year = None, year_to: Year = None,
    sex: Annotated[str | None, Query(pattern="^(total|male|female)$")] = None,
    release: Annotated[str | None, Query(max_length=100)] = None,
    sort: Sort = None, limit: Limit = 100, offset: Offset = 0, format: Format = "json",
) -> Response:
    """Rows of ``area_indicator``, every row with its release (revisions are not mixed:
    filter by ``release`` to read one)."""
    etag = etag_for(snap.fingerprint, request)
    if (cached := not_modified(request, etag)) is not None:
        return cached
    check_years(year_from, year_to)
    area_id = area_of(area, "area").area_id if area else None
    key = f"ind|{indicator}|{area_id}|{year_from}|{year_to}|{sex}|{release}"

    def build() -> Rows:
        cursor = snap.con.execute(
            "SELECT area, year, indicator, sex, value, unit, release_id AS release "
            "FROM area_indicator WHERE (?::VARCHAR IS NULL OR indicator = ?) "
            "AND (?::VARCHAR IS NULL OR area = ?) AND year BETWEEN ? AND ? "
            "AND (?::VARCHAR IS NULL OR sex = ?) AND (?::VARCHAR IS NULL OR release_id = ?) "
            "ORDER BY indicator, area, year, sex, release_id",
            [indicator, indicator, area_id, area_id, year_from or 0, year_to or 9999, sex, sex,
             release, release])
        data = fetch_records(cursor)
        for row in data:
            row["year"] = int(row["year"])
        return Rows(data, releases={r["release"] for r in data})

    rows = cache.get_or_build((snap.fingerprint, key), build)
    return page_response(request, snap.con, rows, etag=etag, fmt=format, limit=limit,
                         offset=offset, sort=sort, sortable=IndicatorRow.model_fields)
