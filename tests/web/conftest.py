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
