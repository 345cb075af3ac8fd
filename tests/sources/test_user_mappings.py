"""A user's own national table and mapping: `--mapping`, `STEPPE_MAPPINGS`, and bad mappings."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from steppe.errors import SourceFileError
from steppe.sources.national_mapping import load_mappings, mapping_files, mapping_folders
from steppe.sources.national_tables import SOURCE
from steppe.warehouse import Warehouse

_spec = importlib.util.spec_from_file_location(
    "make_national_tables", Path(__file__).parent / "data" / "make_national_tables.py")
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)  # type: ignore[union-attr]

#: a mapping written by a user for the Tajik table saved under their own file name
MAPPING = """\
id: my_tj_labour_migrants
title: "Labour migrants by destination (my download)"
publisher: "Migration Service, Ministry of Labour, Migration and Employment of Tajikistan"
url: "https://example.org/my-download"
citation: "Migration Service of Tajikistan, table 1 (downloaded by hand)"
file_name: my_tj_table.xlsx
edition: "2023"
sheet: "Таблица 1"
header_rows: [3, 4]
data_start: 5
area_column: A
reporter: TJK
unit: thousand_persons
skip_labels: ["Всего", "прочие страны"]
values:
  - {column: "Годы / 2022 г.", indicator: labour_migrants_departed, year: 2022, partner: destination}
  - {column: "Годы / 2023 г.", indicator: labour_migrants_departed, year: 2023, partner: destination}
"""


def steppe(*args: str, db: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "steppe.cli.main", *args, "--db", str(db)],
        check=False, capture_output=True, text=True, timeout=300,
        env={**os.environ, "COLUMNS": "200", "STEPPE_DATA": "", "STEPPE_MAPPINGS": "",
             **(env or {})},
    )


@pytest.fixture()
def user_files(tmp_path: Path) -> tuple[Path, Path]:
    """The generated Tajik table saved as the user's file, and the user's mapping."""
    make.tj_migration_service(tmp_path)
    table = tmp_path / "my_tj_table.xlsx"
    (tmp_path / "tj_migration_service_labour_migrants.xlsx").rename(table)
    mapping = tmp_path / "mine.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return table, mapping


def _rows(db: Path) -> list[tuple]:
    with Warehouse(db).reader() as con:
        return con.execute(
            "SELECT b.origin, b.destination, b.year, b.value, b.unit, r.dataset FROM "
            "bilateral_indicator b JOIN releases r USING (release_id) WHERE b.indicator = "
            "'labour_migrants_departed' ORDER BY ALL").fetchall()


def test_cli_loads_a_user_table_with_its_mapping(user_files, tmp_path: Path) -> None:
    table, mapping = user_files
    db = tmp_path / "w.duckdb"
    done = steppe("ingest", "national_tables", "--from", str(table), "--mapping", str(mapping),
                  db=db)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "loaded national_tables@2023 my_tj_table.xlsx: 10 rows" in done.stdout
    rows = _rows(db)
    # unit thousand_persons: the table's 474_120 is stored as 474_120_000 persons
    assert ("TJK", "RUS", 2022, 474_120_000.0, "persons", "national_tables") in rows
    assert ("TJK", "KOR", 2023, 5_230_000.0, "persons", "national_tables") in rows
    assert {r[1] for r in rows} == {"RUS", "KAZ", "KGZ", "KOR", "TUR"}
    again = steppe("ingest", "national_tables", "--from", str(table), "--mapping", str(mapping),
                   db=db)
    assert again.returncode == 0 and "already-loaded" in again.stdout


def test_cli_bad_mapping_names_column_and_loads_nothing(user_files, tmp_path: Path) -> None:
    table, mapping = user_files
    mapping.write_text(MAPPING.replace('"Годы / 2023 г."', '"Годы / 2024 г."'), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    done = steppe("ingest", "national_tables", "--from", str(table), "--mapping", str(mapping),
                  db=db)
    assert done.returncode == 1
    message = " ".join((done.stderr + done.stdout).split())
    assert "sheet 'Таблица 1'" in message and "values[1].column 'Годы / 2024 г.'" in message
    assert "D: 'Годы / 2023 г.'" in message  # the header columns are listed to choose from
    assert _rows(db) == []


def test_cli_invalid_mapping_field_and_bad_cell(user_files, tmp_path: Path) -> None:
    table, mapping = user_files
    mapping.write_text(MAPPING.replace("unit: thousand_persons", "unit: dozens"), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    done = steppe("ingest", "national_tables", "--from", str(table), "--mapping", str(mapping),
                  db=db)
    assert done.returncode == 1 and "mine.yaml is invalid: unit" in done.stderr
    assert not db.exists() or _rows(db) == []
    import openpyxl

    mapping.write_text(MAPPING, encoding="utf-8")
    book = openpyxl.load_workbook(table)
    book["Таблица 1"]["C8"] = "около 2 тыс."
    book.save(table)
    done = steppe("ingest", "national_tables", "--from", str(table), "--mapping", str(mapping),
                  db=db)
    assert done.returncode == 1
    assert "sheet 'Таблица 1', row 8, column C" in " ".join(done.stderr.split())
    assert _rows(db) == []


def test_steppe_mappings_folder_is_searched(user_files, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    table, mapping = user_files
    folder = tmp_path / "maps"
    folder.mkdir()
    mapping.rename(folder / "mine.yaml")
    monkeypatch.setenv("STEPPE_MAPPINGS", str(folder))
    assert mapping_folders()[-1] == folder
    assert "my_tj_table.xlsx" in {k.file_name for k in SOURCE.info.files}
    db = tmp_path / "w.duckdb"
    done = steppe("ingest", "national_tables", "--from", str(table), db=db,
                  env={"STEPPE_MAPPINGS": str(folder)})
    assert done.returncode == 0, done.stderr + done.stdout
    assert len(_rows(db)) == 10


def test_duplicate_ids_and_missing_folder_are_errors(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = mapping_files(mapping_folders()[:1])[0]
    (tmp_path / "copy.yaml").write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(SourceFileError, match="both have id"):
        load_mappings([shipped, tmp_path / "copy.yaml"])
    monkeypatch.setenv("STEPPE_MAPPINGS", str(tmp_path / "nowhere"))
    with pytest.raises(SourceFileError, match="STEPPE_MAPPINGS names .*nowhere"):
        mapping_folders()


def test_a_bad_user_mapping_fails_its_table_only(user_files, tmp_path: Path) -> None:
    _table, _mapping = user_files  # written, but this test needs only the folder
    folder = tmp_path / "maps"
    folder.mkdir()
    (folder / "mine.yaml").write_text(MAPPING.replace("data_start: 5", "data_start: 2"),
                                      encoding="utf-8")
    make.kz_bns(tmp_path)  # a shipped mapping's table in the same folder still loads
    db = tmp_path / "w.duckdb"
    done = steppe("ingest", "national_tables", "--from", str(tmp_path), db=db,
                  env={"STEPPE_MAPPINGS": str(folder)})
    out = " ".join((done.stdout + done.stderr).split())
    assert "mapping left out" in out and "mine.yaml is invalid: data_start (2)" in out
    assert "loaded national_tables@2023 kz_bns_external_migration_by_country.xlsx" in out
    assert "my_tj_table.xlsx: mapping mine.yaml is invalid" in out  # skipped, with the reason
    assert _rows(db) == []  # nothing from the table whose mapping is bad


def test_mapping_option_needs_a_table_and_the_national_dataset(user_files, tmp_path: Path) -> None:
    table, mapping = user_files
    db = tmp_path / "w.duckdb"
    done = steppe("ingest", "--mapping", str(mapping), db=db)
    assert done.returncode == 1 and "--from (with --mapping)=None is not accepted" in done.stderr
    done = steppe("ingest", "un_wpp", "--from", str(table), "--mapping", str(mapping), db=db)
    assert done.returncode == 1 and "expected national_tables" in done.stderr
