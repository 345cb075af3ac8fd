"""Quality, remittances, refugees, flows and scenarios through the API, on real data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from steppe.gravity.service import scenario_from_warehouse
from steppe.warehouse import Warehouse


def test_refugees_match_the_unhcr_file(analysis_client: TestClient, shared_data: Path) -> None:
    raw = pd.read_csv(shared_data / "unhcr/refugees_pkg_2025.12.1/population.csv.gz",
                      usecols=["year", "coo_iso", "coa_iso", "refugees"])
    expected = raw[(raw.coo_iso == "AFG") & (raw.coa_iso == "TJK") & (raw.year == 2024)]
    body = analysis_client.get("/api/v1/refugees?origin=AFG&destination=Tajikistan"
                               "&year_from=2024&year_to=2024").json()
    assert [r["value"] for r in body["data"]] == [pytest.approx(expected.refugees.sum())]
    assert body["releases"][0]["dataset"] == "unhcr_population"
    assert body["releases"][0]["licence"]


def test_remittances_sorted_and_cited(analysis_client: TestClient) -> None:
    body = analysis_client.get("/api/v1/remittances?destination=TJK&sort=-value&limit=3").json()
    rows = body["data"]
    assert rows[0]["origin"] == "RUS" and rows[0]["unit"] == "usd"  # Russia sends most (KNOMAD 2021)
    assert [r["value"] for r in rows] == sorted((r["value"] for r in rows), reverse=True)
    assert {r["dataset"] for r in body["releases"]} == {"knomad_bilateral"}
    csv = analysis_client.get("/api/v1/remittances?destination=TJK&format=csv&limit=2")
    assert csv.text.splitlines()[0] == "origin,destination,year,indicator,value,unit,release"


def test_flows_join_their_runs(analysis_client: TestClient, analysis_warehouse: Warehouse) -> None:
    body = analysis_client.get("/api/v1/flows?origin=UZB&destination=RUS").json()
    assert len(body["data"]) == 1
    row = body["data"][0]
    with analysis_warehouse.reader() as con:
        value, releases = con.execute(
            "SELECT e.value, r.input_releases FROM flow_estimate e JOIN flow_runs r USING "
            "(run_id) WHERE e.origin = 'UZB' AND e.destination = 'RUS'").fetchone()
    assert row["value"] == pytest.approx(value) and value > 0
    assert (row["period_start"], row["period_end"], row["revision"]) == (2015, 2020, "2024")
    assert sorted(row["releases"]) == sorted(releases)
    assert {r["release_id"] for r in body["releases"]} == set(releases)


def test_quality_report_has_score_and_reasons(analysis_client: TestClient) -> None:
    body = analysis_client.get("/api/v1/quality/KGZ").json()
    assert body["area"] == "KGZ" and 0 <= body["score"] <= 100
    assert body["reasons"] and body["checks"]
    assert analysis_client.get("/api/v1/quality/Atlantis").status_code == 404


def test_profile_sections_from_other_capabilities(analysis_client: TestClient) -> None:
    sections = analysis_client.get("/api/v1/profiles/TJK").json()["sections"]
    for key in ("remittances", "refugees", "quality", "flows"):
        assert sections[key]["status"] == "ok", (key, sections[key]["message"])
    assert 0 <= sections["quality"]["data"]["score"] <= 100
    assert any(r["origin"] == "RUS" for r in sections["remittances"]["data"]["top_senders"])


def test_scenario_matches_the_cli_function(analysis_client: TestClient,
                                           analysis_warehouse: Warehouse) -> None:
    url = "/api/v1/scenarios?join=UZB:EEU&from=2020&subset=central_asia"
    first = analysis_client.get(url)
    assert first.status_code == 200, first.text
    direct = scenario_from_warehouse(analysis_warehouse, joins=["UZB:EEU"], start_year=2020,
                                     subset="central_asia")
    got = first.json()["data"]
    assert len(got) == len(direct["corridors"]) > 0
    for mine, theirs in zip(got, direct["corridors"]):
        assert mine.keys() == theirs.keys()
        assert mine == {k: pytest.approx(v) if isinstance(v, float) else v
                        for k, v in theirs.items()}
    assert any(r["release_id"].startswith("un_desa_stock@2020") for r in first.json()["releases"])
    again = analysis_client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_scenario_errors_are_422(analysis_client: TestClient) -> None:
    assert analysis_client.get("/api/v1/scenarios").status_code == 422
    bad = analysis_client.get("/api/v1/scenarios?join=UZB-EEU")
    assert bad.status_code == 422 and "COUNTRY:VALUE" in bad.json()["detail"]
    assert analysis_client.get("/api/v1/scenarios?join=UZB:NATO").status_code == 422


def test_docs_are_served_without_a_cdn(client: TestClient) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower() and "/api/v1/docs/assets/swagger-ui-bundle.js" in page.text
    script = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.content) > 100_000
    assert client.get("/api/v1/docs/assets/secret.txt").status_code == 404


def test_portal_pages_show_quality_mirror_and_remittance_map(analysis_client: TestClient) -> None:
    country = analysis_client.get("/country/TJK?lang=en").text
    assert "Score" in country and "Reasons" in country and "Estimated flows" in country
    ru = analysis_client.get("/country/TJK?lang=ru").text
    assert "Оценка" in ru and "Причины" in ru
    corridor = analysis_client.get("/corridor/UZB/RUS?lang=en").text
    assert "Mirror statistics" in corridor
    sections = analysis_client.get("/api/v1/corridors/UZB/RUS").json()["sections"]
    assert sections["mirror"]["status"] == "ok"
    assert len(sections["mirror"]["data"]["scores"]) == 2
    home = analysis_client.get("/?indicator=remittances_gdp&lang=en").text
    assert "wdi" in home.lower() and 'href="/country/TJK' in home


def test_scenario_changes_are_checked_before_fitting(client: TestClient) -> None:
    unknown = client.get("/api/v1/scenarios?join=Atlantis:EEU")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["pointer"] == "#/join"
    assert client.get("/api/v1/scenarios?gdp=RUS:lots").status_code == 422
    assert client.get("/api/v1/scenarios?gdp=RUS:-100").status_code == 422
