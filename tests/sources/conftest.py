"""Fixtures of the source-loader tests: the official files, read once per session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from steppe.sources import get_source
from steppe.sources.base import Parsed

DATA = Path(__file__).parent / "data"


def _read_known(shared_data: Path, dataset: str, relative: str) -> Parsed:
    """Parse one official file with its loader (recognised by checksum)."""
    path = shared_data / relative
    if not path.is_file():
        pytest.skip(f"{path} is missing")
    source = get_source(dataset)
    known = source.recognise(path)
    assert known is not None, f"{relative} not recognised by {dataset}"
    return source.read(path, known)


def _query(parsed: Parsed, sql: str, table: str | None = None) -> list[tuple]:
    """Run SQL over a parsed table registered as ``t``."""
    con = duckdb.connect()
    con.register("t", parsed.tables[table or next(iter(parsed.tables))])
    return con.execute(sql).fetchall()


@pytest.fixture(scope="session")
def read_known() -> Callable[[Path, str, str], Parsed]:
    """``read_known(shared_data, dataset, relative_path)`` parses one official file."""
    return _read_known


@pytest.fixture(scope="session")
def query() -> Callable[..., list[tuple]]:
    """``query(parsed, sql)`` runs SQL over the parsed table ``t``."""
    return _query
