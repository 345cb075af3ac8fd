"""Turning rows into JSON, CSV or Parquet pages with ETags and release citations.

Rows depend only on the request and the loaded releases, so the ETag is a hash of
the release fingerprint and the request URL: unchanged releases give the same
ETag and ``If-None-Match`` gets ``304 Not Modified`` without touching the data.
Built rows are kept in a small LRU cache keyed the same way.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import duckdb
from fastapi import Request, Response
from fastapi.responses import JSONResponse

from steppe.api.errors import bad_parameter

PARQUET_MEDIA_TYPE = "application/vnd.apache.parquet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


@dataclass
class Rows:
    """Rows of a list resource and where they come from."""

    data: list[dict[str, Any]]
    releases: Iterable[str] = ()
    sources: list[str] = field(default_factory=list)


class RowCache:
    """A thread-safe LRU of built results keyed by (fingerprint, request key).

    Single-flight: while one thread builds a key, other threads asking for it wait for
    that build (and get its result or its exception) instead of building it again.
    """

    def __init__(self, size: int = 512) -> None:
        self._items: OrderedDict[tuple[str, str], Any] = OrderedDict()
        self._building: dict[tuple[str, str], Future[Any]] = {}
        self._size = size
        self._lock = threading.Lock()

    def get_or_build(self, key: tuple[str, str], build: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            pending = self._building.get(key)
            owner = pending is None
            if pending is None:
                pending = self._building[key] = Future()
        if not owner:
            return pending.result()
        try:
            value = build()
        except BaseException as exc:
            with self._lock:
                del self._building[key]
            pending.set_exception(exc)
            raise
        with self._lock:
            self._items[key] = value
            del self._building[key]
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        pending.set_result(value)
        return value


def request_key(request: Request, ignore: tuple[str, ...] = ()) -> str:
    """The path and the sorted query parameters (minus ``ignore``) as one string."""
    items = sorted((k, v) for k, v in request.query_params.multi_items() if k not in ignore)
    return request.url.path + "?" + "&".join(f"{k}={v}" for k, v in items)


def etag_for(fingerprint: str, request: Request) -> str:
    digest = hashlib.sha256(f"{fingerprint}|{request_key(request)}".encode()).hexdigest()[:24]
    return f'"{digest}"'


def not_modified(request: Request, etag: str) -> Response | None:
    """A 304 response when the client already holds this ETag."""
    header = request.headers.get("if-none-match", "")
    if etag in [t.strip() for t in header.split(",")] or header.strip() == "*":
        return Response(status_code=304, headers=_cache_headers(etag))
    return None


def _cache_headers(etag: str) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": "public, max-age=0, must-revalidate"}


def release_refs(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> list[dict[str, Any]]:
    """Release ids with their dataset's title, publisher, licence and citation."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return []
    rows = con.execute(
        "SELECT r.release_id, r.dataset, r.edition, s.title, s.publisher, s.licence, "
        "s.citation, r.url FROM releases r LEFT JOIN sources s USING (dataset) "
        "WHERE r.release_id IN (SELECT unnest(?)) ORDER BY r.release_id", [wanted]).fetchall()
    keys = ("release_id", "dataset", "edition", "title", "publisher", "licence", "citation", "url")
    return [dict(zip(keys, row)) for row in rows]


def sort_rows(rows: list[dict[str, Any]], sort: str | None, allowed: Iterable[str]) -> list[dict[str, Any]]:
    """Rows sorted by ``sort`` (comma-separated fields, ``-`` for descending)."""
    if not sort:
        return rows
    allowed = tuple(allowed)
    fields = [f.strip() for f in sort.split(",") if f.strip()]
    for name in fields:
        if name.lstrip("-") not in allowed:
            raise bad_parameter("sort", f"cannot sort by {name.lstrip('-')!r}; sort by one of "
                                f"{', '.join(allowed)}, with '-' before a field for descending "
                                "order (e.g. sort=-value,origin).")
    out = list(rows)
    for name in reversed(fields):
        key = name.lstrip("-")
        out.sort(key=lambda r: (r.get(key) is None, r.get(key)), reverse=name.startswith("-"))
    return out


def _flat(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def page_response(request: Request, con: duckdb.DuckDBPyConnection, rows: Rows, *, etag: str,
                  fmt: str, limit: int, offset: int, sort: str | None,
                  sortable: Iterable[str]) -> Response:
    """One page of rows as JSON (with the releases), CSV or Parquet."""
    ordered = sort_rows(rows.data, sort, sortable)
    page = ordered[offset:offset + limit]
    refs = release_refs(con, rows.releases)
    headers = _cache_headers(etag) | {"X-Steppe-Releases": ", ".join(r["release_id"] for r in refs),
                                      "X-Total-Count": str(len(ordered))}
    if fmt == "csv":
        buffer = io.StringIO()
        columns = list(page[0]) if page else []
        writer = csv.DictWriter(buffer, fieldnames=columns)
        writer.writeheader()
        for row in page:
            writer.writerow({k: _flat(v) for k, v in row.items()})
        return Response(buffer.getvalue(), media_type=CSV_MEDIA_TYPE, headers=headers)
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist([{k: _flat(v) for k, v in r.items()} for r in page])
        table = table.replace_schema_metadata({"steppe.releases": json.dumps(refs)})
        sink = io.BytesIO()
        pq.write_table(table, sink)
        return Response(sink.getvalue(), media_type=PARQUET_MEDIA_TYPE, headers=headers)
    next_url = None
    if offset + limit < len(ordered):
        next_url = str(request.url.include_query_params(offset=offset + limit, limit=limit))
    body = {"data": page, "releases": refs, "sources": rows.sources, "total": len(ordered),
            "limit": limit, "offset": offset, "next": next_url}
    return JSONResponse(body, headers=headers)


def object_response(body: dict[str, Any], etag: str) -> JSONResponse:
    """A single JSON document with caching headers."""
    return JSONResponse(body, headers=_cache_headers(etag))
