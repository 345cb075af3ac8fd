"""Quality checks on a real warehouse: mirror statistics, consistency, scores, the report."""

from __future__ import annotations

from pathlib import Path

import pytest

from steppe.areas import group
from steppe.quality import assess, assess_corridor
from steppe.quality.consistency import bilateral_vs_total, remittance_matrix_vs_inflows, revisions
from steppe.quality.mirror import mirror_corridor
from steppe.quality.report import render_html


@pytest.fixture(scope="module")
def con(quality_warehouse):
    with quality_warehouse.reader() as connection:
        yield connection


def test_mirror_kazakhstan_russia_names_sources(con) -> None:
    pairs = {(p.concept, p.year, p.source_a, p.source_b): p for p in mirror_corridor(con, "KAZ", "RUS")}
    ref = pairs[("stock", 2017, "reference_documents@2017", "un_desa_stock@2024")]
    assert ref.value_a == 2_562_000 and ref.interpolated and ref.flagged
    # UN DESA 2024: 2,027,417 (2015) and 1,635,008 (2020), interpolated to 2017
    assert ref.value_b == pytest.approx(2_027_417 + 0.4 * (1_635_008 - 2_027_417))
    agree = pairs[("stock", 2017, "reference_documents@2017", "un_desa_stock@2020")]
    assert not agree.flagged
    # destination-reported immigrants (MVD) vs origin-reported emigrants (BNS), 2023
    flow = [p for p in pairs.values() if p.concept == "flow" and p.year == 2023]
    assert len(flow) == 1
    values = {flow[0].source_a.split(" ")[0]: flow[0].value_a,
              flow[0].source_b.split(" ")[0]: flow[0].value_b}
    assert values == {"emigration_registered": 9_630, "immigration_registered": 11_620}


def test_mirror_uzbekistan_to_kazakhstan(con) -> None:
    pairs = mirror_corridor(con, "UZB", "KAZ")
    flagged = {(p.year, p.source_a, p.source_b) for p in pairs if p.flagged}
    assert (2017, "reference_documents@2017", "un_desa_stock@2024") in flagged
    assert (2021, "knomad_bilateral@2021", "un_desa_stock@2024") in flagged
    knomad_2021 = next(p for p in pairs if p.source_a == "knomad_bilateral@2021")
    assert knomad_2021.value_a == 296_511  # = UN DESA 2020 revision's 2020 value (Manifest)


def test_revisions_list_the_russia_rewrite(con) -> None:
    checks = {c.sources: c for c in revisions(con, "KAZ")}
    rewrite = checks[("un_desa_stock@2020", "un_desa_stock@2024")]
    largest = {(x["corridor"], x["year"]): (x["old"], x["new"]) for x in rewrite.details["largest"]}
    assert rewrite.status == "warn"
    assert ("RUS→KAZ", 2020) in largest
    corridor = assess_corridor(con, "KAZ", "RUS")
    assert any("2,558,907 → 1,635,008" in r for r in corridor.reasons)


def test_bilateral_sum_equals_total_in_2024_revision(con) -> None:
    checks = [c for c in bilateral_vs_total(con, "KAZ") if c.details["label"] == "revision 2024"]
    assert checks and all(c.status == "ok" for c in checks)


def test_remittance_matrix_against_wdi(con) -> None:
    checks = {c.details["year"]: c for c in remittance_matrix_vs_inflows(con, "TJK")}
    assert checks[2021].details["value"] == pytest.approx(
        sum(v for (v,) in con.execute(
            "SELECT value FROM bilateral_indicator WHERE indicator='remittances' AND "
            "destination='TJK' AND year=2021").fetchall()))


def test_score_and_reasons_for_all_five(con) -> None:
    for area in group("central_asia"):
        result = assess(con, area)
        payload = result.to_json()
        assert set(payload) == {"area", "score", "reasons", "checks"}
        assert payload["area"] == area and 0 <= payload["score"] <= 100
        assert payload["reasons"] and payload["checks"]
        assert {c["code"] for c in payload["checks"]} >= {"revision", "sex-sum"}


def test_html_report_is_self_contained(con, tmp_path: Path) -> None:
    html = render_html(assess(con, "KAZ"), "Kazakhstan")
    assert html.count("<svg") == 3
    assert "<script" not in html and "cdn" not in html.lower()
    assert "reference_documents@2017" in html and "Data quality: Kazakhstan" in html


def test_national_stock_table_against_un_desa(con) -> None:
    pairs = [p for p in mirror_corridor(con, "KGZ", "RUS")
             if p.source_a.startswith("citizens_abroad") and p.source_b == "un_desa_stock@2024"]
    by_year = {p.year: p for p in pairs}
    desa = con.execute("SELECT s.value FROM migrant_stock s JOIN releases r USING (release_id) "
                       "WHERE r.dataset = 'un_desa_stock' AND r.edition = '2024' AND "
                       "s.origin = 'KGZ' AND s.destination = 'RUS' AND s.year = 2024 AND "
                       "s.sex = 'total'").fetchone()[0]
    assert by_year[2024].value_a == 341_870 and by_year[2024].value_b == desa
    assert not by_year[2024].interpolated and by_year[2023].interpolated


def test_registered_net_migration_against_wpp(con) -> None:
    from steppe.quality.consistency import registered_vs_estimated

    checks = {c.details["year"]: c for c in registered_vs_estimated(con, "KAZ")}
    flows = dict(con.execute(
        "SELECT indicator, value FROM area_indicator WHERE area = 'KAZ' AND year = 2000 AND "
        "indicator IN ('immigration_total', 'emigration_total')").fetchall())
    assert checks[2000].details["value"] == flows["immigration_total"] - flows["emigration_total"]
    assert checks[2000].details["reference"] == -8_754  # WPP 2024, KAZ 2000
    assert checks[2000].status == "warn" and checks[2000].sources[0] == "un_desa_flow_totals@2015"


def test_unhcr_sums_reproduce_wdi_refugees_by_origin(con) -> None:
    """Independent check of the UNHCR loader: WDI's SM.POP.REFG.OR comes from UNHCR."""
    from steppe.quality.consistency import refugees_vs_wdi

    checks = {c.details["year"]: c for c in refugees_vs_wdi(con, "TJK")}
    assert checks[2021].details["value"] == checks[2021].details["reference"] == 2_412
    assert all(c.status == "ok" for y, c in checks.items() if 2011 <= y <= 2021)
