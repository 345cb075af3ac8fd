"""Fixtures for the governance tests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from steppe.governance import Engine, default_engine

HERE = Path(__file__).parent
CASES = HERE / "cases"
DATA = HERE / "data"


def load_cases(name: str) -> list[dict[str, Any]]:
    """The cases of one YAML file under ``cases/``."""
    return yaml.safe_load((CASES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The engine over the bundled knowledge base."""
    return default_engine()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared data folder (STEPPE_DATA); skips when missing."""
    path = Path(os.environ.get("STEPPE_DATA", "/work/shared/data"))
    if not path.is_dir():
        pytest.skip(f"shared data folder {path} is missing")
    return path


@pytest.fixture(scope="session")
def sources_file() -> Path:
    """governance-sources.md next to the shared data folder; skips when missing."""
    data = Path(os.environ.get("STEPPE_DATA", "/work/shared/data"))
    path = data.parent / "governance-sources.md"
    if not path.is_file():
        pytest.skip(f"{path} is missing")
    return path
