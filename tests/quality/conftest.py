"""A warehouse with the sources the quality checks compare, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from steppe.warehouse import Warehouse
from steppe.warehouse.ingest import bundled_files, plan_folder, run_plan

DATASETS = ("un_desa_stock", "un_desa_stock_totals", "reference_documents", "knomad_bilateral",
            "worldbank_wdi", "un_wpp", "unhcr_population", "un_desa_flow_totals")
NATIONAL = Path(__file__).parents[1] / "sources" / "data"


@pytest.fixture(scope="session")
def quality_warehouse(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """UN DESA, KNOMAD, WDI, WPP, UNHCR, the reference figures and the national test tables."""
    warehouse = Warehouse(tmp_path_factory.mktemp("quality") / "steppe.duckdb")
    planned = [f for sub in ("undesa", "worldbank", "unhcr")
               for f in plan_folder(shared_data / sub, DATASETS)[0]]
    national, _ = plan_folder(NATIONAL, ["national_tables"])
    results = run_plan(warehouse, planned + national + bundled_files(DATASETS))
    failed = [r for r in results if type(r).__name__ == "Failed"]
    assert not failed, failed
    return warehouse
