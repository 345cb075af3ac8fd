"""Fixtures of the portal tests: a client on the session's UN DESA warehouse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from steppe.api import create_app
from steppe.warehouse import Warehouse


@pytest.fixture(scope="session")
def portal(undesa_warehouse: Warehouse, shared_data: Path) -> Iterator[TestClient]:
    with TestClient(create_app(undesa_warehouse.path, data_dir=shared_data)) as client:
        yield client


WPP_FILES = ("popAge5dt.csv.gz", "misc1dt.csv.gz")


@pytest.fixture(scope="session")
def flows_warehouse(undesa_warehouse: Warehouse, shared_data: Path,
                    tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The UN DESA warehouse plus WPP 2024 and one demographic-accounting flow run for
    2015-2020 (UN DESA revision 2024), as the API tests' ``analysis_warehouse``."""
    import shutil

    from steppe.flows.store import estimate_and_store
    from steppe.warehouse.ingest import Failed, plan_folder, run_plan

    wpp = shared_data / "undesa" / "wpp2024_pkg"
    if not all((wpp / name).is_file() for name in WPP_FILES):
        pytest.skip(f"missing in {wpp}: {WPP_FILES}")
    warehouse = Warehouse(tmp_path_factory.mktemp("flows") / "steppe.duckdb")
    shutil.copyfile(undesa_warehouse.path, warehouse.path)
    found, _ = plan_folder(wpp, ["un_wpp"])
    failed = [r for r in run_plan(warehouse, [p for p in found if p.path.name in WPP_FILES])
              if isinstance(r, Failed)]
    assert not failed, failed
    estimate_and_store(warehouse, (2015, 2020), revision="2024")
    return warehouse


@pytest.fixture(scope="session")
def flows_portal(flows_warehouse: Warehouse, shared_data: Path) -> Iterator[TestClient]:
    with TestClient(create_app(flows_warehouse.path, data_dir=shared_data)) as client:
        yield client
