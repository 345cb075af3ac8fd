"""The same Ibis pipeline on Spark (local mode) gives the same tables as on DuckDB."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from steppe.microdata import backends
from steppe.microdata.aggregate import aggregate
from steppe.microdata.limits import default_max_stay

pytestmark = pytest.mark.spark


def test_duckdb_and_spark_agree(small_records: Path, spark) -> None:  # type: ignore[no-untyped-def]
    kw = {"as_of": date(2023, 12, 31), "max_stay": default_max_stay}
    duck = aggregate(small_records, "duckdb", **kw)
    spk = aggregate(small_records, "spark", con=backends.connect("spark", session=spark), **kw)
    for name in duck.unprotected:
        pd.testing.assert_frame_equal(duck.unprotected[name], spk.unprotected[name], check_dtype=False)
        pd.testing.assert_frame_equal(duck.tables[name], spk.tables[name])
    assert duck.unprotected["stays"].overstays.sum() > 0
    assert duck.suppressed == spk.suppressed


def test_duckdb_and_spark_agree_on_coded_files(coded_records: Path, spark) -> None:  # type: ignore[no-untyped-def]
    kw = {"as_of": date(2023, 12, 31), "max_stay": default_max_stay}
    duck = aggregate(coded_records, "duckdb", **kw)
    spk = aggregate(coded_records, "spark", con=backends.connect("spark", session=spark), **kw)
    for name in duck.unprotected:
        pd.testing.assert_frame_equal(duck.unprotected[name], spk.unprotected[name], check_dtype=False)
        pd.testing.assert_frame_equal(duck.tables[name], spk.tables[name])
    assert duck.suppressed == spk.suppressed
