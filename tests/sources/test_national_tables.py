"""National tables through YAML mappings: Russian names, merged headers, footnotes, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from steppe.errors import SourceFileError, UnknownAreaError
from steppe.sources.base import Parsed
from steppe.sources.national_mapping import load_mapping, shipped_mappings
from steppe.sources.national_tables import (
    SOURCE,
    column_index,
    flatten_header,
    letter,
    read_table,
)
from steppe.warehouse import Warehouse
from steppe.warehouse.ingest import plan_folder, run_plan

DATA = Path(__file__).parent / "data"
MAPPINGS = {p.stem: p for p in shipped_mappings()}
KZ = DATA / "kz_bns_external_migration_by_country.xlsx"


def query(parsed: Parsed, sql: str) -> list[tuple]:
    """Run SQL over the parsed table, registered as ``t``."""
    con = duckdb.connect()
    con.register("t", parsed.tables["bilateral_indicator"])
    return con.execute(sql).fetchall()


def _bad_mapping(tmp_path: Path, **changes: object) -> Path:
    data = yaml.safe_load(MAPPINGS["kz_bns_external_migration"].read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key.startswith("values."):
            index, field = key.split(".")[1:]
            data["values"][int(index)][field] = value
        else:
            data[key] = value
    path = tmp_path / "mapping.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_kazakh_table_in_russian_resolves_every_name() -> None:
    parsed = read_table(KZ, MAPPINGS["kz_bns_external_migration"])
    assert parsed.counts == {"data_rows": 11, "skipped_total_rows": 3, "footnote_rows": 2,
                             "missing_value": 0}
    rows = query(parsed, "SELECT origin, destination, year, indicator, value FROM t "
                         "WHERE 'UZB' IN (origin, destination) ORDER BY year, indicator")
    assert rows == [("KAZ", "UZB", 2022, "emigration_registered", 420.0),
                    ("UZB", "KAZ", 2022, "immigration_registered", 7310.0),
                    ("KAZ", "UZB", 2023, "emigration_registered", 395.0),
                    ("UZB", "KAZ", 2023, "immigration_registered", 8220.0)]
    partners = {r[0] for r in query(parsed, "SELECT DISTINCT origin FROM t WHERE origin <> 'KAZ'")}
    assert partners == {"RUS", "UZB", "KGZ", "TJK", "TKM", "BLR", "UKR", "DEU", "CHN", "MNG",
                        "TUR"}


def test_sum_of_countries_matches_published_subtotal() -> None:
    parsed = read_table(KZ, MAPPINGS["kz_bns_external_migration"])
    cis = ("RUS", "UZB", "KGZ", "TJK", "TKM", "BLR", "UKR")
    got = query(parsed, "SELECT sum(value) FROM t WHERE indicator='immigration_registered' AND "
                        f"year=2022 AND origin IN {cis}")[0][0]
    assert got == 15_010  # the 'Страны СНГ' row of the table


def test_merged_header_flattening() -> None:
    header = flatten_header([("Страна", 2022, None, 2023, None),
                             (None, "Прибыло", "Выбыло", "Прибыло", "Выбыло")])
    assert header == ["Страна", "2022 / Прибыло", "2022 / Выбыло", "2023 / Прибыло",
                      "2023 / Выбыло"]


def test_russian_csv_and_tajik_tables() -> None:
    ru = read_table(DATA / "ru_mvd_migration_registration.csv",
                    MAPPINGS["ru_mvd_migration_registration"])
    assert query(ru, "SELECT value FROM t WHERE origin='KAZ' AND year=2024 AND "
                     "indicator='immigration_registered'") == [(10_915.0,)]
    assert query(ru, "SELECT value FROM t WHERE origin='UZB' AND year=2023 AND "
                     "indicator='migration_registrations_stay'") == [(6_255_318.0,)]
    tj = read_table(DATA / "tj_migration_service_labour_migrants.xlsx",
                    MAPPINGS["tj_labour_migrants"])
    assert query(tj, "SELECT destination, value FROM t WHERE year=2022 ORDER BY value DESC "
                     "LIMIT 2") == [("RUS", 474_120.0), ("KAZ", 28_145.0)]


def test_source_recognises_shipped_tables_by_name() -> None:
    known = SOURCE.recognise(KZ)
    assert known is not None and known.fmt == "kz_bns_external_migration"


@pytest.mark.parametrize(("changes", "message"), [
    ({"values.1.column": "2022 / Убыло"}, r"values\[1\]\.column '2022 / Убыло' is not a column"),
    ({"unit": "thousands"}, r"unit: Input should be 'persons'.*got 'thousands'"),
    ({"values.0.unit": "people"}, r"values\[0\]\.unit"),
    ({"colour": "red"}, r"colour: Extra inputs are not permitted"),
    ({"values.2.partner": "host"}, r"values\[2\]\.partner"),
])
def test_wrong_mapping_names_the_field(tmp_path: Path, changes: dict, message: str) -> None:
    with pytest.raises(SourceFileError, match=message):
        read_table(KZ, _bad_mapping(tmp_path, **changes))


def _edited_copy(tmp_path: Path, cell: str, value: object) -> Path:
    path = tmp_path / KZ.name
    shutil.copy(KZ, path)
    book = openpyxl.load_workbook(path)
    book["Внешняя миграция"][cell] = value
    book.save(path)
    return path


def test_non_numeric_cell_names_sheet_row_column(tmp_path: Path) -> None:
    path = _edited_copy(tmp_path, "C8", "н/д*?")
    with pytest.raises(SourceFileError, match=r"sheet 'Внешняя миграция', row 8, column C "
                                              r"\('2022 / Выбыло'\): 'н/д\*\?' is not a number"):
        read_table(path, MAPPINGS["kz_bns_external_migration"])


def test_unknown_names_listed_with_rows(tmp_path: Path) -> None:
    path = _edited_copy(tmp_path, "A9", "Атлантида")
    with pytest.raises(UnknownAreaError, match=r"sheet 'Внешняя миграция', column A: 'Атлантида \(row 9\)'"):
        read_table(path, MAPPINGS["kz_bns_external_migration"])


def test_duplicated_key_names_both_rows(tmp_path: Path) -> None:
    path = _edited_copy(tmp_path, "A10", "Россия")  # row 7 is 'Российская Федерация'
    with pytest.raises(SourceFileError, match=r"rows 7 and 10 both give .* RUS → KAZ"):
        read_table(path, MAPPINGS["kz_bns_external_migration"])


def test_failed_file_loads_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _edited_copy(folder, "B9", "abc")  # same name as the shipped mapping's file, bad cell
    shutil.copy(DATA / "tj_migration_service_labour_migrants.xlsx", folder)
    warehouse = Warehouse(tmp_path / "w.duckdb")
    planned, _ = plan_folder(folder, ["national_tables"])
    results = run_plan(warehouse, planned)
    assert sorted(type(r).__name__ for r in results) == ["Failed", "LoadResult"]
    with warehouse.reader() as con:
        assert con.execute("SELECT count(*) FROM bilateral_indicator WHERE "
                           "'KAZ' IN (origin, destination) AND indicator LIKE '%registered'"
                           ).fetchone()[0] == 0
        assert con.execute("SELECT status FROM load_runs WHERE file_name = ?",
                           [KZ.name]).fetchone()[0] == "failed"
        assert con.execute("SELECT count(*) FROM bilateral_indicator WHERE indicator = "
                           "'labour_migrants_departed'").fetchone()[0] == 15


def test_shipped_mappings_are_valid() -> None:
    assert {load_mapping(p).id for p in shipped_mappings()} == set(MAPPINGS)


def test_kyrgyz_table_official_names_and_no_data_marker() -> None:
    parsed = read_table(DATA / "kg_citizens_abroad.xlsx", MAPPINGS["kg_citizens_abroad"])
    assert parsed.counts["missing_value"] == 1  # 'н/д' for Germany, 1 January 2024
    assert query(parsed, "SELECT destination, value FROM t WHERE year = 2023 ORDER BY value "
                         "DESC LIMIT 3") == [("RUS", 352_100.0), ("KAZ", 35_600.0),
                                             ("TUR", 29_400.0)]
    assert query(parsed, "SELECT count(*) FROM t WHERE destination = 'DEU'") == [(1,)]


def test_dash_is_zero_not_missing(tmp_path: Path) -> None:
    parsed = read_table(_edited_copy(tmp_path, "C10", "-"), MAPPINGS["kz_bns_external_migration"])
    assert query(parsed, "SELECT value FROM t WHERE origin = 'KAZ' AND destination = 'TJK' "
                         "AND year = 2022") == [(0.0,)]


def test_fetch_explains_manual_download(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError, match="cannot be fetched automatically.*steppe ingest"):
        SOURCE.fetch(tmp_path)


def test_mapping_pointing_at_the_wrong_column_names_row_and_column(tmp_path: Path) -> None:
    mapping = _bad_mapping(tmp_path, **{"values.0.column": "A"})  # the names, not numbers
    with pytest.raises(SourceFileError, match=r"row 7, column A \('Страна'\): "
                                              r"'Российская Федерация' is not a number"):
        read_table(KZ, mapping)


def test_mapping_with_wrong_data_start_reports_header_cells(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError, match=r"data_start \(3\) must come after the header"):
        read_table(KZ, _bad_mapping(tmp_path, data_start=3))


@given(st.integers(0, 18_277))
def test_column_letters_round_trip(index: int) -> None:
    assert column_index(letter(index)) == index


@given(st.lists(st.one_of(st.none(), st.text("абвгд2023 ", min_size=1, max_size=6)),
                min_size=1, max_size=6))
def test_flatten_header_keeps_one_label_per_column(cells: list[str | None]) -> None:
    assert len(flatten_header([tuple(cells), tuple(cells)])) == len(cells)
