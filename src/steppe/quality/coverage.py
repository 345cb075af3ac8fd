"""Coverage: for one country, which sources give each indicator in each year, and the gaps."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

import duckdb

from steppe.quality.checks import Check

#: indicators a reader of a country profile needs, by the label coverage uses
CORE = ("population", "births", "deaths", "net_migration", "migrant_stock_total",
        "immigrant_stock (bilateral)", "emigrant_stock (bilateral)", "remittances_received",
        "remittances_received_pct_gdp", "gdp_per_capita", "refugees (origin)",
        "refugees (asylum)")

#: years between estimates by design; other indicators are annual
CADENCE = {"migrant_stock_total": 5, "immigrant_stock (bilateral)": 5,
           "emigrant_stock (bilateral)": 5, "refugee_stock": 5}
#: fewer covered years than this is a thin series
THIN = 3


@dataclass(frozen=True)
class Coverage:
    """Which sources give a value, by (indicator, year)."""

    area: str
    cells: dict[tuple[str, int], tuple[str, ...]]  #: (indicator, year) -> source labels

    def indicators(self) -> list[str]:
        return sorted({i for i, _ in self.cells}, key=lambda i: (i not in CORE, i))

    def years(self) -> list[int]:
        return sorted({y for _, y in self.cells})

    def gaps(self, indicator: str) -> list[int]:
        """Years no source covers, where covered years lie further apart than the cadence.

        Migrant stocks are estimated every five years by design (:data:`CADENCE`); the
        other indicators are annual.
        """
        years = sorted(y for i, y in self.cells if i == indicator)
        step = CADENCE.get(indicator, 1)
        return [y for a, b in itertools.pairwise(years) if b - a > step for y in range(a + 1, b)]


def _label(dataset: str, edition: str) -> str:
    return f"{dataset}@{edition}"


def read_coverage(con: duckdb.DuckDBPyConnection, area: str, first_year: int = 1990,
                  last_year: int = 2025) -> Coverage:
    """Every (indicator, year, source) with a value for ``area``, projections left out."""
    rows = con.execute("""
        SELECT a.indicator, a.year, r.dataset, r.edition FROM area_indicator a
        JOIN releases r USING (release_id) WHERE a.area = $1 AND a.sex = 'total' AND a.year >= $2
        UNION
        SELECT 'immigrant_stock (bilateral)', s.year, r.dataset, r.edition FROM migrant_stock s
        JOIN releases r USING (release_id) WHERE s.destination = $1 AND s.year >= $2
        UNION
        SELECT 'emigrant_stock (bilateral)', s.year, r.dataset, r.edition FROM migrant_stock s
        JOIN releases r USING (release_id) WHERE s.origin = $1 AND s.year >= $2
        UNION
        SELECT CASE WHEN b.indicator = 'refugees' THEN 'refugees (origin)'
                    ELSE b.indicator || ' (as origin)' END, b.year, r.dataset, r.edition
        FROM bilateral_indicator b JOIN releases r USING (release_id)
        WHERE b.origin = $1 AND b.year >= $2 AND b.indicator IN ('refugees', 'remittances',
              'migrant_stock_knomad', 'emigration_registered', 'labour_migrants_departed')
        UNION
        SELECT CASE WHEN b.indicator = 'refugees' THEN 'refugees (asylum)'
                    ELSE b.indicator || ' (as destination)' END, b.year, r.dataset, r.edition
        FROM bilateral_indicator b JOIN releases r USING (release_id)
        WHERE b.destination = $1 AND b.year >= $2 AND b.indicator IN ('refugees', 'remittances',
              'migrant_stock_knomad', 'immigration_registered', 'migration_registrations_stay')
    """, [area, first_year]).fetchall()
    rows = [r for r in rows if r[1] <= last_year]
    return coverage_from_rows(area, rows)


def coverage_from_rows(area: str, rows: list[tuple[str, int, str, str]]) -> Coverage:
    """Build a :class:`Coverage` from (indicator, year, dataset, edition) rows."""
    cells: dict[tuple[str, int], set[str]] = defaultdict(set)
    for indicator, year, dataset, edition in rows:
        cells[(indicator, int(year))].add(_label(dataset, edition))
    return Coverage(area, {k: tuple(sorted(v)) for k, v in cells.items()})


def coverage_checks(coverage: Coverage, latest_expected: int = 2020) -> list[Check]:
    """Missing core indicators, stale indicators and gaps, as checks."""
    checks: list[Check] = []
    for indicator in CORE:
        years = sorted(y for i, y in coverage.cells if i == indicator)
        if not years:
            checks.append(Check("coverage-missing", coverage.area, "fail",
                                f"no source gives {indicator} for {coverage.area}"))
            continue
        sources = sorted({s for (i, _), ss in coverage.cells.items() if i == indicator for s in ss})
        gaps = coverage.gaps(indicator)
        if years[-1] < latest_expected:
            checks.append(Check("coverage-stale", coverage.area, "warn",
                                f"{indicator}: latest year {years[-1]} (before {latest_expected})",
                                tuple(sources), {"latest": years[-1]}))
        if len(years) < THIN:
            checks.append(Check("coverage-thin", coverage.area, "warn",
                                f"{indicator}: only {len(years)} year(s) ({_years_text(years)})",
                                tuple(sources), {"years": years}))
        elif gaps:
            checks.append(Check("coverage-gap", coverage.area, "warn",
                                f"{indicator}: {len(gaps)} year(s) without any source between "
                                f"{years[0]} and {years[-1]} ({_years_text(gaps)})",
                                tuple(sources), {"gaps": gaps}))
        else:
            checks.append(Check("coverage-ok", coverage.area, "ok",
                                f"{indicator}: {years[0]}–{years[-1]} from {len(sources)} "
                                f"source(s)", tuple(sources),
                                {"first": years[0], "latest": years[-1]}))
    return checks


def _years_text(years: list[int]) -> str:
    return ", ".join(map(str, years[:8])) + (" …" if len(years) > 8 else "")
