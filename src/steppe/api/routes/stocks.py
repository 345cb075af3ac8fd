"""``/stocks``: bilateral migrant stocks (UN DESA), through :func:`query_stock`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from steppe.api.deps import Cache, Format, Limit, Offset, Reader, Sort, area_of, check_years
from steppe.api.errors import ApiProblem, bad_parameter
from steppe.api.responses import Rows, etag_for, not_modified, page_response
from steppe.api.routes._common import TABULAR
from steppe.api.schemas import StockPage, StockRow
from steppe.errors import InvalidOptionError
from steppe.warehouse.stock_query import StockQuery, query_stock, resolve_release

router = APIRouter(tags=["stocks"])
Year = Annotated[int | None, Query(ge=1900, le=2100)]
Text = Annotated[str | None, Query(max_length=100, description="ISO3, M49 code or name")]


@router.get("/stocks", response_model=StockPage, responses=TABULAR)
def list_stocks(
    request: Request, snap: Reader, cache: Cache,
    origin: Text = None, destination: Text = None,
    year: Year = None, year_from: Year = None, year_to: Year = None,
    sex: Annotated[str, Query(pattern="^(total|male|female)$")] = "total",
    revision: Annotated[str | None, Query(max_length=20, description="UN DESA edition, e.g. 2020")] = None,
    release: Annotated[str | None, Query(max_length=100, description="an exact release id")] = None,
    countries_only: bool = True,
    sort: Sort = None, limit: Limit = 100, offset: Offset = 0, format: Format = "json",
) -> Response:
    """Persons born in ``origin`` living in ``destination``, one UN DESA revision at a time.

    Each row lists the same corridor in every loaded revision (``revisions``) and the
    figure quoted in the reference documents, when there is one. Without ``year`` or a
    year range, the release's latest year. A year range needs an origin or a destination.
    """
    etag = etag_for(snap.fingerprint, request)
    if (cached := not_modified(request, etag)) is not None:
        return cached
    check_years(year_from, year_to)
    query = StockQuery(
        origin=area_of(origin, "origin").area_id if origin else None,
        destination=area_of(destination, "destination").area_id if destination else None,
        sex=sex, revision=revision, release=release, countries_only=countries_only)  # type: ignore[arg-type]
    try:
        release_id, _ = resolve_release(snap.con, query)
    except InvalidOptionError as exc:
        raise bad_parameter("release", str(exc)) from None
    available = cache.get_or_build((snap.fingerprint, f"years|{release_id}"),
                                   lambda: _available_years(snap, release_id))
    years = _years(release_id, available, year, year_from, year_to)
    if len(years) > 1 and not (query.origin or query.destination):
        raise bad_parameter("year_from", "a year range covers every corridor of every year; give "
                            "an origin or a destination, or a single year.")
    key = f"stocks|{release_id}|{query.origin}|{query.destination}|{sex}|{countries_only}|{years}"

    def build() -> Rows:
        data: list[dict[str, Any]] = []
        for y in years:
            data += query_stock(snap.con, StockQuery(**{**query.__dict__, "year": y,
                                                        "release": release_id}))
        refs = {r["reference"]["release"] for r in data if r["reference"]}
        return Rows(data, releases={release_id, *refs, *_revision_releases(snap)})

    rows = cache.get_or_build((snap.fingerprint, key), build)
    return page_response(request, snap.con, rows, etag=etag, fmt=format, limit=limit,
                         offset=offset, sort=sort, sortable=StockRow.model_fields)


def _available_years(snap: Any, release_id: str) -> list[int]:
    return [int(r[0]) for r in snap.con.execute(
        "SELECT DISTINCT year FROM migrant_stock WHERE release_id = ? ORDER BY year",
        [release_id]).fetchall()]


def _years(release_id: str, available: list[int], year: int | None, year_from: int | None,
           year_to: int | None) -> list[int]:
    if year is not None:
        wanted = [year]
    elif year_from is None and year_to is None:
        wanted = available[-1:]
    else:
        wanted = [y for y in available if (year_from or 0) <= y <= (year_to or 9999)]
    missing = [y for y in wanted if y not in available]
    if missing or not wanted:
        raise ApiProblem(422, "Invalid parameter",
                         f"release {release_id} has stocks for {', '.join(map(str, available))}; "
                         "pick a year (or a range) among those.", slug="invalid-parameter",
                         errors=[{"pointer": "#/year", "detail": "no stocks for that year"}])
    return wanted


def _revision_releases(snap: Any) -> list[str]:
    return [r[0] for r in snap.con.execute(
        "SELECT release_id FROM releases WHERE dataset = 'un_desa_stock'").fetchall()]
