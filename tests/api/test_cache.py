"""The whole-response cache: hits, 304s before any query, and no stale answer after a swap."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from steppe.api import create_app
from steppe.api.cache import ResponseCache, matches
from steppe.warehouse import Warehouse

INSERT = "INSERT INTO releases VALUES (?, 'x', '1', 'f', ?, 1, now(), 'u', now(), 'v')"


def _cache(app: object) -> ResponseCache:
    stack = app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(stack, ResponseCache):
        stack = stack.app
    return stack


def test_cached_until_a_writer_swaps_the_file(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "w.duckdb")
    with warehouse.writer() as con:
        con.execute(INSERT, ["x@1#1", "s1"])
    app = create_app(warehouse.path, portal=False)
    with TestClient(app) as client:
        first = client.get("/api/v1/releases")
        cache = _cache(app)
        hits = cache.hits
        assert client.get("/api/v1/releases").json() == first.json()
        assert cache.hits == hits + 1
        revalidated = client.get("/api/v1/releases", headers={"If-None-Match": first.headers["etag"]})
        assert revalidated.status_code == 304 and revalidated.headers["etag"] == first.headers["etag"]
        with warehouse.writer() as con:
            con.execute(INSERT, ["x@2#2", "s2"])
        after = client.get("/api/v1/releases", headers={"If-None-Match": first.headers["etag"]})
        assert after.status_code == 200
        assert [r["release_id"] for r in after.json()["data"]] == ["x@1#1", "x@2#2"]
        assert after.headers["etag"] != first.headers["etag"]


def test_key_separates_formats_and_languages(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "w.duckdb")
    with warehouse.writer() as con:
        con.execute(INSERT, ["x@1#1", "s1"])
    with TestClient(create_app(warehouse.path, portal=False)) as client:
        as_json = client.get("/api/v1/releases")
        as_csv = client.get("/api/v1/releases?format=csv")
        assert as_csv.text.startswith("release_id") and as_json.json()["data"]
        assert client.get("/api/v1/releases?format=csv").text == as_csv.text
        missing = client.get("/api/v1/stocks?origin=Atlantis")
        assert missing.status_code == 422  # errors are never cached
        assert client.get("/api/v1/stocks?origin=Atlantis").status_code == 422


def test_if_none_match_forms() -> None:
    assert matches(b'"a", "b"', b'"b"') and matches(b"*", b'"a"') and matches(b'W/"a"', b'"a"')
    assert not matches(b'"ab"', b'"a"')
