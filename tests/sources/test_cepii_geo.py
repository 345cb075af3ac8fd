"""CEPII geo_cepii country attributes: exact values, two-city countries, warehouse load."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from steppe.errors import SourceFileError
from steppe.sources.cepii_geo import attributes
from steppe.warehouse import Warehouse
from steppe.warehouse.ingest import plan_file, run_plan

FILE = "cepii/geo_cepii.xls"


@pytest.fixture(scope="module")
def parsed(shared_data: Path, read_known):
    return read_known(shared_data, "cepii_geo", FILE)


def _attr(query, parsed, area: str, attribute: str) -> list:
    return [r[0] if r[0] is not None else r[1] for r in query(
        parsed, f"SELECT value, text FROM t WHERE area='{area}' AND attribute='{attribute}' "
                "ORDER BY text", "area_attribute")]


def test_central_asian_attributes(parsed, query) -> None:
    assert _attr(query, parsed, "KAZ", "area_km2") == [2_717_300]
    assert _attr(query, parsed, "TJK", "area_km2") == [143_095]
    assert _attr(query, parsed, "KGZ", "internal_distance_km") == [pytest.approx(167.5769)]
    for area in ("KAZ", "KGZ", "TJK", "TKM", "UZB"):
        assert _attr(query, parsed, area, "landlocked") == [1]
        assert _attr(query, parsed, area, "colonizer") == ["RUS"]
    assert _attr(query, parsed, "RUS", "landlocked") == [0]
    # Russian is the second official language of Kazakhstan and Kyrgyzstan only
    assert _attr(query, parsed, "KAZ", "official_language") == ["Kazakh", "Russian"]
    assert _attr(query, parsed, "KGZ", "official_language") == ["Kyrgyz", "Russian"]
    assert _attr(query, parsed, "UZB", "official_language") == ["Uzbek"]


def test_internal_distance_is_two_thirds_of_the_disc_radius(parsed, query) -> None:
    rows = query(parsed, "SELECT a.value, d.value FROM t a JOIN t d USING (area) WHERE "
                         "a.attribute = 'area_km2' AND d.attribute = 'internal_distance_km'",
                 "area_attribute")
    assert len(rows) > 200
    for area, dist in rows:
        assert dist == pytest.approx(2 / 3 * math.sqrt(area / math.pi), rel=1e-3)


def test_two_city_countries_take_the_flagged_row(parsed, query) -> None:
    assert _attr(query, parsed, "KAZ", "capital") == ["Astana"]
    assert _attr(query, parsed, "KAZ", "main_city") == ["Alma-Ata (Almaty)"]
    assert _attr(query, parsed, "KAZ", "capital_lat") == [51.17]
    assert _attr(query, parsed, "USA", "capital") == ["Washington, DC"]
    assert query(parsed, "SELECT count(*) FROM t WHERE attribute = 'capital'",
                 "area_attribute")[0][0] == query(
        parsed, "SELECT count(DISTINCT area) FROM t", "area_attribute")[0][0] == 224


def test_legacy_codes_mapped_and_antilles_left_out(parsed, query) -> None:
    assert _attr(query, parsed, "ROU", "capital") == ["Bucharest"]
    assert "SRB" in _attr(query, parsed, "SVN", "short_colonizer")  # YUG as a coloniser
    assert query(parsed, "SELECT count(*) FROM t WHERE area IN ('ROM', 'YUG', 'ANT')",
                 "area_attribute")[0][0] == 0
    assert parsed.counts["dissolved_area_rows"] == 1


def test_disagreeing_duplicate_rows_are_an_error() -> None:
    header = ("iso3", "city_en", "lat", "lon", "cap", "maincity", "area", "dis_int",
              "landlocked", "continent", "langoff_1", "langoff_2", "langoff_3", "lang20_1",
              "lang20_2", "lang20_3", "lang20_4", "lang9_1", "lang9_2", "lang9_3", "lang9_4",
              "colonizer1", "colonizer2", "colonizer3", "colonizer4", "short_colonizer1",
              "short_colonizer2", "short_colonizer3")
    row = ["KAZ", "Astana", 51.17, 71.47, 1, 0, 2717300, 620.0, 1, "Asia"] + ["."] * 18
    other = ["KAZ", "Almaty", 43.25, 76.95, 2, 1, 2717301, 620.0, 1, "Asia"] + ["."] * 18
    with pytest.raises(SourceFileError, match=r"rows 2 and 3 \(KAZ\) disagree .*\['area'\]"):
        attributes(header, [tuple(row), tuple(other)], "geo.xls")


def test_loads_into_area_attribute(shared_data: Path, tmp_path: Path) -> None:
    path = shared_data / FILE
    if not path.is_file():
        pytest.skip(f"{path} is missing")
    warehouse = Warehouse(tmp_path / "w.duckdb")
    [result] = run_plan(warehouse, [plan_file(path, "cepii_geo")])
    assert result.status == "loaded" and result.rows == 3276
    with warehouse.reader() as con:
        assert con.execute("SELECT value FROM area_attribute WHERE area = 'TKM' AND "
                           "attribute = 'area_km2'").fetchone()[0] == 488_100
        assert con.execute("SELECT DISTINCT r.dataset FROM area_attribute JOIN releases r "
                           "USING (release_id)").fetchall() == [("cepii_geo",)]
