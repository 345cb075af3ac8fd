"""Reading CSV files for the loaders: types, text, delimiters, and every failure as one clear error."""

import gzip

import pyarrow as pa
import pytest

from steppe.errors import SourceFileError
from steppe.sources.cepii_gravity import SOURCE as CEPII
from steppe.sources.tabular import read_csv_table
from steppe.sources.unhcr_population import SOURCE as UNHCR


def test_typed_columns_are_read_and_others_left_out(tmp_path):
    path = tmp_path / "t.csv.gz"
    with gzip.open(path, "wt") as handle:
        handle.write("a,b,c\n1,x,2.5\n2,,\n")
    table = read_csv_table(path, {"a": pa.int32(), "c": pa.float64()}, what="t", source_id="s")
    assert table.column_names == ["a", "c"]
    assert table.to_pydict() == {"a": [1, 2], "c": [2.5, None]}


def test_all_text_keeps_codes_and_markers_as_written(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("\ufeffcode;value\n007;..\n010;\n", encoding="utf-8")
    table = read_csv_table(path, what="t", source_id="s", all_text=True, delimiter=";")
    assert table.to_pydict() == {"code": ["007", "010"], "value": ["..", None]}


@pytest.mark.parametrize(("text", "message"), [
    ("a,b\n1,2\n", r"t.csv: missing column\(s\) \['c'\]; expected the test table \(a, b, c\)"),
    ("a,b,c\n1,2\n", r"t.csv is not the test table \(a, b, c\): .*Expected 3 columns, got 2"),
    ("", r"t.csv is not the test table \(a, b, c\): Empty CSV file"),
])
def test_bad_files_give_one_clear_error(tmp_path, text, message):
    path = tmp_path / "t.csv"
    path.write_text(text)
    with pytest.raises(SourceFileError, match=message):
        read_csv_table(path, what="the test table (a, b, c)", source_id="s", all_text=True,
                       required=("a", "b", "c"))


def test_a_typed_cell_that_does_not_convert_is_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a\n1\nx2\n")
    with pytest.raises(SourceFileError, match="t.csv is not t: .*x2"):
        read_csv_table(path, {"a": pa.int32()}, what="t", source_id="s")


def test_loaders_name_the_missing_columns(tmp_path):
    unhcr = tmp_path / "population.csv.gz"
    with gzip.open(unhcr, "wt") as handle:
        handle.write("year,coo_iso,coa_iso,refugees\n2020,AFG,PAK,1\n")
    with pytest.raises(SourceFileError, match=r"missing column\(s\) \['asylum_seekers'\]"):
        UNHCR.read(unhcr, UNHCR.info.files[0])
    cepii = tmp_path / "dist_cepii.csv"
    cepii.write_text("iso_o;iso_d;dist\nKAZ;UZB;1000\n")
    with pytest.raises(SourceFileError, match=r"missing column\(s\) \[.*'contig'.*\]; expected CEPII"):
        CEPII.read(cepii, CEPII.info.files[0])
