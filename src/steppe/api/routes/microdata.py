"""Microdata endpoints: protected aggregates for everyone, record-level and
unprotected tables for keys with the ``analyst`` role (every such query is audited).

Mounted by the API under ``/api/v1/microdata``. Configuration comes from the
environment (``STEPPE_MICRODATA_RECORDS``, ``STEPPE_MICRODATA_PUBLISHED``,
``STEPPE_MICRODATA_ACCESS_DB``) through the :func:`get_config` dependency, which
tests and embedding apps may override.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import duckdb
import pandas as pd
from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi import Path as PathParam
from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from steppe.config import Settings
from steppe.microdata.access import AccessStore, Principal
from steppe.microdata.pipeline import CELL

PUBLIC_TABLES = ("flows", "stays", "open_overstays")
MAX_ROWS = 5000


class MicrodataConfig(BaseSettings):
    """Where the microdata endpoints find records, published tables and keys."""

    model_config = SettingsConfigDict(env_prefix="STEPPE_MICRODATA_", extra="ignore")

    records: Path = Field(default=Path("microdata"), description="folder of validated records")
    published: Path = Field(default=Path("microdata/protected"),
                            description="folder of `steppe microdata aggregate --format parquet` output")
    access_db: Path = Field(default_factory=lambda: Settings().db.parent / "access.sqlite",
                            description="SQLite file of API keys and the audit log")


@lru_cache(maxsize=1)
def get_config() -> MicrodataConfig:
    """The configuration, read once from the environment."""
    return MicrodataConfig()


Config = Annotated[MicrodataConfig, Depends(get_config)]


def get_store(config: Config) -> AccessStore:
    """The key and audit store."""
    return AccessStore(config.access_db)


Store = Annotated[AccessStore, Depends(get_store)]


def require_analyst(
    request: Request,
    store: Store,
    x_api_key: Annotated[str | None, Header(description="API key with the analyst role")] = None,
) -> Principal:
    """401 without a valid key, 403 for a key without the ``analyst`` role; denials are audited."""
    action = f"{request.method} {request.url.path}"
    query = dict(request.query_params)
    who = store.authenticate(x_api_key)
    if who is None:
        store.record(None, action, query, "denied: missing or invalid key")
        raise HTTPException(
            status_code=401,
            detail="this endpoint needs an X-API-Key header with a valid key; "
            "ask an administrator for one (`steppe microdata keys add --role analyst`)",
            headers={"WWW-Authenticate": "API-Key"},
        )
    if who.role != "analyst":
        store.record(who, action, query, f"denied: role {who.role}")
        raise HTTPException(status_code=403,
                            detail=f"key {who.key_id} has role {who.role!r}; this endpoint needs 'analyst'")
    return who


Analyst = Annotated[Principal, Depends(require_analyst)]


class Rows(BaseModel):
    """A page of table rows."""

    table: str
    total: int = Field(description="rows matching the filters")
    rows: list[dict[str, Any]]


def _filter(df: pd.DataFrame, filters: dict[str, Any]) -> pd.DataFrame:
    for col, value in filters.items():
        if value is not None and col in df.columns:
            df = df[df[col] == value]
    return df


def _page(name: str, df: pd.DataFrame, limit: int, offset: int) -> Rows:
    part = df.iloc[offset: offset + limit]
    rows = part.astype(object).where(part.notna(), None).to_dict(orient="records")
    return Rows(table=name, total=len(df), rows=rows)


Table = Annotated[str, PathParam(description="flows | stays | open_overstays")]
Limit = Annotated[int, Query(ge=1, le=MAX_ROWS)]
Offset = Annotated[int, Query(ge=0)]

router = APIRouter(tags=["microdata"])


def _check_table(table: str) -> None:
    if table not in PUBLIC_TABLES:
        raise HTTPException(status_code=404, detail=f"unknown table {table!r}; expected one of {', '.join(PUBLIC_TABLES)}")


@router.get("/aggregates/{table}", response_model=Rows)
def aggregates(
    table: Table, config: Config, citizenship: str | None = None, region: str | None = None,
    year: int | None = None, month: int | None = None, limit: Limit = 1000, offset: Offset = 0,
) -> Rows:
    """Protected aggregates (public): withheld cells have null values and ``suppressed``."""
    _check_table(table)
    path = config.published / f"{table}.parquet"
    if not path.exists():
        raise HTTPException(status_code=404, detail=f"{table} has not been published; run "
                            "`steppe microdata aggregate DIR --format parquet --out "
                            f"{config.published}`")
    df = pd.read_parquet(path)
    df = df.drop(columns=[c for c in df.columns if c == "person_key"])
    df = _filter(df, {"citizenship": citizenship, "region": region, "year": year, "month": month})
    return _page(table, df, limit, offset)


@router.get("/records", response_model=Rows)
def records(
    who: Analyst, store: Store, config: Config, request: Request, citizenship: str | None = None,
    region: str | None = None, limit: Limit = 100, offset: Offset = 0,
) -> Rows:
    """Record-level registrations (analyst role; audited)."""
    from steppe.microdata.codes import CodeTable

    root = config.records / "registrations" if (config.records / "registrations").is_dir() else config.records
    codes = CodeTable.read(root)  # coded layout: filter on codes, decode the page only
    where, params = [], []
    for col, value in (("citizenship", citizenship), ("region", region)):
        if value is not None:
            where.append(f"{col} = ?")
            labels = codes.columns.get(col) if codes else None
            params.append((labels.index(value) if value in labels else -1) if labels else value)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    src = f"read_parquet('{(root / '**' / '*.parquet').as_posix()}', hive_partitioning = false)"
    with duckdb.connect() as con:
        found = con.execute(f"SELECT count(*) FROM {src} {clause}", params).fetchone()
        total = found[0] if found else 0
        columns = "* EXCLUDE (cell)" if codes and codes.cell else "*"  # the packed key is internal
        page_table = con.execute(
            f"SELECT {columns} FROM {src} {clause} ORDER BY registration_date, person_key "
            "LIMIT ? OFFSET ?", [*params, limit, offset],
        ).fetch_arrow_table()
    df = (codes.decode_arrow(page_table) if codes else page_table).to_pandas()
    store.record(who, f"GET {request.url.path}", dict(request.query_params), "ok", len(df))
    page = _page("records", df, limit, 0)
    return Rows(table="records", total=int(total), rows=page.rows)


@router.get("/unprotected/{table}", response_model=Rows)
def unprotected_table(
    table: Table, who: Analyst, store: Store, config: Config, request: Request,
    citizenship: str | None = None, region: str | None = None, year: int | None = None,
    month: int | None = None, limit: Limit = 1000, offset: Offset = 0,
) -> Rows:
    """Aggregates before disclosure control (analyst role; audited)."""
    from steppe.microdata.aggregate import unprotected

    _check_table(table)
    raw, _, _ = unprotected(config.records)
    df = _filter(raw[table], {"citizenship": citizenship, "region": region, "year": year, "month": month})
    page = _page(table, df, limit, offset)
    store.record(who, f"GET {request.url.path}", dict(request.query_params), "ok", len(page.rows))
    return page


__all__ = ["CELL", "MicrodataConfig", "get_config", "get_store", "require_analyst", "router"]
