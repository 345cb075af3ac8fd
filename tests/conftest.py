"""Fixtures shared by the whole suite: the local data folder and a small UN DESA warehouse."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from steppe.warehouse import Warehouse
from steppe.warehouse.ingest import bundled_files, plan_folder, run_plan

UN_DESA = ("un_desa_stock", "un_desa_stock_totals", "reference_documents")


def shared_data_path() -> Path:
    """The folder of official data snapshots (STEPPE_DATA, default ../shared/data)."""
    default = Path(__file__).resolve().parents[1].parent / "shared" / "data"
    return Path(os.environ.get("STEPPE_DATA") or default)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_path()
    if not path.is_dir():
        pytest.skip(f"no local data folder at {path}; set STEPPE_DATA")
    return path


@pytest.fixture(scope="session")
def undesa_warehouse(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """A warehouse with every UN DESA stock file and the reference figures loaded."""
    warehouse = Warehouse(tmp_path_factory.mktemp("undesa") / "steppe.duckdb")
    planned, _ = plan_folder(shared_data / "undesa", UN_DESA)
    run_plan(warehouse, planned + bundled_files(UN_DESA))
    return warehouse


@pytest.fixture(scope="session", autouse=True)
def _private_state(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep tests away from the user's warehouse, cache and access database."""
    state = tmp_path_factory.mktemp("state")
    for name, value in (("STEPPE_DB", state / "steppe.duckdb"), ("STEPPE_CACHE", state / "cache"),
                        ("STEPPE_MICRODATA_ACCESS_DB", state / "access.sqlite")):
        os.environ.setdefault(name, str(value))
