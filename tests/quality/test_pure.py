"""The pure parts of the quality checks: interpolation, comparison, jumps, revisions, score."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from steppe.quality.checks import Check, beyond
from steppe.quality.consistency import jumps, revision_checks
from steppe.quality.coverage import coverage_checks, coverage_from_rows
from steppe.quality.mirror import compare, value_at
from steppe.quality.score import score_checks


def test_value_at_exact_and_interpolated() -> None:
    points = {2015: 100.0, 2020: 200.0, 2030: 300.0}
    assert value_at(points, 2015) == (100.0, False)
    assert value_at(points, 2017) == (140.0, True)
    assert value_at(points, 2025) is None  # neighbours ten years apart
    assert value_at(points, 2010) is None


def test_compare_names_sources_and_skips_revision_pairs() -> None:
    series = {"un_desa_stock@2020": {2015: 100.0, 2020: 110.0},
              "un_desa_stock@2024": {2015: 60.0, 2020: 70.0},
              "reference_documents@2017": {2017: 104.0}}
    pairs = compare(series, "UZB→KAZ", "stock")
    assert {(p.source_a, p.source_b) for p in pairs} == {
        ("reference_documents@2017", "un_desa_stock@2020"),
        ("reference_documents@2017", "un_desa_stock@2024")}
    by_b = {p.source_b: p for p in pairs}
    assert by_b["un_desa_stock@2020"].value_b == 104.0 and not by_b["un_desa_stock@2020"].flagged
    assert by_b["un_desa_stock@2024"].value_b == 64.0 and by_b["un_desa_stock@2024"].flagged
    assert by_b["un_desa_stock@2024"].interpolated


def test_jumps_thresholds_depend_on_spacing() -> None:
    assert jumps({2000: 100.0, 2001: 160.0, 2002: 170.0}) == [(2000, 2001, 100.0, 160.0)]
    assert jumps({2000: 100.0, 2005: 190.0}) == []  # 5-year step: 100% allowed
    assert jumps({2000: 100.0, 2005: 210.0}) == [(2000, 2005, 100.0, 210.0)]


def test_revision_checks_share_and_largest() -> None:
    old = {("KAZ", "RUS", 2020): 2_558_907.0, ("UZB", "KAZ", 2020): 296_511.0,
           ("TJK", "KAZ", 2020): 500.0}
    new = {("KAZ", "RUS", 2020): 1_635_008.0, ("UZB", "KAZ", 2020): 300_000.0,
           ("TJK", "KAZ", 2020): 5_000.0}
    (check,) = revision_checks("KAZ", {"2020": old, "2024": new})
    assert check.details["compared"] == 3 and check.details["revised"] == 2
    assert check.details["largest"][0]["corridor"] == "KAZ→RUS"
    assert check.sources == ("un_desa_stock@2020", "un_desa_stock@2024")


def test_coverage_gaps_respect_cadence() -> None:
    rows = [("migrant_stock_total", y, "un_desa_stock_totals", "2024") for y in (1990, 1995, 2005)]
    rows += [("population", y, "un_wpp", "2024") for y in (2000, 2001, 2004)]
    coverage = coverage_from_rows("KAZ", rows)
    assert coverage.gaps("migrant_stock_total") == list(range(1996, 2005))
    assert coverage.gaps("population") == [2002, 2003]
    codes = {(c.code, c.message.split(":")[0]) for c in coverage_checks(coverage)}
    assert ("coverage-missing", "no source gives births for KAZ") in codes


_STATUS = st.sampled_from(["ok", "warn", "fail"])
_CODE = st.sampled_from(["mirror-discrepancy", "sex-sum", "coverage-gap", "series-jump",
                         "bilateral-vs-total", "coverage-missing"])
_CHECKS = st.lists(st.builds(lambda c, s: Check(c, "KAZ", s, "m"), _CODE, _STATUS), max_size=40)


@given(_CHECKS, _CODE)
def test_score_bounded_and_monotone(checks: list[Check], code: str) -> None:
    base = score_checks("KAZ", checks)
    assert 0 <= base.score <= 100 and base.reasons
    worse = score_checks("KAZ", checks + [Check(code, "KAZ", "warn", "new problem")])
    assert worse.score <= base.score


@given(st.floats(0, 1e9), st.floats(0, 1e9), st.floats(0.01, 0.9))
def test_beyond_is_symmetric(a: float, b: float, t: float) -> None:
    assert beyond(a, b, t) == beyond(b, a, t)
