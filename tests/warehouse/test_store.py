import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from steppe.errors import NotLoadedError, WarehouseError, WarehouseLockedError
from steppe.warehouse import Warehouse, schema_version
from steppe.warehouse.schema import SCHEMA_VERSION


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_first_writer_creates_the_schema_and_the_area_table(tmp_path):
    warehouse = Warehouse(tmp_path / "sub" / "w.duckdb")
    with warehouse.writer():
        pass
    with warehouse.reader() as con:
        assert schema_version(con) == SCHEMA_VERSION
        assert con.execute("SELECT name_ru FROM areas WHERE area_id = 'KAZ'").fetchone() == ("Казахстан",)
        assert con.execute("SELECT count(*) FROM area_groups WHERE group_id = 'central_asia'").fetchone() == (5,)


def test_migrations_run_once(tmp_path):
    warehouse = Warehouse(tmp_path / "w.duckdb")
    for _ in range(2):
        with warehouse.writer():
            pass
    with warehouse.reader() as con:
        assert con.execute("SELECT count(*) FROM schema_version").fetchone() == (SCHEMA_VERSION,)


def test_a_failed_writer_session_leaves_the_file_exactly_as_it_was(tmp_path):
    warehouse = Warehouse(tmp_path / "w.duckdb")
    with warehouse.writer() as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS x")
    before = digest(warehouse.path)
    with pytest.raises(RuntimeError), warehouse.writer() as con:
        con.execute("INSERT INTO t VALUES (2)")
        raise RuntimeError("boom")
    assert digest(warehouse.path) == before
    assert not (tmp_path / "w.duckdb.next").exists()


def test_readers_keep_the_old_state_while_a_writer_works(tmp_path):
    warehouse = Warehouse(tmp_path / "w.duckdb")
    with warehouse.writer() as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS x")
    with warehouse.writer() as con:
        con.execute("INSERT INTO t VALUES (2)")
        with warehouse.reader() as reader:  # not blocked, sees the committed state
            assert reader.execute("SELECT count(*) FROM t").fetchone() == (1,)
    with warehouse.reader() as reader:
        assert reader.execute("SELECT count(*) FROM t").fetchone() == (2,)


def test_a_second_writer_gets_a_clear_locked_error(tmp_path):
    warehouse = Warehouse(tmp_path / "w.duckdb")
    with (warehouse.writer(),
          pytest.raises(WarehouseLockedError, match="being written by another process"),
          Warehouse(tmp_path / "w.duckdb").writer()):
        pass


def test_a_file_held_by_another_duckdb_writer_is_reported(tmp_path):
    path = tmp_path / "w.duckdb"
    with Warehouse(path).writer():
        pass
    holder = subprocess.Popen(
        [sys.executable, "-c",
         ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
          "time.sleep(30)"), str(path)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(WarehouseError, match="cannot open"), Warehouse(path).reader():
            pass
    finally:
        holder.kill()
        holder.wait(20)


def test_a_file_that_is_not_duckdb_is_refused(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("these are my notes, not a database\n" * 10)
    before = digest(path)
    for session in (Warehouse(path).writer, Warehouse(path).reader):
        with pytest.raises(WarehouseError, match="not a DuckDB database file"), session():
            pass
    assert digest(path) == before


def test_a_newer_schema_is_refused(tmp_path):
    warehouse = Warehouse(tmp_path / "w.duckdb")
    with warehouse.writer() as con:
        con.execute("INSERT INTO schema_version VALUES (999, now())")
    with pytest.raises(WarehouseError, match="newer than this steppe"), warehouse.writer():
        pass


def test_reading_a_missing_warehouse_says_what_to_run(tmp_path):
    with (pytest.raises(NotLoadedError, match="steppe ingest"),
          Warehouse(tmp_path / "none.duckdb").reader()):
        pass


def _version_3_warehouse(path: Path, stock_rows: list[tuple]) -> None:
    """A warehouse as steppe wrote it before migration 4: string area ids on every row."""
    import duckdb

    from steppe.warehouse.schema import MIGRATIONS
    from steppe.warehouse.store import _sync_areas

    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER, applied_at TIMESTAMP)")
    for version in (1, 2, 3):
        con.execute(MIGRATIONS[version - 1])
        con.execute("INSERT INTO schema_version VALUES (?, now())", [version])
    _sync_areas(con)
    con.executemany("INSERT INTO migrant_stock VALUES (?, ?, ?, ?, ?, ?, ?)", stock_rows)
    con.close()


OLD_ROWS = [
    (2020, "UZB", "KAZ", "total", 296_511.0, "un_desa_stock@2020#67c5f2c1e592", "load-a"),
    (2020, "UZB", "KAZ", "female", 150_000.5, "un_desa_stock@2020#67c5f2c1e592", "load-a"),
    (2020, "OTHER", "M49:900", "male", 7.0, "un_desa_stock@2020#67c5f2c1e592", "load-a"),
    (2017, "KAZ", "RUS", "total", 2_562_000.0, "reference_documents@2017#a7948f540aaa", "load-b"),
]


def test_migration_4_keeps_every_stock_row_behind_the_same_columns(tmp_path):
    warehouse = Warehouse(tmp_path / "w.duckdb")
    _version_3_warehouse(warehouse.path, OLD_ROWS)
    with warehouse.writer():
        pass
    with warehouse.reader() as con:
        assert schema_version(con) == SCHEMA_VERSION
        assert sorted(con.execute("SELECT * FROM migrant_stock").fetchall()) == sorted(OLD_ROWS)
        assert con.execute("SELECT origin_m49, destination_m49, sex FROM migrant_stock_facts "
                           "WHERE value = 7").fetchone() == (2003, 900, 1)
        assert con.execute("SELECT count(*) FROM fact_loads").fetchone() == (2,)


def test_migration_4_refuses_area_ids_it_does_not_know_and_changes_nothing(tmp_path):
    warehouse = Warehouse(tmp_path / "w.duckdb")
    _version_3_warehouse(warehouse.path, [(2020, "NARNIA", "KAZ", "total", 1.0, "r", "l")])
    before = digest(warehouse.path)
    with pytest.raises(Exception, match="area id unknown to this steppe"), warehouse.writer():
        pass
    assert digest(warehouse.path) == before


def test_each_writer_session_brings_the_area_table_up_to_date(tmp_path):
    warehouse = Warehouse(tmp_path / "w.duckdb")
    with warehouse.writer() as con:
        con.execute("DELETE FROM areas WHERE area_id = 'M49:5503'")
        con.execute("UPDATE areas SET name_en = 'stale' WHERE area_id = 'KAZ'")
    with warehouse.writer():
        pass
    with warehouse.reader() as con:
        assert con.execute("SELECT name_en FROM areas WHERE area_id IN ('KAZ', 'M49:5503') "
                           "ORDER BY area_id").fetchall() == [("Kazakhstan",), ("High-and-upper-middle-income countries",)]


def test_stock_rows_with_unknown_area_ids_are_refused_with_every_id(tmp_path):
    import pandas as pd

    from steppe.errors import SourceFileError
    from steppe.warehouse.loads import append_stock_rows

    rows = pd.DataFrame({"year": [2020, 2020], "origin": ["NARNIA", "UZB"],
                         "destination": ["KAZ", "ATLANTIS"], "sex": ["total", "total"],
                         "value": [1.0, 2.0]})
    with pytest.raises(SourceFileError, match=r"\['ATLANTIS', 'NARNIA'\]"), \
            Warehouse(tmp_path / "w.duckdb").writer() as con:
        append_stock_rows(con, rows, "r", "l")
