"""Restricted endpoints: 401 without a key, 403 with the wrong role, audited; the
public endpoint serves only protected aggregates and never person keys."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from steppe.api.routes.microdata import MicrodataConfig, get_config, router
from steppe.microdata.access import AccessStore
from steppe.microdata.aggregate import aggregate
from steppe.microdata.publish import write_tables


@pytest.fixture(scope="module")
def setup(small_records: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, AccessStore, dict[str, str]]:
    base = tmp_path_factory.mktemp("api")
    res = aggregate(small_records, as_of=date(2023, 12, 31))
    write_tables(res.tables, base / "published", "parquet")
    config = MicrodataConfig(records=small_records, published=base / "published",
                             access_db=base / "access.sqlite")
    app = FastAPI()
    app.include_router(router, prefix="/api/v1/microdata")
    app.dependency_overrides[get_config] = lambda: config
    store = AccessStore(config.access_db)
    keys = {"analyst": store.add_key("alice", "analyst"), "public": store.add_key("bob", "public")}
    return TestClient(app), store, keys


RESTRICTED = ["/api/v1/microdata/records?limit=5", "/api/v1/microdata/unprotected/flows?limit=5"]


@pytest.mark.parametrize("url", RESTRICTED)
def test_restricted_without_key_is_401(setup, url: str) -> None:  # type: ignore[no-untyped-def]
    client, store, _ = setup
    r = client.get(url)
    assert r.status_code == 401
    assert "X-API-Key" in r.json()["detail"]
    r = client.get(url, headers={"X-API-Key": "stp_deadbeef_not-a-real-secret"})
    assert r.status_code == 401
    assert store.log(1)[0]["outcome"] == "denied: missing or invalid key"


@pytest.mark.parametrize("url", RESTRICTED)
def test_restricted_with_public_key_is_403(setup, url: str) -> None:  # type: ignore[no-untyped-def]
    client, store, keys = setup
    r = client.get(url, headers={"X-API-Key": keys["public"]})
    assert r.status_code == 403
    entry = store.log(1)[0]
    assert (entry["name"], entry["outcome"]) == ("bob", "denied: role public")


def test_analyst_reads_records_and_is_audited(setup) -> None:  # type: ignore[no-untyped-def]
    client, store, keys = setup
    r = client.get("/api/v1/microdata/records", params={"citizenship": "UZB", "limit": 7},
                   headers={"X-API-Key": keys["analyst"]})
    assert r.status_code == 200
    body = r.json()
    assert len(body["rows"]) == 7 and body["total"] > 1000
    assert {row["citizenship"] for row in body["rows"]} == {"UZB"}
    assert "person_key" in body["rows"][0]
    entry = store.log(1)[0]
    assert entry["name"] == "alice" and entry["role"] == "analyst"
    assert entry["action"] == "GET /api/v1/microdata/records"
    assert json.loads(entry["query"]) == {"citizenship": "UZB", "limit": "7"}
    assert entry["outcome"] == "ok" and entry["rows"] == 7
    assert entry["at"].startswith(str(date.today().year))


def test_analyst_reads_unprotected_and_is_audited(setup) -> None:  # type: ignore[no-untyped-def]
    client, store, keys = setup
    before = len(store.log(1000))
    r = client.get("/api/v1/microdata/unprotected/flows", params={"citizenship": "IND", "limit": 50},
                   headers={"X-API-Key": keys["analyst"]})
    assert r.status_code == 200
    rows = r.json()["rows"]
    assert rows and all(row["inflow"] is not None for row in rows)
    assert len(store.log(1000)) == before + 1


def test_public_aggregates_are_protected(setup) -> None:  # type: ignore[no-untyped-def]
    client, store, _ = setup
    before = len(store.log(1000))
    r = client.get("/api/v1/microdata/aggregates/flows", params={"limit": 5000})
    assert r.status_code == 200
    rows = r.json()["rows"]
    assert rows and all("person_key" not in row for row in rows)
    hidden = [row for row in rows if row["suppressed"]]
    assert hidden and all(row["inflow"] is None and row["stock_end"] is None for row in hidden)
    shown = [row for row in rows if not row["suppressed"]]
    assert all(not 0 < row[m] < 10 for row in shown for m in ("inflow", "outflow", "stock_end"))
    assert len(store.log(1000)) == before  # public reads are not restricted queries
    assert client.get("/api/v1/microdata/aggregates/people").status_code == 404


def test_revoked_key_is_refused(setup) -> None:  # type: ignore[no-untyped-def]
    client, store, _ = setup
    key = store.add_key("carol", "analyst")
    assert client.get(RESTRICTED[0], headers={"X-API-Key": key}).status_code == 200
    store.revoke(key.split("_")[1])
    assert client.get(RESTRICTED[0], headers={"X-API-Key": key}).status_code == 401


def test_records_of_the_coded_layout_read_as_text(setup, coded_records: Path,  # type: ignore[no-untyped-def]
                                                  tmp_path: Path) -> None:
    """The same seed in both layouts: the analyst sees identical labelled records."""
    client, _, keys = setup
    coded = MicrodataConfig(records=coded_records, published=tmp_path,
                            access_db=tmp_path / "coded-access.sqlite")
    params = {"citizenship": "UZB", "limit": 5}
    text_rows = client.get("/api/v1/microdata/records", params=params,
                           headers={"X-API-Key": keys["analyst"]}).json()
    client.app.dependency_overrides[get_config] = lambda: coded
    try:
        coded_store = AccessStore(coded.access_db)
        key = coded_store.add_key("carol", "analyst")
        coded_rows = client.get("/api/v1/microdata/records", params=params,
                                headers={"X-API-Key": key}).json()
    finally:
        client.app.dependency_overrides.pop(get_config)
    assert coded_rows["total"] == text_rows["total"] > 0
    assert coded_rows["rows"] == text_rows["rows"]
    assert "cell" not in coded_rows["rows"][0]
