"""``/sources`` and ``/releases``: what is loaded, with citations and licences."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from steppe.api.deps import Cache, Format, Limit, Offset, Reader, Sort
from steppe.api.responses import Rows, etag_for, not_modified, page_response
from steppe.api.routes._common import TABULAR
from steppe.api.schemas import Release, ReleasePage, Source, SourcePage
from steppe.warehouse import fetch_records

router = APIRouter(tags=["sources"])


@router.get("/sources", response_model=SourcePage, responses=TABULAR)
def list_sources(request: Request, snap: Reader, cache: Cache, sort: Sort = None,
                 limit: Limit = 100, offset: Offset = 0, format: Format = "json") -> Response:
    """Every dataset in the warehouse with its publisher, licence, citation and releases."""
    etag = etag_for(snap.fingerprint, request)
    if (cached := not_modified(request, etag)) is not None:
        return cached

    def build() -> Rows:
        cursor = snap.con.execute(
            "SELECT s.*, list(r.release_id ORDER BY r.release_id) FILTER (r.release_id IS NOT NULL) "
            "AS releases FROM sources s LEFT JOIN releases r USING (dataset) "
            "GROUP BY ALL ORDER BY s.dataset")
        data = fetch_records(cursor)
        for row in data:
            row["releases"] = row["releases"] or []
        return Rows(data, releases=[r for row in data for r in row["releases"]])

    rows = cache.get_or_build((snap.fingerprint, "sources"), build)
    return page_response(request, snap.con, rows, etag=etag, fmt=format, limit=limit,
                         offset=offset, sort=sort, sortable=Source.model_fields)


@router.get("/releases", response_model=ReleasePage, responses=TABULAR)
def list_releases(request: Request, snap: Reader, cache: Cache,
                  dataset: Annotated[str | None, Query(max_length=80)] = None, sort: Sort = None,
                  limit: Limit = 100, offset: Offset = 0, format: Format = "json") -> Response:
    """Every loaded release (file) with its checksum and where it comes from."""
    etag = etag_for(snap.fingerprint, request)
    if (cached := not_modified(request, etag)) is not None:
        return cached

    def build() -> Rows:
        cursor = snap.con.execute(
            "SELECT release_id, dataset, edition, file_name, sha256, size_bytes, "
            "strftime(retrieved_at, '%Y-%m-%dT%H:%M:%S') AS retrieved_at, "
            "strftime(loaded_at, '%Y-%m-%dT%H:%M:%S') AS loaded_at, url FROM releases "
            "WHERE ? IS NULL OR dataset = ? ORDER BY dataset, edition, release_id",
            [dataset, dataset])
        data = fetch_records(cursor)
        return Rows(data, releases=[r["release_id"] for r in data])

    rows = cache.get_or_build((snap.fingerprint, f"releases|{dataset}"), build)
    return page_response(request, snap.con, rows, etag=etag, fmt=format, limit=limit,
                         offset=offset, sort=sort, sortable=Release.model_fields)
