"""Alerts: breaks and unusual changes found in the warehouse's series.

A series is one key of one release: ``area_indicator:<indicator>:<area>``,
``migrant_stock:<origin>><destination>`` or ``bilateral_indicator:<indicator>:<o>><d>``.
Each alert carries that id, the release id and the source's official URL, so
"where does this come from?" is answered beside the alert.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
from numpy.typing import ArrayLike

from steppe.monitor.breaks import detect_breaks, unusual_changes

CENTRAL_ASIA: tuple[str, ...] = ("KAZ", "KGZ", "TJK", "TKM", "UZB")


@dataclass(frozen=True)
class Alert:
    """One finding in one series.

    Attributes
    ----------
    series_id : str
        ``<table>:<indicator>:<key>`` (see module docstring).
    kind : str
        ``break`` (trend break) or ``unusual_change`` (period-on-period change).
    time : int
        Year of the break (first year of the new trend) or of the change.
    percent : float
        Size as a relative change, in percent.
    detail : str
        One line explaining the finding.
    release_id, url : str
        Where the series comes from.
    """

    series_id: str
    kind: str
    time: int
    percent: float
    detail: str
    release_id: str = ""
    url: str = ""


def series_alerts(
    series_id: str,
    t: ArrayLike,
    y: ArrayLike,
    *,
    release_id: str = "",
    url: str = "",
    min_size: int = 4,
    window: int = 5,
    threshold: float = 3.0,
) -> list[Alert]:
    """Alerts for one series (pure: arrays in, alerts out), in time order."""
    out = [
        Alert(series_id, "break", int(b.time), b.percent,
              f"trend break: level {b.percent:+.0f}%, trend {np.expm1(b.slope_before) * 100:+.1f}%/period "
              f"before, {np.expm1(b.slope_after) * 100:+.1f}% after", release_id, url)
        for b in detect_breaks(t, y, min_size=min_size)
    ]
    out += [
        Alert(series_id, "unusual_change", int(c.time), c.percent,
              f"change {c.percent:+.0f}% against {np.expm1(c.expected) * 100:+.0f}% expected "
              f"(z = {c.z:+.1f})", release_id, url)
        for c in unusual_changes(t, y, window=window, threshold=threshold)
    ]
    return sorted(out, key=lambda a: (a.time, a.kind))


_SERIES_SQL = {
    "area_indicator": """
        SELECT 'area_indicator:' || indicator || ':' || area || ' [' || unit || ']' AS sid,
               a.release_id, r.url,
               list(year ORDER BY year) AS t, list(value ORDER BY year) AS y
        FROM area_indicator a LEFT JOIN releases r USING (release_id)
        WHERE sex = 'total' AND area IN (SELECT unnest($areas)) GROUP BY ALL""",
    "migrant_stock": """
        SELECT 'migrant_stock:' || origin || '>' || destination AS sid, m.release_id, r.url,
               list(year ORDER BY year) AS t, list(value ORDER BY year) AS y
        FROM migrant_stock m LEFT JOIN releases r USING (release_id)
        WHERE sex = 'total' AND length(origin) = 3 AND length(destination) = 3
          AND (origin IN (SELECT unnest($areas)) OR destination IN (SELECT unnest($areas)))
        GROUP BY ALL""",
    "bilateral_indicator": """
        SELECT 'bilateral_indicator:' || indicator || ':' || origin || '>' || destination AS sid,
               b.release_id, r.url, list(year ORDER BY year) AS t, list(value ORDER BY year) AS y
        FROM bilateral_indicator b LEFT JOIN releases r USING (release_id)
        WHERE year IS NOT NULL
          AND (origin IN (SELECT unnest($areas)) OR destination IN (SELECT unnest($areas)))
        GROUP BY ALL""",
}


def warehouse_series(
    con: duckdb.DuckDBPyConnection, areas: Sequence[str] = CENTRAL_ASIA
) -> Iterator[tuple[str, str, str, list[int], list[float]]]:
    """Yield (series_id, release_id, url, years, values) for series touching ``areas``."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    for table, sql in _SERIES_SQL.items():
        if table not in tables:
            continue
        for sid, rid, url, t, y in con.execute(sql, {"areas": list(areas)}).fetchall():
            yield str(sid), str(rid), str(url or ""), list(t), list(y)


def scan(
    con: duckdb.DuckDBPyConnection,
    areas: Sequence[str] = CENTRAL_ASIA,
    *,
    since: int | None = None,
    threshold: float = 3.0,
    min_level: float = 1000.0,
) -> list[Alert]:
    """Alerts for every warehouse series touching ``areas``, newest first.

    Five-yearly series (UN DESA stocks) use segments of 3 points and a window of 3.
    Bilateral series that never reach ``min_level`` (e.g. corridors of a few hundred
    people, where changes are mostly rounding) are skipped.
    """
    alerts: list[Alert] = []
    for sid, rid, url, t, y in warehouse_series(con, areas):
        if not sid.startswith("area_indicator:") and max(y, default=0.0) < min_level:
            continue
        steps = np.diff(np.asarray(t, dtype=float))
        sparse = len(steps) > 0 and float(np.median(steps)) > 1
        found = series_alerts(sid, t, y, release_id=rid, url=url, threshold=threshold,
                              min_size=3 if sparse else 4, window=3 if sparse else 5)
        alerts += [a for a in found if since is None or a.time >= since]
    return sorted(alerts, key=lambda a: (-a.time, -abs(a.percent)))
