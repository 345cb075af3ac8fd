"""Internal consistency of one country's figures.

* ``bilateral-vs-total``: UN DESA bilateral stocks summed over origins against the same
  revision's destination total;
* ``sex-sum``: male + female against both sexes (UN DESA stocks, WPP population);
* ``remittance-matrix-vs-inflows``: KNOMAD corridor estimates summed over senders
  against WDI remittances received in the same year;
* ``series-jump``: a change between consecutive values beyond a threshold;
* ``revision``: the same corridor and year in two UN DESA revisions;
* ``refugees-vs-wdi``: UNHCR refugees from the country summed over asylum countries
  against WDI's refugees by origin (which WDI takes from an earlier UNHCR vintage);
* ``registered-vs-estimated``: net migration from registered flows (UN DESA flow
  totals, residence criterion) against WPP's estimate — registration misses moves
  that are not declared, so large gaps show how incomplete registration is.

Queries read the warehouse; the comparisons are pure functions on plain numbers.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

import duckdb

from steppe.quality.checks import Check, beyond

TOLERANCE_TOTAL = 0.01  #: bilateral sum vs total
TOLERANCE_SEX = 0.005  #: male + female vs total
TOLERANCE_REMITTANCES = 0.15  #: KNOMAD matrix vs WDI inflows
JUMP_ANNUAL = 0.5  #: year-on-year change flagged in annual series
JUMP_PERIOD = 1.0  #: change flagged between 5-year estimates
REVISION = 0.10  #: relative change between revisions flagged
REVISION_MIN = 1000.0  #: corridors smaller than this (persons) are not judged
TOLERANCE_NET = 0.5  #: registered vs estimated net migration
TOLERANCE_REFUGEES = 0.10  #: UNHCR (current vintage) vs WDI refugees by origin


def compare_pairs(code: str, subject: str, rows: Iterable[tuple[Any, ...]], tolerance: float,
                  what: str) -> list[Check]:
    """Checks from (label, year, value, reference, sources) rows: warn beyond ``tolerance``."""
    checks = []
    for label, year, value, reference, sources in rows:
        if value is None or reference is None:
            continue
        bad = beyond(value, reference, tolerance)
        checks.append(Check(
            code, subject, "warn" if bad else "ok",
            f"{what} {label}, {year}: {value:,.0f} vs {reference:,.0f}"
            + (f" ({(value - reference) / reference:+.1%})" if reference else ""),
            tuple(sources), {"year": year, "value": value, "reference": reference,
                             "label": label}))
    return checks


def jumps(series: dict[int, float], threshold_annual: float = JUMP_ANNUAL,
          threshold_period: float = JUMP_PERIOD) -> list[tuple[int, int, float, float]]:
    """(year_a, year_b, value_a, value_b) where the relative change exceeds the threshold."""
    years = sorted(series)
    out = []
    for a, b in itertools.pairwise(years):
        limit = threshold_annual if b - a == 1 else threshold_period
        va, vb = series[a], series[b]
        if va > 0 and abs(vb - va) / va > limit:
            out.append((a, b, va, vb))
    return out


def bilateral_vs_total(con: duckdb.DuckDBPyConnection, area: str) -> list[Check]:
    rows = con.execute("""
        WITH bilat AS (
            SELECT r.edition, s.year, sum(s.value) AS value FROM migrant_stock s
            JOIN releases r USING (release_id) JOIN areas o ON o.area_id = s.origin
            WHERE r.dataset = 'un_desa_stock' AND s.destination = ? AND s.sex = 'total'
              AND o.kind IN ('country', 'unknown') GROUP BY ALL),
        total AS (
            SELECT r.edition, a.year, max(a.value) AS value FROM area_indicator a
            JOIN releases r USING (release_id)
            WHERE r.dataset = 'un_desa_stock_totals' AND a.area = ? AND a.sex = 'total'
              AND a.indicator = 'migrant_stock_total' GROUP BY ALL)
        SELECT 'revision ' || b.edition, b.year, b.value, t.value,
               ['un_desa_stock@' || b.edition, 'un_desa_stock_totals@' || b.edition]
        FROM bilat b JOIN total t USING (edition, year) ORDER BY 1, 2
    """, [area, area]).fetchall()
    return compare_pairs("bilateral-vs-total", area, rows, TOLERANCE_TOTAL,
                         "sum of bilateral stocks vs total,")


def sex_sums(con: duckdb.DuckDBPyConnection, area: str) -> list[Check]:
    rows = con.execute("""
        WITH stock AS (
            SELECT r.dataset || '@' || r.edition AS src, s.year, s.sex, sum(s.value) AS v
            FROM migrant_stock s JOIN releases r USING (release_id)
            WHERE s.destination = ? AND r.dataset = 'un_desa_stock' GROUP BY ALL),
        pop AS (
            SELECT r.dataset || '@' || r.edition AS src, a.year, a.sex, max(a.value) AS v
            FROM area_indicator a JOIN releases r USING (release_id)
            WHERE a.area = ? AND a.indicator = 'population' AND r.dataset = 'un_wpp'
            GROUP BY ALL),
        both_tables AS (SELECT 'migrant stock' AS what, * FROM stock
                        UNION ALL SELECT 'population', * FROM pop)
        SELECT what || ' ' || src, year, sum(v) FILTER (WHERE sex IN ('male', 'female')),
               max(v) FILTER (WHERE sex = 'total'), [src]
        FROM both_tables GROUP BY what, src, year
        HAVING count(*) FILTER (WHERE sex IN ('male', 'female')) = 2 ORDER BY 1, 2
    """, [area, area]).fetchall()
    return compare_pairs("sex-sum", area, rows, TOLERANCE_SEX, "male + female vs total,")


def remittance_matrix_vs_inflows(con: duckdb.DuckDBPyConnection, area: str) -> list[Check]:
    rows = con.execute("""
        WITH matrix AS (
            SELECT r.edition, b.year, sum(b.value) AS value FROM bilateral_indicator b
            JOIN releases r USING (release_id)
            WHERE b.indicator = 'remittances' AND b.destination = ? GROUP BY ALL),
        wdi AS (
            SELECT a.year, arg_max(a.value, r.edition) AS value, arg_max(r.edition, r.edition) AS ed
            FROM area_indicator a JOIN releases r USING (release_id)
            WHERE a.indicator = 'remittances_received' AND a.area = ? AND r.dataset = 'worldbank_wdi'
            GROUP BY ALL)
        SELECT 'KNOMAD matrix', m.year, m.value, w.value,
               ['knomad_bilateral@' || m.edition, 'worldbank_wdi@' || w.ed]
        FROM matrix m JOIN wdi w USING (year) ORDER BY 2
    """, [area, area]).fetchall()
    return compare_pairs("remittance-matrix-vs-inflows", area, rows, TOLERANCE_REMITTANCES,
                         "remittances received (sum of corridors vs WDI),")


_JUMP_SERIES = (("remittances_received", "worldbank_wdi", "2023-10-26"),
                ("population", "un_wpp", "2019"),
                ("migrant_stock_total", "un_desa_stock_totals", None))


def series_jumps(con: duckdb.DuckDBPyConnection, area: str) -> list[Check]:
    checks: list[Check] = []
    for indicator, dataset, edition in _JUMP_SERIES:
        rows = con.execute("""
            SELECT r.edition, a.year, a.value FROM area_indicator a JOIN releases r USING (release_id)
            WHERE a.area = ? AND a.indicator = ? AND a.sex = 'total' AND r.dataset = ?
              AND (? IS NULL OR r.edition = ?)
            ORDER BY r.edition DESC
        """, [area, indicator, dataset, edition, edition]).fetchall()
        if not rows:
            continue
        newest = rows[0][0]
        series = {int(y): float(v) for e, y, v in rows if e == newest}
        source = f"{dataset}@{newest}"
        found = jumps(series)
        for a, b, va, vb in found:
            checks.append(Check("series-jump", area, "warn",
                                f"{indicator} {a}→{b}: {va:,.0f} → {vb:,.0f} ({vb / va - 1:+.0%})",
                                (source,), {"indicator": indicator, "from": a, "to": b,
                                            "value_from": va, "value_to": vb}))
        if not found:
            checks.append(Check("series-smooth", area, "ok",
                                f"{indicator}: no jump beyond the thresholds in {len(series)} "
                                "values", (source,)))
    return checks


def revisions(con: duckdb.DuckDBPyConnection, area: str, threshold: float = REVISION,
              minimum: float = REVISION_MIN) -> list[Check]:
    """One check per pair of consecutive UN DESA revisions, for corridors touching ``area``."""
    rows = con.execute("""
        SELECT r.edition, s.origin, s.destination, s.year, s.value FROM migrant_stock s
        JOIN releases r USING (release_id)
        WHERE r.dataset = 'un_desa_stock' AND s.sex = 'total' AND ? IN (s.origin, s.destination)
          AND s.origin IN (SELECT area_id FROM areas WHERE kind = 'country')
          AND s.destination IN (SELECT area_id FROM areas WHERE kind = 'country')
    """, [area]).fetchall()
    by_edition: dict[str, dict[tuple[str, str, int], float]] = {}
    for edition, origin, dest, year, value in rows:
        by_edition.setdefault(edition, {})[(origin, dest, int(year))] = float(value)
    return revision_checks(area, by_edition, threshold, minimum)


def revision_checks(area: str, by_edition: dict[str, dict[tuple[str, str, int], float]],
                    threshold: float = REVISION, minimum: float = REVISION_MIN) -> list[Check]:
    """Compare consecutive revisions key by key (pure)."""
    editions = sorted(by_edition)
    checks = []
    for old, new in itertools.pairwise(editions):
        a, b = by_edition[old], by_edition[new]
        common = [k for k in a if k in b and max(a[k], b[k]) >= minimum]
        revised = sorted((k for k in common if beyond(a[k], b[k], threshold)),
                         key=lambda k: -abs(b[k] - a[k]))
        share = len(revised) / len(common) if common else 0.0
        largest = [{"corridor": f"{o}→{d}", "year": y, "old": a[(o, d, y)], "new": b[(o, d, y)]}
                   for o, d, y in revised[:5]]
        text = "; ".join(f"{x['corridor']} {x['year']}: {x['old']:,.0f} → {x['new']:,.0f}"
                         for x in largest[:3])
        checks.append(Check(
            "revision", area, "warn" if share > 0.1 else "ok",
            f"UN DESA {old} → {new}: {len(revised)} of {len(common)} corridor-years "
            f"({share:.0%}) changed by more than {threshold:.0%}" + (f" (largest: {text})"
                                                                      if text else ""),
            (f"un_desa_stock@{old}", f"un_desa_stock@{new}"),
            {"compared": len(common), "revised": len(revised), "share": share,
             "largest": largest}))
    return checks


def registered_vs_estimated(con: duckdb.DuckDBPyConnection, area: str) -> list[Check]:
    rows = con.execute("""
        WITH reg AS (
            SELECT a.year, sum(CASE a.indicator WHEN 'immigration_total' THEN a.value
                                   ELSE -a.value END) AS net, count(*) AS n
            FROM area_indicator a JOIN releases r USING (release_id)
            WHERE r.dataset = 'un_desa_flow_totals' AND a.area = ?
              AND a.indicator IN ('immigration_total', 'emigration_total') GROUP BY 1),
        wpp AS (
            SELECT a.year, arg_max(a.value, r.edition) AS net, max(r.edition) AS ed
            FROM area_indicator a JOIN releases r USING (release_id)
            WHERE r.dataset = 'un_wpp' AND a.area = ? AND a.indicator = 'net_migration'
            GROUP BY 1)
        SELECT 'registered (UN DESA flows 2015) vs WPP', reg.year, reg.net, wpp.net,
               ['un_desa_flow_totals@2015', 'un_wpp@' || wpp.ed]
        FROM reg JOIN wpp USING (year) WHERE reg.n = 2 ORDER BY 2
    """, [area, area]).fetchall()
    return compare_pairs("registered-vs-estimated", area, rows, TOLERANCE_NET,
                         "net migration,")


def refugees_vs_wdi(con: duckdb.DuckDBPyConnection, area: str) -> list[Check]:
    rows = con.execute("""
        WITH unhcr AS (
            SELECT b.year, sum(b.value) AS value, any_value(r.edition) AS ed
            FROM bilateral_indicator b JOIN releases r USING (release_id)
            WHERE r.dataset = 'unhcr_population' AND b.indicator = 'refugees' AND b.origin = ?
            GROUP BY 1),
        wdi AS (
            SELECT a.year, arg_max(a.value, r.edition) AS value, max(r.edition) AS ed
            FROM area_indicator a JOIN releases r USING (release_id)
            WHERE r.dataset = 'worldbank_wdi' AND a.area = ? AND a.indicator = 'refugees_by_origin'
            GROUP BY 1)
        SELECT 'from the country (UNHCR vs WDI)', year, u.value, w.value,
               ['unhcr_population@' || u.ed, 'worldbank_wdi@' || w.ed]
        FROM unhcr u JOIN wdi w USING (year) WHERE u.value >= 100 OR w.value >= 100 ORDER BY 2
    """, [area, area]).fetchall()
    return compare_pairs("refugees-vs-wdi", area, rows, TOLERANCE_REFUGEES, "refugees")


def consistency_checks(con: duckdb.DuckDBPyConnection, area: str) -> list[Check]:
    """Every consistency check for one country."""
    return (bilateral_vs_total(con, area) + sex_sums(con, area)
            + remittance_matrix_vs_inflows(con, area) + series_jumps(con, area)
            + revisions(con, area) + registered_vs_estimated(con, area)
            + refugees_vs_wdi(con, area))
