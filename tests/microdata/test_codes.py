"""Integer-coded record files: same records, same tables, clear errors on a bad code table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steppe.errors import SourceFileError
from steppe.microdata import backends
from steppe.microdata.aggregate import unprotected
from steppe.microdata.codes import CELL_COLUMN, CODE_TYPES, CODES_FILE, CodeTable
from steppe.microdata.limits import default_max_stay
from steppe.microdata.schema import AGE_GROUPS, REGISTRATIONS, SEXES, region_codes


def _records(root: Path) -> pd.DataFrame:
    table = pq.read_table(root / "registrations")
    codes = CodeTable.read(root / "registrations")
    if codes is not None:
        table = codes.decode_arrow(table)
    df = table.select(REGISTRATIONS.names).cast(REGISTRATIONS.arrow_schema()).to_pandas()
    return df.sort_values(["person_key", "registration_date"]).reset_index(drop=True)


def test_coded_files_hold_small_integers_and_a_code_table(coded_records: Path) -> None:
    folder = coded_records / "registrations"
    schema = pq.read_schema(next(folder.rglob("*.parquet")))
    for name, dtype in CODE_TYPES.items():
        assert schema.field(name).type == dtype
    codes = CodeTable.read(folder)
    assert codes is not None
    assert codes.columns["sex"] == SEXES and codes.columns["age_group"] == AGE_GROUPS
    assert codes.columns["region"] == region_codes("KAZ")
    assert codes.columns["citizenship"][0] == "UZB"  # largest corridor first
    assert CodeTable.read(coded_records / "nowhere") is None


def test_decoded_records_equal_the_text_layout(small_records: Path, coded_records: Path) -> None:
    pd.testing.assert_frame_equal(_records(small_records), _records(coded_records))


def test_pipeline_tables_equal_on_both_layouts(small_records: Path, coded_records: Path) -> None:
    kw = {"as_of": date(2023, 12, 31), "max_stay": default_max_stay}
    text, n_text, _ = unprotected(small_records, **kw)
    coded, n_coded, _ = unprotected(coded_records, **kw)
    assert n_text == n_coded == 20_000
    for name in text:
        pd.testing.assert_frame_equal(text[name], coded[name])
    assert coded["stays"].overstays.sum() > 0
    assert set(coded["flows"].citizenship) <= set(CodeTable.read(coded_records / "registrations")
                                                  .columns["citizenship"])


def test_decode_arrow_round_trip() -> None:
    codes = CodeTable({"sex": SEXES, "citizenship": ("UZB", "KGZ")})
    t = pa.table({"sex": pa.array([1, 0, 1], pa.int8()), "citizenship": pa.array([0, 1, 1], pa.int16()),
                  "n": [1, 2, 3]})
    out = codes.decode_arrow(t)
    assert out.column("sex").to_pylist() == ["female", "male", "female"]
    assert out.column("citizenship").to_pylist() == ["UZB", "KGZ", "KGZ"]
    assert out.column("n").to_pylist() == [1, 2, 3]


@pytest.mark.parametrize(
    "body, match",
    [('{"layout": "other/9", "columns": {}}', "layout"),
     ('{"layout": "steppe-codes/1", "columns": {"person_key": ["a"]}}', "person_key"),
     ("not json", "not a steppe code table")],
)
def test_bad_code_table_is_a_clear_error(tmp_path: Path, body: str, match: str) -> None:
    (tmp_path / CODES_FILE).write_text(body)
    with pytest.raises(SourceFileError, match=match):
        backends.read_codes(tmp_path)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 19), st.integers(0, 16), st.integers(0, 1), st.integers(0, 6)),
                min_size=1, max_size=50))
def test_pack_then_unpack_gives_the_codes_back(rows: list[tuple[int, int, int, int]]) -> None:
    names = ("citizenship", "region", "sex", "age_group")
    sizes = (20, 17, 2, 7)
    codes = CodeTable({n: tuple(f"{n}{i}" for i in range(k)) for n, k in zip(names, sizes, strict=True)},
                      cell=names)
    arrays = {n: np.array([r[i] for r in rows]) for i, n in enumerate(names)}
    cell = codes.pack(arrays)
    assert len(set(cell.tolist())) == len(set(rows))  # distinct cells, distinct codes
    con = ibis.duckdb.connect()
    out = con.to_pyarrow(codes.unpack(ibis.memtable({"cell": cell, "n": range(len(rows))})))
    assert out.column_names == [*names, "n"]
    back = list(zip(*(out.column(n).to_pylist() for n in names), strict=True))
    assert back == rows


def test_coded_files_carry_the_packed_cell(coded_records: Path) -> None:
    codes = CodeTable.read(coded_records / "registrations")
    assert codes is not None and codes.cell == ("citizenship", "region", "sex", "age_group")
    t = pq.read_table(coded_records / "registrations")
    arrays = {n: t.column(n).to_numpy() for n in codes.cell}
    assert (t.column(CELL_COLUMN).to_numpy() == codes.pack(arrays)).all()
