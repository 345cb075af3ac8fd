"""/api/v1/stocks against published UN DESA figures, formats, ETags, pagination."""

from __future__ import annotations

import io

import pyarrow.parquet as pq
from fastapi.testclient import TestClient


def test_stock_matches_published_figure_and_names_releases(client: TestClient) -> None:
    # MANIFEST: TJK-born in Russia 2020 = 466,252 in the 2020 revision
    r = client.get("/api/v1/stocks", params={"origin": "TJK", "destination": "Russia",
                                             "year": 2020, "revision": "2020"})
    assert r.status_code == 200
    body = r.json()
    assert body["data"][0]["value"] == 466_252
    assert body["data"][0]["release"].startswith("un_desa_stock@2020#")
    ids = {ref["release_id"] for ref in body["releases"]}
    assert body["data"][0]["release"] in ids
    assert all(ref["licence"] and ref["citation"] for ref in body["releases"])


def test_revisions_side_by_side(client: TestClient) -> None:
    # MANIFEST: KAZ-born in Russia 2020: 2,558,907 (2020 edition) vs 1,635,008 (2024 edition)
    row = client.get("/api/v1/stocks?origin=KAZ&destination=RUS&year=2020").json()["data"][0]
    assert row["revisions"]["2020"] == 2_558_907
    assert row["revisions"]["2024"] == 1_635_008
    assert row["value"] == 1_635_008  # newest revision by default


def test_year_range_sort_and_pagination(client: TestClient) -> None:
    r = client.get("/api/v1/stocks?origin=KAZ&destination=RUS&year_from=1990&year_to=2024"
                   "&sort=year&limit=3")
    body = r.json()
    assert [d["year"] for d in body["data"]] == [1990, 1995, 2000]
    assert body["total"] == 8 and body["next"]
    second = client.get(body["next"]).json()
    assert [d["year"] for d in second["data"]] == [2005, 2010, 2015]


def test_csv_and_parquet_carry_the_same_rows(client: TestClient) -> None:
    base = "/api/v1/stocks?destination=KAZ&limit=5"
    rows = client.get(base).json()["data"]
    csv_r = client.get(base + "&format=csv")
    assert csv_r.headers["content-type"].startswith("text/csv")
    assert "un_desa_stock@2024" in csv_r.headers["x-steppe-releases"]
    lines = csv_r.text.strip().splitlines()
    assert lines[0].startswith("origin,destination,year,sex,value,release")
    assert len(lines) == 6
    pq_r = client.get(base + "&format=parquet")
    table = pq.read_table(io.BytesIO(pq_r.content))
    assert table.column("value").to_pylist() == [r["value"] for r in rows]
    assert b"steppe.releases" in table.schema.metadata


def test_etag_gives_304_for_unchanged_releases(client: TestClient) -> None:
    first = client.get("/api/v1/stocks?destination=UZB&limit=2")
    etag = first.headers["etag"]
    again = client.get("/api/v1/stocks?destination=UZB&limit=2", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag
    other = client.get("/api/v1/stocks?destination=UZB&limit=3", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_invalid_parameters_are_problem_details(client: TestClient) -> None:
    cases = {
        "/api/v1/stocks?origin=Atlantis": "#/origin",
        "/api/v1/stocks?sex=both": "#/sex",
        "/api/v1/stocks?sort=colour": "#/sort",
        "/api/v1/stocks?year=1991": "#/year",
        "/api/v1/stocks?release=nope": "#/release",
        "/api/v1/stocks?year_from=2010&year_to=2000&origin=KAZ": "#/year_from",
        "/api/v1/stocks?year_from=2000&year_to=2010": "#/year_from",
        "/api/v1/stocks?limit=0": "#/limit",
    }
    for url, pointer in cases.items():
        r = client.get(url)
        assert r.status_code == 422, url
        assert r.headers["content-type"] == "application/problem+json"
        body = r.json()
        assert body["status"] == 422 and body["detail"] and body["type"].startswith("https://")
        assert body["errors"][0]["pointer"] == pointer, url


def test_unknown_path_and_area_are_404(client: TestClient) -> None:
    assert client.get("/api/v1/areas/Narnia").status_code == 404
    r = client.get("/api/v1/profiles/Narnia")
    assert r.status_code == 404 and "Narnia" in r.json()["detail"]
    assert client.get("/api/v1/nothing").json()["title"] == "Not found"
