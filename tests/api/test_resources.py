"""Areas, sources, releases, indicators, profiles, corridors and rights endpoints."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_areas_in_three_languages(client: TestClient) -> None:
    body = client.get("/api/v1/areas?group=central_asia&lang=kk").json()
    names = {a["area_id"]: a["name"] for a in body["data"]}
    assert set(names) == {"KAZ", "KGZ", "TJK", "TKM", "UZB"}
    assert names["KAZ"] == "Қазақстан"
    assert client.get("/api/v1/areas/398?lang=ru").json()["name"] == "Казахстан"
    assert body["sources"]


def test_sources_and_releases_list_what_is_loaded(client: TestClient) -> None:
    sources = client.get("/api/v1/sources").json()["data"]
    stock = next(s for s in sources if s["dataset"] == "un_desa_stock")
    assert "CC BY 3.0 IGO" in stock["licence"]
    assert len(stock["releases"]) == 3  # 2019, 2020 and 2024 revisions
    releases = client.get("/api/v1/releases?dataset=un_desa_stock").json()["data"]
    assert sorted(r["edition"] for r in releases) == ["2019", "2020", "2024"]


def test_indicators_filter(client: TestClient) -> None:
    body = client.get("/api/v1/indicators?indicator=population&area=KAZ&sex=total"
                      "&year_from=2020&year_to=2020").json()
    assert {r["value"] for r in body["data"]} == {18_776_707}
    assert all(r["release"] for r in body["data"])


def test_profile_key_figures_are_independently_computable(client: TestClient) -> None:
    body = client.get("/api/v1/profiles/KAZ").json()
    figures = body["sections"]["key_figures"]["data"]
    assert figures["immigrant_stock"]["value"] == 2_089_797  # IMS 2024, Kazakhstan, 2024
    share = figures["immigrant_share"]
    assert share["year"] == 2020
    assert abs(share["value"] - 100 * 3_732_073 / 18_776_707) < 1e-9  # IMS 2020 stock / population
    # emigrant stock = sum over destination countries of the bilateral stock
    rows = client.get("/api/v1/stocks?origin=KAZ&year=2024&limit=1000").json()
    assert abs(figures["emigrant_stock"]["value"] - sum(r["value"] for r in rows["data"])) < 1e-6
    chord = body["sections"]["corridors"]["data"]
    assert chord["areas"] == ["KAZ", "KGZ", "TJK", "TKM", "UZB", "RUS"]
    assert chord["matrix"][0][5] == 1_321_004  # KAZ-born in Russia, 2024
    assert {r["release_id"] for r in body["releases"]} >= {figures["immigrant_stock"]["release"]}


def test_profile_sections_degrade_when_data_is_missing(client: TestClient) -> None:
    sections = client.get("/api/v1/profiles/TJK").json()["sections"]
    assert sections["flows"]["status"] == "not_loaded"
    assert "steppe" in sections["flows"]["message"]
    assert sections["top_destinations"]["data"][0]["destination"] == "RUS"


def test_corridor_both_ways(client: TestClient) -> None:
    body = client.get("/api/v1/corridors/TJK/RUS").json()
    stocks = body["sections"]["stocks"]["data"]
    assert any(r["year"] == 2020 for r in stocks["a_to_b"])
    editions = {r["edition"] for r in body["sections"]["revisions"]["data"]}
    assert editions == {"2019", "2020", "2024"}
    assert body["sections"]["rules"]["status"] == "ok"


def test_rights_cite_articles(client: TestClient) -> None:
    body = client.get("/api/v1/rights?citizenship=KGZ&host=KAZ&on=2016-01-01").json()
    permit = body["entitlements"]["work_permit_required"]
    assert permit["value"] is False
    assert permit["basis"] and permit["basis"][0]["article"]
    bad = client.get("/api/v1/rights?citizenship=KGZ&host=KAZ&on=1800-01-01")
    assert bad.status_code == 422 and bad.json()["errors"][0]["pointer"] == "#/on"
    assert client.get("/api/v1/rights?citizenship=World&host=KAZ").status_code == 422


def test_openapi_schema_is_served(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/stocks" in schema["paths"] and "/api/v1/profiles/{area}" in schema["paths"]
    assert not any(p.startswith("/country") for p in schema["paths"])
