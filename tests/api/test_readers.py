"""Reading while an ingest writes: every answer comes from the old or the new release."""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi.testclient import TestClient

from steppe.api import create_app
from steppe.api.readers import ReaderPool
from steppe.warehouse import Warehouse
from steppe.warehouse.ingest import bundled_files, plan_folder, run_plan


def _count(pool: ReaderPool) -> tuple[int, int]:
    with pool.snapshot() as snap:
        releases = snap.con.execute("SELECT count(*) FROM releases").fetchone()[0]
        rows = snap.con.execute("SELECT count(*) FROM migrant_stock").fetchone()[0]
    return releases, rows


def test_api_answers_during_an_ingest_and_sees_old_or_new(shared_data: Path, tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "steppe.duckdb")
    run_plan(warehouse, bundled_files(["reference_documents"]))
    planned, _ = plan_folder(shared_data / "undesa" / "ims_msShiny", ["un_desa_stock"])
    planned = [p for p in planned if p.path.name == "ms2024org.csv.gz"]
    assert planned
    app = create_app(warehouse.path, portal=False)
    pool: ReaderPool = app.state.pool
    old = _count(pool)
    seen: list[tuple[int, int]] = []
    statuses: list[int] = []
    done = threading.Event()

    def read() -> None:
        with TestClient(app) as client:
            while not done.is_set():
                seen.append(_count(pool))
                statuses.append(client.get("/api/v1/releases").status_code)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        run_plan(warehouse, planned)
    finally:
        done.set()
        reader.join()
    new = _count(pool)
    assert new[0] == old[0] + 1 and new[1] > old[1] > -1
    assert set(seen) <= {old, new}, "a reader saw a half-loaded warehouse"
    assert old in seen and statuses and set(statuses) == {200}
    with TestClient(app) as client:
        ids = [r["release_id"] for r in client.get("/api/v1/releases").json()["data"]]
    assert any(i.startswith("un_desa_stock@2024") for i in ids)


def test_pool_reopens_after_swap_despite_duckdb_instance_cache(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "w.duckdb")
    with warehouse.writer():
        pass
    pool = ReaderPool(warehouse)
    with pool.snapshot() as first:
        before = first.fingerprint
        with warehouse.writer() as con:  # swap while a request still holds the old generation
            con.execute("INSERT INTO releases VALUES ('x@1#1', 'x', '1', 'f', 's', 1, now(), 'u', "
                        "now(), 'v')")
        assert first.con.execute("SELECT count(*) FROM releases").fetchone()[0] == 0
    with pool.snapshot() as second:
        assert second.con.execute("SELECT count(*) FROM releases").fetchone()[0] == 1
        assert second.fingerprint != before
    pool.close()
