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
