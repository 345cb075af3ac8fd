"""UNHCR asylum applications and decisions: exact values against the official files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

DIR = "unhcr/refugees_pkg_2025.12.1/"


@pytest.fixture(scope="module")
def applications(shared_data: Path, read_known):
    return read_known(shared_data, "unhcr_asylum", DIR + "asylum_applications.csv.gz")


@pytest.fixture(scope="module")
def decisions(shared_data: Path, read_known):
    return read_known(shared_data, "unhcr_asylum", DIR + "asylum_decisions.csv.gz")


def _get(query, parsed, origin, dest, year, indicator):
    rows = query(parsed, f"SELECT value, unit FROM t WHERE origin='{origin}' AND "
                         f"destination='{dest}' AND year={year} AND indicator='{indicator}'")
    assert len(rows) <= 1
    return rows[0] if rows else None


def test_applications_exact(applications, query) -> None:
    # TJK -> DEU 2022: three published rows (N/FI 950, J/JR 362, R/RA 76), all persons
    assert _get(query, applications, "TJK", "DEU", 2022, "asylum_applications") == (1388, "persons")
    assert _get(query, applications, "TJK", "DEU", 2022, "asylum_applications_new") == (950, "persons")
    assert _get(query, applications, "AFG", "TJK", 2021, "asylum_applications") == (6372, "persons")
    assert _get(query, applications, "KGZ", "USA", 2022, "asylum_applications") == (1648, "persons")
    # the United States reported Kazakh applications of 2015 partly in cases: never mixed
    assert _get(query, applications, "KAZ", "USA", 2015, "asylum_applications_cases") == (225, "cases")
    assert _get(query, applications, "KAZ", "USA", 2015, "asylum_applications") == (17, "persons")


def test_decisions_exact(decisions, query) -> None:
    # UZB -> USA 2023: decision levels AR, EO and IN summed
    expected = {"asylum_recognized": 287, "asylum_complementary": 0, "asylum_rejected": 120,
                "asylum_closed": 831, "asylum_decisions": 1238}
    for indicator, value in expected.items():
        assert _get(query, decisions, "UZB", "USA", 2023, indicator) == (value, "persons")
    # 'NA' (a decision-level code) rows are kept: AFG -> DEU 2000 is one such row
    assert _get(query, decisions, "AFG", "DEU", 2000, "asylum_recognized")[0] >= 31


def test_totals_match_an_independent_sum(applications, decisions, query, shared_data) -> None:
    raw = pd.read_csv(shared_data / DIR / "asylum_applications.csv.gz", keep_default_na=False,
                      dtype=str)
    persons = raw[raw.app_pc == "P"]
    expected = pd.to_numeric(persons.applied).sum()
    assert query(applications, "SELECT sum(value) FROM t WHERE indicator='asylum_applications'"
                 )[0][0] == expected
    raw = pd.read_csv(shared_data / DIR / "asylum_decisions.csv.gz", keep_default_na=False,
                      dtype=str)
    sel = raw[(raw.dec_pc == "C") & (raw.year == "2019")]
    assert query(decisions, "SELECT sum(value) FROM t WHERE indicator='asylum_rejected_cases' "
                 "AND year=2019")[0][0] == pd.to_numeric(sel.dec_rejected).sum()


def test_unknown_origin_becomes_other(applications, query, shared_data) -> None:
    raw = pd.read_csv(shared_data / DIR / "asylum_applications.csv.gz", keep_default_na=False,
                      dtype=str)
    sel = raw[(raw.coa_iso == "DEU") & (raw.year == "2020") & (raw.app_pc == "P")
              & raw.coo_iso.isin(["UNK", "XXA", "TIB"])]
    assert len(sel) > 0
    assert _get(query, applications, "OTHER", "DEU", 2020, "asylum_applications")[0] == \
        pd.to_numeric(sel.applied).sum()
    assert applications.counts["origin_XXA_as_OTHER"] > 0
