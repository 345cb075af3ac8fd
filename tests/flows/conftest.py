"""Fixtures for the flow tests: the shared data folder and migest's worked cases."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from steppe.warehouse import Warehouse
from steppe.warehouse.ingest import plan_folder, run_plan

# the case reader beside this file (flow_cases.py) is imported by the test modules
sys.path.insert(0, str(Path(__file__).parent))


def shared_data_path() -> Path:
    """The shared data folder (env STEPPE_DATA, default /work/shared/data)."""
    return Path(os.environ.get("STEPPE_DATA", "/work/shared/data"))


def cases_path() -> Path:
    """migest's worked cases, beside the shared data folder."""
    return shared_data_path().parent / "flows" / "cases"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_path()
    if not path.is_dir():
        pytest.skip(f"shared data folder {path} is missing (set STEPPE_DATA)")
    return path


FLOW_FILES = ("ms2024org.csv.gz", "popAge5dt.csv.gz", "misc1dt.csv.gz")


@pytest.fixture(scope="session")
def flows_warehouse(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse holding only the three files the 2024-revision inputs need."""
    path = tmp_path_factory.mktemp("flows_wh") / "wh.duckdb"
    planned = []
    for folder in ("undesa/ims_msShiny", "undesa/wpp2024_pkg"):
        if not (shared_data / folder).is_dir():
            pytest.skip(f"{shared_data / folder} is missing")
        found, _ = plan_folder(shared_data / folder, ["un_desa_stock", "un_wpp"])
        planned += [p for p in found if p.path.name in FLOW_FILES]
    assert sorted(p.path.name for p in planned) == sorted(FLOW_FILES)
    results = run_plan(Warehouse(path), planned)
    assert all(getattr(r, "status", "") == "loaded" for r in results), results
    return path


