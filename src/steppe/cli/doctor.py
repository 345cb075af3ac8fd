"""``steppe doctor``: is the warehouse usable, where is the cache, which versions run."""

from __future__ import annotations

import importlib.metadata
import platform
import shutil

import typer

from steppe import __version__
from steppe.cli.options import DbOption, FormatOption, OutputFormat, emit, warehouse_from
from steppe.config import Settings
from steppe.errors import SteppeError
from steppe.warehouse.schema import SCHEMA_VERSION

_PACKAGES = ("duckdb", "pyarrow", "pandas", "numpy", "fastapi", "ibis-framework", "pyfixest",
             "pyspark", "playwright", "weasyprint")


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)


def doctor(db: DbOption = None, fmt: FormatOption = OutputFormat.table) -> None:
    """Check the warehouse, cache, local data folder, Java/Chromium and library versions."""
    settings = Settings()
    warehouse = warehouse_from(db)
    checks: list[dict[str, str]] = []

    def add(item: str, status: str, detail: str) -> None:
        checks.append({"check": item, "status": status, "detail": detail})

    try:
        with warehouse.reader() as con:
            version = con.execute("SELECT max(version) FROM schema_version").fetchone()[0]
            releases = con.execute("SELECT count(*) FROM releases").fetchone()[0]
        state = "ok" if version == SCHEMA_VERSION else "migrate"
        add("warehouse", state, f"{warehouse.path} (schema {version}/{SCHEMA_VERSION}, "
                                f"{releases} releases)")
    except SteppeError as exc:
        add("warehouse", "missing" if not warehouse.exists() else "error", str(exc))
    add("cache", "ok" if settings.cache.exists() else "empty", str(settings.cache))
    add("local data", "ok" if settings.data and settings.data.is_dir() else "unset",
        str(settings.data or "STEPPE_DATA not set; `steppe ingest` will download"))
    for tool in ("java", "chromium"):
        found = shutil.which(tool)
        add(tool, "ok" if found else "missing", found or "needed for Spark / browser tests")
    add("steppe", "ok", f"{__version__} on Python {platform.python_version()}")
    for package in _PACKAGES:
        try:
            add(package, "ok", importlib.metadata.version(package))
        except importlib.metadata.PackageNotFoundError:
            add(package, "missing", "not installed")
    emit(checks, fmt, title="steppe doctor")
