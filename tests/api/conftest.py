"""Fixtures of the API tests: the session's UN DESA warehouse and a client on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from steppe.api import create_app
from steppe.warehouse import Warehouse


@pytest.fixture(scope="session")
def client(undesa_warehouse: Warehouse, shared_data: Path) -> Iterator[TestClient]:
    app = create_app(undesa_warehouse.path, data_dir=shared_data)
    with TestClient(app) as test_client:
        yield test_client


ANALYSIS_INPUTS = {
    "worldbank/bilateral_remittance_matrix_2021.xlsx": "knomad_bilateral",
    "unhcr/refugees_pkg_2025.12.1/population.csv.gz": "unhcr_population",
    "worldbank/wdi_databank_2021_part1.xlsx": "worldbank_wdi",
}
WPP_FILES = ("popAge5dt.csv.gz", "misc1dt.csv.gz")


@pytest.fixture(scope="session")
def analysis_warehouse(undesa_warehouse: Warehouse, shared_data: Path,
                       tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The UN DESA warehouse plus KNOMAD 2021, UNHCR refugees, WDI 2021, WPP 2024 and one
    demographic-accounting flow run for 2015-2020 (revision 2024)."""
    import shutil

    from steppe.flows.store import estimate_and_store
    from steppe.warehouse.ingest import Failed, plan_file, plan_folder, run_plan

    missing = [n for n in ANALYSIS_INPUTS if not (shared_data / n).is_file()]
    if missing or not (shared_data / "undesa" / "wpp2024_pkg").is_dir():
        pytest.skip(f"missing in {shared_data}: {missing or 'undesa/wpp2024_pkg'}")
    warehouse = Warehouse(tmp_path_factory.mktemp("analysis") / "steppe.duckdb")
    shutil.copyfile(undesa_warehouse.path, warehouse.path)
    planned = [plan_file(shared_data / n, ds) for n, ds in ANALYSIS_INPUTS.items()]
    found, _ = plan_folder(shared_data / "undesa" / "wpp2024_pkg", ["un_wpp"])
    planned += [p for p in found if p.path.name in WPP_FILES]
    failed = [r for r in run_plan(warehouse, planned) if isinstance(r, Failed)]
    assert not failed, failed
    estimate_and_store(warehouse, (2015, 2020), revision="2024")
    return warehouse


@pytest.fixture(scope="session")
def analysis_client(analysis_warehouse: Warehouse, shared_data: Path) -> Iterator[TestClient]:
    app = create_app(analysis_warehouse.path, data_dir=shared_data)
    with TestClient(app) as test_client:
        yield test_client
