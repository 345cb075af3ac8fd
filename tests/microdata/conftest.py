"""Fixtures for the microdata tests: real data folder, small synthetic record sets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from steppe.microdata.synth import synthesize


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared folder of real datasets (STEPPE_DATA); skips when absent."""
    path = Path(os.environ.get("STEPPE_DATA", "/work/shared/data"))
    if not path.is_dir():
        pytest.skip(f"shared data folder {path} not found; set STEPPE_DATA")
    return path


@pytest.fixture(scope="session")
def small_records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20,000 synthetic registrations, 2022-2023 (seed 7)."""
    out = tmp_path_factory.mktemp("records")
    synthesize(out, 20_000, seed=7, years=(2022, 2023), chunk_rows=8_000)
    return out


@pytest.fixture(scope="session")
def coded_records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The records of ``small_records`` written with integer-coded categorical columns."""
    out = tmp_path_factory.mktemp("coded")
    synthesize(out, 20_000, seed=7, years=(2022, 2023), chunk_rows=8_000, coded=True)
    return out


@pytest.fixture(scope="session")
def spark():  # type: ignore[no-untyped-def]
    """One local[2] SparkSession for the whole run (skips without pyspark or Java)."""
    pytest.importorskip("pyspark")
    import shutil

    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs a JDK (java on PATH or JAVA_HOME)")
    from steppe.microdata.backends import spark_session

    session = spark_session("local[2]", shuffle_partitions=2)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
