"""The corridor panel (origin × destination × year) read from the warehouse.

One DuckDB query builds the square panel of countries for one release of the
bilateral stock (absent pairs are zeros, as UN DESA omits pairs with no migrants),
joins the time-invariant pair covariates (distance, contiguity, common languages)
and the country-year covariates at both ends (GDP per capita, population), and
:func:`add_policy` adds the dated policy variables. Aggregates and UN DESA's
"other" origin are left out: only ``areas.kind = 'country'`` rows enter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from steppe.errors import InvalidOptionError, NotLoadedError
from steppe.gravity.policy import both_members, observation_date

DEFAULT_ORGS: Mapping[str, str] = {"eeu": "EEU", "cis": "CIS"}
"""Policy column -> organisation id in the governance knowledge base."""

_STOCK_SQL = """
    SELECT origin, destination, year, sum(value) AS y
    FROM migrant_stock
    WHERE release_id = $release AND sex = $sex
    GROUP BY ALL
"""

_FLOW_SQL = """
    WITH runs AS (
        SELECT run_id, period_start FROM flow_runs
        WHERE method = $method AND revision = $revision
        QUALIFY row_number() OVER (PARTITION BY period_start ORDER BY created_at DESC) = 1
    )
    SELECT f.origin, f.destination, CAST(runs.period_start AS SMALLINT) AS year, sum(f.value) AS y
    FROM flow_estimate f JOIN runs USING (run_id)
    GROUP BY ALL
"""

_PANEL_SQL = """
WITH stock AS ({outcome}),
countries AS (
    SELECT area_id FROM areas WHERE kind = 'country'
    AND area_id IN (SELECT origin FROM stock UNION SELECT destination FROM stock)
),
years AS (SELECT DISTINCT year FROM stock),
pairs AS (
    SELECT o.area_id AS origin, d.area_id AS destination, years.year
    FROM countries o, countries d, years
    WHERE o.area_id <> d.area_id
),
ind AS (
    SELECT area, year, indicator, value FROM area_indicator
    WHERE sex = 'total' AND ((indicator = 'gdp_per_capita' AND unit = $gdp_unit)
                             OR (indicator = 'population' AND unit = 'persons'))
    QUALIFY row_number() OVER (PARTITION BY area, year, indicator ORDER BY release_id DESC) = 1
),
bil AS (
    SELECT origin, destination, indicator, value FROM bilateral_indicator
    WHERE year IS NULL AND indicator IN
        ('distance_km', 'contiguity', 'common_official_language', 'common_language_ethno')
    QUALIFY row_number() OVER (PARTITION BY origin, destination, indicator ORDER BY release_id DESC) = 1
),
bilw AS (
    PIVOT bil ON indicator IN
        ('distance_km', 'contiguity', 'common_official_language', 'common_language_ethno')
    USING first(value) GROUP BY origin, destination
)
SELECT p.origin, p.destination, p.year, coalesce(s.y, 0.0) AS y,
       coalesce(b1.distance_km, b2.distance_km) AS distance_km,
       coalesce(b1.contiguity, b2.contiguity) AS contiguity,
       coalesce(b1.common_official_language, b2.common_official_language) AS common_official_language,
       coalesce(b1.common_language_ethno, b2.common_language_ethno) AS common_language_ethno,
       go.value AS gdppc_o, gd.value AS gdppc_d, po.value AS pop_o, pd.value AS pop_d
FROM pairs p
LEFT JOIN stock s USING (origin, destination, year)
LEFT JOIN bilw b1 ON b1.origin = p.origin AND b1.destination = p.destination
LEFT JOIN bilw b2 ON b2.origin = p.destination AND b2.destination = p.origin
LEFT JOIN ind go ON go.area = p.origin AND go.year = p.year AND go.indicator = 'gdp_per_capita'
LEFT JOIN ind gd ON gd.area = p.destination AND gd.year = p.year AND gd.indicator = 'gdp_per_capita'
LEFT JOIN ind po ON po.area = p.origin AND po.year = p.year AND po.indicator = 'population'
LEFT JOIN ind pd ON pd.area = p.destination AND pd.year = p.year AND pd.indicator = 'population'
ORDER BY p.origin, p.destination, p.year
"""


@dataclass(frozen=True)
class CorridorPanel:
    """A corridor panel and where it comes from.

    Attributes
    ----------
    frame : DataFrame
        One row per origin, destination, year: ``y`` (outcome), ``ln_distance``,
        ``contiguity``, ``common_official_language``, ``common_language_ethno``
        (CEPII's ≥9% rule, which captures Russian as a lingua franca),
        ``ln_gdppc_o``/``_d``, ``ln_pop_o``/``_d`` and policy columns.
    release_id : str
        The release of the outcome.
    sources : tuple of str
        Every release id the covariates were read from.
    """

    frame: pd.DataFrame
    release_id: str
    sources: tuple[str, ...] = field(default=())


def _table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
    ).fetchone()
    return bool(row and row[0])


def stock_release(con: duckdb.DuckDBPyConnection, edition: str | None = "2020") -> str:
    """The release id of the UN DESA bilateral stock edition (newest load)."""
    where = "release_id LIKE 'un_desa_stock@%'" + (" AND release_id LIKE $pat" if edition else "")
    params = {"pat": f"un_desa_stock@{edition}#%"} if edition else {}
    row = con.execute(
        f"SELECT release_id FROM migrant_stock WHERE {where} GROUP BY release_id "
        "ORDER BY release_id DESC LIMIT 1",
        params,
    ).fetchone()
    if not row:
        raise NotLoadedError(
            f"the UN DESA bilateral migrant stock (edition {edition or 'any'})",
            "run `steppe ingest --from ../shared/data` to load ms2020org.csv.gz",
        )
    return str(row[0])


def build_panel(
    con: duckdb.DuckDBPyConnection,
    *,
    release_id: str | None = None,
    edition: str | None = "2020",
    sex: str = "total",
    involving: Sequence[str] | None = None,
    outcome: str = "stock",
    flow_method: str = "demographic-accounting",
    gdp_unit: str = "usd_2015",
) -> CorridorPanel:
    """Build the corridor panel of one stock release.

    Parameters
    ----------
    con : duckdb connection
        A warehouse reader (``Warehouse(path).reader()``).
    release_id : str, optional
        The stock release; default the newest load of ``edition``.
    edition : str, optional
        UN DESA revision used when ``release_id`` is not given (never mixed).
    sex : {'total', 'male', 'female'}
    involving : sequence of area ids, optional
        Keep only corridors with origin or destination among these (e.g. the
        Central Asian subset).
    outcome : {'stock', 'flow'}
        Bilateral stocks, or estimated flows from ``flow_estimate`` (the newest run of
        ``flow_method`` per period of the ``edition`` revision; ``year`` is the period's
        first year, zeros where the run has no cell).
    flow_method : str
        Flow estimation method when ``outcome='flow'``.
    gdp_unit : str
        Unit of ``gdp_per_capita`` to use (``usd_2015``: WDI constant 2015 US$, the
        default, so growth is real; ``usd``: current US$). Units are never mixed.
    """
    if outcome not in ("stock", "flow"):
        raise InvalidOptionError("outcome", outcome, ("stock", "flow"))
    for table in ("migrant_stock", "areas"):
        if not _table_exists(con, table):
            raise NotLoadedError(f"table {table}")
    if outcome == "flow":
        count = con.execute("SELECT count(*) FROM flow_runs WHERE method = ? AND revision = ?",
                            [flow_method, edition or ""]).fetchone() if _table_exists(con, "flow_runs") else None
        if not count or not count[0]:
            raise NotLoadedError(f"flow estimates ({flow_method}, revision {edition})",
                                 "run `steppe flows` to estimate and store them")
        rid = f"flow_estimate:{flow_method}@{edition}"
        params = {"method": flow_method, "revision": edition, "gdp_unit": gdp_unit}
        frame = con.execute(_PANEL_SQL.format(outcome=_FLOW_SQL), params).df()
    else:
        rid = release_id or stock_release(con, edition)
        frame = con.execute(_PANEL_SQL.format(outcome=_STOCK_SQL), {"release": rid, "sex": sex, "gdp_unit": gdp_unit}).df()
    if involving is not None:
        keep = set(involving)
        frame = frame[frame.origin.isin(keep) | frame.destination.isin(keep)].reset_index(drop=True)
    with np.errstate(divide="ignore"):
        frame["ln_distance"] = np.log(frame.pop("distance_km").astype(float))
        for end in ("o", "d"):
            frame[f"ln_gdppc_{end}"] = np.log(frame.pop(f"gdppc_{end}").astype(float))
            frame[f"ln_pop_{end}"] = np.log(frame.pop(f"pop_{end}").astype(float))
    frame["year"] = frame["year"].astype(int)
    sources = con.execute(
        "SELECT DISTINCT release_id FROM bilateral_indicator UNION "
        "SELECT DISTINCT release_id FROM area_indicator WHERE indicator IN ('gdp_per_capita', 'population')"
    ).fetchall()
    return CorridorPanel(frame, rid, tuple(sorted({rid, *(r[0] for r in sources)})))


def add_policy(
    frame: pd.DataFrame,
    is_member: Callable[[str, str, dt.date], bool],
    orgs: Mapping[str, str] = DEFAULT_ORGS,
    *,
    month: int = 7,
    day: int = 1,
) -> pd.DataFrame:
    """Add one 0/1 column per organisation: both ends members on the observation date.

    Parameters
    ----------
    frame : DataFrame with ``origin``, ``destination``, ``year``
    is_member : callable ``(org, country, date) -> bool``
    orgs : mapping of column name to organisation id
    month, day : int
        Observation date within the year (default 1 July, UN DESA's reference).
    """
    out = frame.copy()
    dates = [observation_date(y, month, day) for y in out["year"]]
    for column, org in orgs.items():
        out[column] = both_members(is_member, org, out["origin"], out["destination"], dates)
    return out

