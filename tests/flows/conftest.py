"""Fixtures for the flow tests: the shared data folder and migest's worked cases."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

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
