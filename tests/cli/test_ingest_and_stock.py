"""The CLI as a user runs it: ingest, sources, stock, export, and every bad-input case.

Each bad-input case checks one clear message, a non-zero exit, and a warehouse left
exactly as it was (same tables, same rows).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from steppe.warehouse import Warehouse
from steppe.warehouse.ingest import plan_file, run_plan

UN_DESA = ("un_desa_stock", "un_desa_stock_totals", "reference_documents")


def steppe(*args: str, db: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "steppe.cli.main", *args, "--db", str(db)],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "COLUMNS": "200", "STEPPE_DATA": "", **(env or {})},
    )


def state(db: Path) -> dict[str, int]:
    with Warehouse(db).reader() as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name <> 'load_runs'").fetchall()]
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
        counts["loaded_runs"] = con.execute(
            "SELECT count(*) FROM load_runs WHERE status = 'loaded'").fetchone()[0]
    return counts


@pytest.fixture
def small_db(shared_data, tmp_path) -> Path:
    """A warehouse with the 2019 bilateral table loaded (fast)."""
    db = tmp_path / "w.duckdb"
    run_plan(Warehouse(db), [plan_file(
        shared_data / "undesa/UN_MigrantStockByOriginAndDestination_2019_clean.csv", "un_desa_stock")])
    return db


def test_ingest_folder_then_query(shared_data, tmp_path):
    db = tmp_path / "w.duckdb"
    result = steppe("ingest", *UN_DESA, "--from", str(shared_data / "undesa"), db=db)
    assert result.returncode == 0, result.stderr
    assert "skipped" in result.stdout and "WPP2019_POP_F01_1_TOTAL_POPULATION" in result.stdout
    sources = steppe("sources", "--format", "json", db=db)
    releases = {r["release"].split("#")[0] for r in json.loads(sources.stdout)}
    assert {"un_desa_stock@2024", "un_desa_stock@2020", "un_desa_stock@2019",
            "reference_documents@2017"} <= releases

    top = steppe("stock", "--dest", "KAZ", "--year", "2020", "--by", "origin", "--top", "5",
                 "--format", "json", db=db)
    records = json.loads(top.stdout)
    assert [r["origin"] for r in records] == ["UZB", "RUS", "CHN", "TKM", "KGZ"]
    assert {"origin", "destination", "year", "sex", "value", "release"} <= set(records[0])
    assert records[0]["release"].startswith("un_desa_stock@2024")

    older = steppe("stock", "--dest", "Казахстан", "--origin", "Uzbekistan", "--year", "2020",
                   "--revision", "2020", "--format", "json", db=db)
    assert json.loads(older.stdout)[0]["value"] == 296_511
    by_release = steppe("stock", "--dest", "398", "--origin", "UZB", "--year", "2020",
                        "--release", "2020", "--format", "json", db=db)
    assert json.loads(by_release.stdout)[0]["value"] == 296_511

    table = steppe("stock", "--dest", "RUS", "--origin", "KAZ", "--year", "2015", db=db)
    assert "2,562,000 (2017)" in table.stdout and "2,560,269" in table.stdout

    again = steppe("ingest", *UN_DESA, "--from", str(shared_data / "undesa"), db=db)
    assert again.returncode == 0 and "already-loaded" in again.stdout
    assert json.loads(steppe("sources", "--format", "json", db=db).stdout) == json.loads(sources.stdout)

    out = tmp_path / "stock.parquet"
    assert steppe("export", "migrant_stock", "--output", str(out), db=db).returncode == 0
    import pyarrow.parquet as pq
    assert pq.read_metadata(out).num_rows == state(db)["migrant_stock"]


def assert_refused(result: subprocess.CompletedProcess, pattern: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert pattern in " ".join(result.stderr.split()), result.stderr


def test_missing_file(small_db, tmp_path):
    before = state(small_db)
    result = steppe("ingest", "un_desa_stock", "--from", str(tmp_path / "nope.xlsx"), db=small_db)
    assert_refused(result, "does not exist")
    assert state(small_db) == before


def test_a_different_workbook(small_db, shared_data, tmp_path):
    impostor = tmp_path / "undesa_pd_2020_ims_stock_by_sex_destination_and_origin.xlsx"
    impostor.write_bytes((shared_data / "undesa/WPP2019_POP_F01_1_TOTAL_POPULATION_BOTH_SEXES.xlsx").read_bytes())
    before = state(small_db)
    result = steppe("ingest", "un_desa_stock", "--from", str(impostor), db=small_db)
    assert_refused(result, "has no sheet 'Table 1'")
    assert state(small_db) == before


def test_a_truncated_file(small_db, shared_data, tmp_path):
    data = (shared_data / "undesa/undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx").read_bytes()
    broken = tmp_path / "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx"
    broken.write_bytes(data[: len(data) // 3])
    before = state(small_db)
    result = steppe("ingest", "un_desa_stock", "--from", str(broken), db=small_db)
    assert_refused(result, "truncated or corrupt")
    assert state(small_db) == before


def test_a_checksum_that_does_not_match(small_db, shared_data, tmp_path):
    data = (shared_data / "undesa/ims_msShiny/ms2024org.csv.gz").read_bytes()
    changed = tmp_path / "ms2024org.csv.gz"
    changed.write_bytes(data[:-10])
    before = state(small_db)
    result = steppe("ingest", "un_desa_stock", "--from", str(changed), db=small_db)
    assert_refused(result, "named like the un_desa_stock 2024 release but its sha256")
    assert state(small_db) == before


def test_unknown_country_names(small_db, tmp_path):
    from support.official_layout import write_origin_destination_workbook

    workbook = write_origin_destination_workbook(
        tmp_path / "undesa_pd_2020_ims_stock_by_sex_destination_and_origin.xlsx", [2020],
        [("Kazakhstan", 398, "Uzbekistan", 860, [5, 3, 2]),
         ("Kazakhstan", 398, "Narnia", 99901, [1, 1, 0])])
    before = state(small_db)
    result = steppe("ingest", "un_desa_stock", "--from", str(workbook), db=small_db)
    assert_refused(result, "unknown country/area name(s)")
    assert "M49 99901" in result.stderr
    assert state(small_db) == before
    with Warehouse(small_db).reader() as con:
        failed = con.execute("SELECT message FROM load_runs WHERE status = 'failed'").fetchall()
    assert len(failed) == 1 and "99901" in failed[0][0]


def test_a_database_that_is_not_duckdb(tmp_path, shared_data):
    db = tmp_path / "w.duckdb"
    db.write_text("not a database\n" * 100)
    result = steppe("ingest", "--from", str(shared_data / "undesa"), db=db)
    assert_refused(result, "is not a DuckDB database file")
    assert db.read_text() == "not a database\n" * 100


def test_a_database_locked_by_another_writer(small_db, shared_data):
    before = state(small_db)
    with Warehouse(small_db).writer():
        result = steppe("ingest", "--from", str(shared_data / "undesa"), db=small_db)
    assert_refused(result, "being written by another process")
    assert state(small_db) == before


def test_unknown_country_argument(small_db):
    result = steppe("stock", "--dest", "Narnia", db=small_db)
    assert_refused(result, "unknown country/area name(s): 'Narnia'")
