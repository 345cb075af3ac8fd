"""Data quality: coverage, mirror statistics, consistency, a score with reasons, a report.

``assess(con, area)`` runs every check for one country and scores it;
``assess_corridor(con, origin, destination)`` does the same for one corridor. Checks
return :class:`~steppe.quality.checks.Check` records with stable codes; nothing here
raises on bad data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from steppe.quality.checks import Check
from steppe.quality.consistency import consistency_checks, revision_checks
from steppe.quality.coverage import Coverage, coverage_checks, read_coverage
from steppe.quality.mirror import MirrorPair, mirror_checks, mirror_corridor
from steppe.quality.score import Score, score_checks

__all__ = ["Assessment", "Check", "assess", "assess_corridor", "partners"]


@dataclass(frozen=True)
class Assessment:
    """Everything the quality checks found for one country."""

    area: str
    score: Score
    coverage: Coverage
    mirror: list[MirrorPair]

    def to_json(self) -> dict[str, Any]:
        return {"area": self.area, "score": self.score.score, "reasons": self.score.reasons,
                "checks": [c.to_dict() for c in self.score.checks]}


def partners(con: duckdb.DuckDBPyConnection, area: str, top: int = 5) -> list[str]:
    """The countries with the largest corridors to or from ``area`` (newest UN DESA revision)."""
    rows = con.execute("""
        WITH latest AS (
            SELECT s.* FROM migrant_stock s JOIN releases r USING (release_id)
            WHERE r.dataset = 'un_desa_stock' AND s.sex = 'total'
              AND r.edition = (SELECT max(edition) FROM releases WHERE dataset = 'un_desa_stock'))
        SELECT partner FROM (
            SELECT CASE WHEN origin = $1 THEN destination ELSE origin END AS partner,
                   max(value) AS v FROM latest
            WHERE $1 IN (origin, destination) AND year = (SELECT max(year) FROM latest)
              AND origin IN (SELECT area_id FROM areas WHERE kind = 'country')
              AND destination IN (SELECT area_id FROM areas WHERE kind = 'country')
              AND origin <> destination
            GROUP BY 1) ORDER BY v DESC LIMIT $2
    """, [area, top]).fetchall()
    return [r[0] for r in rows]


def assess(con: duckdb.DuckDBPyConnection, area: str, top_partners: int = 5) -> Assessment:
    """Run coverage, mirror (the largest corridors both ways) and consistency checks."""
    coverage = read_coverage(con, area)
    pairs: list[MirrorPair] = []
    for partner in partners(con, area, top_partners):
        pairs += mirror_corridor(con, area, partner) + mirror_corridor(con, partner, area)
    checks = coverage_checks(coverage) + mirror_checks(pairs) + consistency_checks(con, area)
    return Assessment(area, score_checks(area, checks), coverage, pairs)


def assess_corridor(con: duckdb.DuckDBPyConnection, origin: str, destination: str) -> Score:
    """Score one corridor: source agreement and UN DESA revisions of that corridor."""
    pairs = mirror_corridor(con, origin, destination)
    checks = mirror_checks(pairs) + _corridor_revisions(con, origin, destination)
    return score_checks(f"{origin}→{destination}", checks)


def _corridor_revisions(con: duckdb.DuckDBPyConnection, origin: str, destination: str
                        ) -> list[Check]:
    rows = con.execute("""
        SELECT r.edition, s.year, s.value FROM migrant_stock s JOIN releases r USING (release_id)
        WHERE r.dataset = 'un_desa_stock' AND s.sex = 'total' AND s.origin = ?
          AND s.destination = ?
    """, [origin, destination]).fetchall()
    by_edition: dict[str, dict[tuple[str, str, int], float]] = {}
    for edition, year, value in rows:
        by_edition.setdefault(edition, {})[(origin, destination, int(year))] = float(value)
    return revision_checks(f"{origin}→{destination}", by_edition)
