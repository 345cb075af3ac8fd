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
