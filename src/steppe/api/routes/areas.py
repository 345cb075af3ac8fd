"""``/areas``: countries and UN aggregates with names in en/ru/kk."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from steppe.api.deps import (
    Cache,
    Format,
    LangQuery,
    Limit,
    Offset,
    Reader,
    Sort,
    area_json,
    area_of,
)
from steppe.api.responses import Rows, etag_for, not_modified, object_response, page_response
from steppe.api.routes._common import OBJECT, TABULAR
from steppe.api.schemas import Area, AreaPage
from steppe.areas import group as area_group
from steppe.areas.registry import registry

router = APIRouter(tags=["areas"])
AREA_SOURCE = "steppe.areas: ISO 3166 (pycountry), UN M49, names from Unicode CLDR"


@router.get("/areas", response_model=AreaPage, responses=TABULAR)
def list_areas(request: Request, snap: Reader, cache: Cache,
               kind: Annotated[str | None, Query(pattern="^(country|aggregate|unknown)$")] = None,
               group: Annotated[str | None, Query(pattern="^(central_asia|central_asia_russia)$")] = None,
               lang: LangQuery = "en", sort: Sort = None, limit: Limit = 300,
               offset: Offset = 0, format: Format = "json") -> Response:
    """Every country, territory and aggregate, optionally of one kind or group."""
    etag = etag_for(snap.fingerprint, request)
    if (cached := not_modified(request, etag)) is not None:
        return cached

    def build() -> Rows:
        members = set(area_group(group)) if group else None
        data = [area_json(a, lang) for a in registry().areas
                if (kind is None or a.kind == kind) and (members is None or a.area_id in members)]
        return Rows(data, sources=[AREA_SOURCE])

    try:
        rows = cache.get_or_build((snap.fingerprint, f"areas|{kind}|{group}|{lang}"), build)
    except ValueError as exc:
        from steppe.api.errors import bad_parameter

        raise bad_parameter("group", str(exc)) from None
    return page_response(request, snap.con, rows, etag=etag, fmt=format, limit=limit,
                         offset=offset, sort=sort, sortable=Area.model_fields)


@router.get("/areas/{area}", response_model=Area, responses=OBJECT)
def get_area(request: Request, area: str, lang: LangQuery = "en") -> Response:
    """One area, by ISO3, M49 code or name."""
    found = area_of(area)
    return object_response(area_json(found, lang), etag_for("areas", request))
