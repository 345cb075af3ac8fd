"""The FastAPI application: the API under ``/api/v1`` and the portal at ``/``."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI

from steppe import __version__ as STEPPE_VERSION
from steppe.api import docs, errors
from steppe.api.cache import ResponseCache
from steppe.api.readers import ReaderPool
from steppe.api.responses import RowCache
from steppe.api.routes._common import GUARDED
from steppe.warehouse import Warehouse

API_PREFIX = "/api/v1"
ROUTE_MODULES = ("areas", "sources", "stocks", "indicators", "profiles", "rights", "scenarios",
                 "analysis")
OPTIONAL_ROUTERS = {"microdata": "/microdata"}  # written by other capabilities


def create_app(warehouse_path: Path | str, *, data_dir: Path | str | None = None,
               portal: bool = True, cache_bytes: int = 64 << 20, warm: bool = False) -> FastAPI:
    """The steppe web application over one warehouse file.

    Parameters
    ----------
    warehouse_path
        The DuckDB warehouse; read-only, reopened whenever an ingest swaps in a new file.
    data_dir
        Folder of the shared data (for the world map, ``geo/ne_110m_admin_0_countries.geojson``);
        default ``STEPPE_DATA``.
    portal
        Also serve the web portal (``/``, ``/country/{ISO3}``...).
    cache_bytes
        Budget of the whole-response cache (:mod:`steppe.api.cache`); 0 turns it off.
    warm
        At start-up, build the Central Asia + Russia profiles in a background thread
        (see :func:`steppe.api.warmup.warm`), so first visitors do not wait.
    """
    warehouse = Warehouse(warehouse_path)
    pool = ReaderPool(warehouse)

    @contextlib.asynccontextmanager
    async def lifespan(started: FastAPI) -> AsyncIterator[None]:
        if warm:
            from steppe.api.warmup import start

            start(started)
        yield
        pool.close()

    app = FastAPI(
        title="steppe API", version=STEPPE_VERSION, lifespan=lifespan,
        description="Read-only access to the steppe migration warehouse. Every response "
                    "names the releases it comes from; errors are RFC 9457 problem details.",
        openapi_url=f"{API_PREFIX}/openapi.json", docs_url=None, redoc_url=None,
    )
    app.state.pool = pool
    app.state.rows = RowCache()
    app.state.data_dir = Path(data_dir) if data_dir else None
    errors.install(app)
    docs.install(app, API_PREFIX)
    for name in ROUTE_MODULES:
        module = importlib.import_module(f"steppe.api.routes.{name}")
        app.include_router(module.router, prefix=API_PREFIX)
    for name, prefix in OPTIONAL_ROUTERS.items():
        if importlib.util.find_spec(f"steppe.api.routes.{name}") is not None:
            module = importlib.import_module(f"steppe.api.routes.{name}")
            app.include_router(module.router, prefix=API_PREFIX + prefix, responses=GUARDED)
    if portal:
        from steppe.web.portal import install as install_portal

        install_portal(app)
    if cache_bytes:
        app.add_middleware(ResponseCache, warehouse=warehouse, max_bytes=cache_bytes)
    return app


def from_settings() -> FastAPI:
    """The application over ``Settings().db`` (a factory for ``uvicorn --workers``)."""
    from steppe.config import Settings

    settings = Settings()
    return create_app(settings.db, data_dir=settings.data, warm=True)
