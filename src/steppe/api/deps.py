"""Dependencies shared by the routes, as ``Annotated`` aliases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request

from steppe.api.errors import ApiProblem, from_steppe_error
from steppe.api.readers import ReaderPool, Snapshot
from steppe.api.responses import RowCache
from steppe.areas import Area, resolve
from steppe.errors import SteppeError, UnknownAreaError


def _snapshot(request: Request) -> Iterator[Snapshot]:
    pool: ReaderPool = request.app.state.pool
    with pool.snapshot() as snap:
        yield snap


def _cache(request: Request) -> RowCache:
    return request.app.state.rows  # type: ignore[no-any-return]


Reader = Annotated[Snapshot, Depends(_snapshot)]
Cache = Annotated[RowCache, Depends(_cache)]
Limit = Annotated[int, Query(ge=1, le=1000, description="rows per page (1-1000)")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="rows to skip")]
Sort = Annotated[str | None, Query(max_length=200, description=(
    "comma-separated fields, '-' for descending, e.g. -value,origin"))]
Format = Annotated[str, Query(pattern="^(json|csv|parquet)$",
                              description="json (default), csv or parquet")]
LangQuery = Annotated[str, Query(pattern="^(en|ru|kk)$", description="en, ru or kk")]


def area_of(text: str, parameter: str | None = None, *, countries_only: bool = False) -> Area:
    """Resolve a code or name; a problem pointing at ``parameter`` when it fails.

    With ``parameter=None`` (a path segment) an unknown area is a 404.
    """
    try:
        area = resolve(text)
    except SteppeError as exc:
        raise from_steppe_error(exc, parameter) from None
    if countries_only and area.kind != "country":
        raise from_steppe_error(UnknownAreaError([text], "countries"), parameter)
    return area


def check_years(year_from: int | None, year_to: int | None) -> None:
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ApiProblem(422, "Invalid parameter",
                         f"year_from={year_from} is after year_to={year_to}; swap them.",
                         slug="invalid-parameter",
                         errors=[{"pointer": "#/year_from", "detail": "after year_to"}])


def area_json(area: Area, lang: str) -> dict[str, object]:
    return {"area_id": area.area_id, "m49": area.m49, "iso3": area.iso3, "iso2": area.iso2,
            "kind": area.kind, "name": area.name(lang), "name_en": area.name_en,
            "name_ru": area.name_ru, "name_kk": area.name_kk}
