"""Mirror statistics: the same corridor seen by different sources and from both ends.

Two concepts are compared, never mixed:

* **stock** – migrants born in the origin living in the destination: UN DESA revisions
  (``un_desa_stock@<edition>``), the reference documents' figures, the KNOMAD/World
  Bank migration matrices, and national counts of citizens abroad (``citizens_abroad``:
  by citizenship on 1 January, so a different definition — a gap is expected);
* **flow** – registered moves in one year: the destination's count of immigrants
  from the origin (``immigration_registered``) against the origin's count of
  emigrants to the destination (``emigration_registered``), from national tables.

A source's value is set against another source's value for the same year or, when the
other source has estimates on both sides within five years, its linear interpolation
(flagged ``interpolated``). Pairs of two UN DESA revisions are revisions, not mirrors
(see :mod:`.consistency`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import duckdb

from steppe.quality.checks import Check, beyond

Series = dict[str, dict[int, float]]  #: source label -> year -> value

#: relative difference beyond which a mirror pair is flagged
THRESHOLD = 0.25
_MAX_GAP = 5


@dataclass(frozen=True)
class MirrorPair:
    """One corridor-year seen by two sources."""

    corridor: str
    concept: str
    year: int
    source_a: str
    value_a: float
    source_b: str
    value_b: float
    ratio: float | None  #: value_a / value_b
    abs_diff: float
    interpolated: bool  #: value_b interpolated between two of source_b's years
    flagged: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def value_at(points: dict[int, float], year: int) -> tuple[float, bool] | None:
    """A series' value in ``year``: exact, else linear between neighbours ≤ 5 years apart."""
    if year in points:
        return points[year], False
    before = [y for y in points if y < year]
    after = [y for y in points if y > year]
    if not before or not after:
        return None
    lo, hi = max(before), min(after)
    if hi - lo > _MAX_GAP:
        return None
    weight = (year - lo) / (hi - lo)
    return points[lo] + weight * (points[hi] - points[lo]), True


def _is_revision_pair(a: str, b: str) -> bool:
    return a.startswith("un_desa_stock@") and b.startswith("un_desa_stock@")


def compare(series: Series, corridor: str, concept: str,
            threshold: float = THRESHOLD) -> list[MirrorPair]:
    """Every pair of sources with a value (or interpolation) for the same year."""
    pairs: list[MirrorPair] = []
    labels = sorted(series)
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            if _is_revision_pair(a, b):
                continue
            for first, second in ((a, b), (b, a)):
                for year, value_a in sorted(series[first].items()):
                    got = value_at(series[second], year)
                    if got is None:
                        continue
                    value_b, interpolated = got
                    if interpolated and first > second and year in series[second]:
                        continue
                    if first == b and year in series[a]:
                        continue  # exact pair already seen from a's side
                    pairs.append(MirrorPair(
                        corridor, concept, year, first, value_a, second, value_b,
                        value_a / value_b if value_b else None, abs(value_a - value_b),
                        interpolated, beyond(value_a, value_b, threshold)))
    return sorted(pairs, key=lambda p: (p.concept, p.year, p.source_a, p.source_b))


def read_series(con: duckdb.DuckDBPyConnection, origin: str, destination: str
                ) -> dict[str, Series]:
    """Stock and flow series of one corridor, by source label."""
    rows = con.execute("""
        SELECT 'stock', r.dataset || '@' || r.edition, s.year, s.value FROM migrant_stock s
        JOIN releases r USING (release_id)
        WHERE s.origin = $1 AND s.destination = $2 AND s.sex = 'total'
        UNION ALL
        SELECT CASE WHEN b.indicator IN ('migrant_stock_knomad', 'citizens_abroad') THEN 'stock'
                    ELSE 'flow' END,
               CASE WHEN b.indicator = 'migrant_stock_knomad' THEN r.dataset || '@' || r.edition
                    ELSE b.indicator || ' (' || r.file_name || ')' END, b.year, b.value
        FROM bilateral_indicator b JOIN releases r USING (release_id)
        WHERE b.origin = $1 AND b.destination = $2 AND b.indicator IN
              ('migrant_stock_knomad', 'citizens_abroad', 'immigration_registered',
               'emigration_registered')
    """, [origin, destination]).fetchall()
    out: dict[str, Series] = {"stock": {}, "flow": {}}
    for concept, label, year, value in rows:
        out[concept].setdefault(label, {})[int(year)] = float(value)
    return out


def mirror_corridor(con: duckdb.DuckDBPyConnection, origin: str, destination: str,
                    threshold: float = THRESHOLD) -> list[MirrorPair]:
    """All mirror pairs of one corridor (origin → destination)."""
    corridor = f"{origin}→{destination}"
    return [p for concept, series in read_series(con, origin, destination).items()
            for p in compare(series, corridor, concept, threshold)]


def mirror_checks(pairs: list[MirrorPair]) -> list[Check]:
    """One check per flagged pair (and one 'ok' per corridor without discrepancies)."""
    checks = [Check("mirror-discrepancy", p.corridor, "warn",
                    f"{p.corridor} {p.concept} {p.year}: {p.source_a} {p.value_a:,.0f} vs "
                    f"{p.source_b} {p.value_b:,.0f}{' (interpolated)' if p.interpolated else ''}"
                    f" — ratio {p.ratio:.2f}" if p.ratio else "",
                    (p.source_a, p.source_b), p.to_dict())
              for p in pairs if p.flagged]
    for corridor in sorted({p.corridor for p in pairs} - {c.subject for c in checks}):
        n = sum(1 for p in pairs if p.corridor == corridor)
        checks.append(Check("mirror-agree", corridor, "ok",
                            f"{corridor}: {n} source pair(s) agree within {THRESHOLD:.0%}"))
    return checks
