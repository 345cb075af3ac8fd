"""Warehouse adapter: flow inputs from UN DESA stocks and WPP, flow runs back in.

Inputs for a period ``start–end`` and a UN DESA revision:

* bilateral stocks by place of birth (``migrant_stock``, sex ``total``) at both
  ends, among countries only (UN DESA's aggregates and unknown origin are left out);
* populations (``area_indicator``, ``population``, 1 July) at both ends, and
  native-born = population − all foreign-born of the destination (UN DESA's World
  origin row). Foreign-born of unknown birthplace (UN DESA's "Other") or born in a
  region left out are spread over the destination's known birthplaces in proportion,
  so every column sums to the population; a destination with no known birthplace
  keeps them with its native-born (a message counts both);
* births and deaths during the period from the same WPP edition: the 5-year
  ``births_period``/``deaths_period`` when the period is one WPP period (WPP 2019),
  otherwise the calendar-year ``births``/``deaths`` summed from mid-year to
  mid-year (half of the first and last years; WPP 2024).

The WPP edition defaults to the newest loaded one not newer than the stock revision
(2020 → WPP 2019, 2024 → WPP 2024). Regions are the countries with population at
both ends and births and deaths for the period.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from steppe.errors import InvalidOptionError, NotLoadedError
from steppe.flows.checks import Array
from steppe.flows.runs import FlowInputs, FlowRun, estimate
from steppe.warehouse import Warehouse, fetch_records
from steppe.warehouse.stock_query import StockQuery, resolve_release

WPP = "un_wpp"
WORLD = "M49:900"
_PERIOD = re.compile(r"^\s*(\d{4})\s*[-–/:]\s*(\d{4})\s*$")
_COUNTRIES = "(SELECT area_id FROM areas WHERE kind = 'country')"


def parse_period(text: str) -> tuple[int, int]:
    """``'2015-2020'`` → ``(2015, 2020)``."""
    match = _PERIOD.match(str(text))
    if not match or int(match[1]) >= int(match[2]):
        raise InvalidOptionError("--period", text, "two years, the first earlier, e.g. 2015-2020")
    return int(match[1]), int(match[2])


def read_inputs(con: duckdb.DuckDBPyConnection, period: tuple[int, int],
                revision: str | None = None, wpp: str | None = None) -> FlowInputs:
    """Build the inputs of one period from an open warehouse connection."""
    start, end = period
    stock_release, revision = resolve_release(con, StockQuery(revision=revision))
    years = [r[0] for r in con.execute(
        "SELECT DISTINCT year FROM migrant_stock WHERE release_id = ? ORDER BY year",
        [stock_release]).fetchall()]
    if start not in years or end not in years:
        raise InvalidOptionError("--period", f"{start}-{end}",
                                 f"two stock years of UN DESA revision {revision}: {years}")
    wpp = wpp or _default_wpp(con, revision)
    pop = _indicator(con, wpp, "population", [start, end])
    births, deaths, event_releases = _events(con, wpp, start, end)
    have = [a for a in sorted(set(births) & set(deaths))
            if (a, start) in pop and (a, end) in pop]
    if not have:
        raise NotLoadedError(f"WPP {wpp} population, births and deaths for {start}-{end}",
                             "run `steppe ingest --from ../shared/data --dataset un_wpp`")
    index = {a: i for i, a in enumerate(have)}
    tables, fb_total = [], []
    for year in (start, end):
        table, world = _stock_table(con, stock_release, year, index)
        tables.append(table)
        fb_total.append(world)
    n = len(have)
    messages = []
    for t, year in enumerate((start, end)):
        population = np.array([pop[(a, year)][0] for a in have])
        foreign = np.array([fb_total[t].get(a, 0.0) for a in have])
        known = tables[t].sum(axis=0)
        spread = (known > 0) & (foreign > known)
        tables[t][:, spread] *= foreign[spread] / known[spread]
        native = population - np.where(spread | (known > foreign), foreign, known)
        tables[t][np.arange(n), np.arange(n)] = native
        unplaced = np.maximum(foreign - known, 0.0)
        messages.append(
            f"{year}: {unplaced[spread].sum():,.0f} foreign-born of unknown birthplace (or born "
            f"in a region without WPP data) spread over the known birthplaces of "
            f"{int(spread.sum())} destinations; {unplaced[~spread].sum():,.0f} in "
            f"{int(((~spread) & (unplaced > 0)).sum())} destinations with no known birthplace "
            "counted with the native-born")
    releases = {stock_release} | {pop[k][1] for k in pop} | event_releases
    return FlowInputs(tuple(have), (start, end), revision, wpp, tables[0], tables[1],
                      np.array([births[a] for a in have]), np.array([deaths[a] for a in have]),
                      tuple(sorted(releases)), tuple(messages))


def _default_wpp(con: duckdb.DuckDBPyConnection, revision: str) -> str:
    rows = [str(r[0]) for r in con.execute(
        "SELECT DISTINCT edition FROM releases WHERE dataset = ? ORDER BY edition DESC",
        [WPP]).fetchall()]
    if not rows:
        raise NotLoadedError("UN World Population Prospects (births, deaths, population)",
                             "run `steppe ingest --from ../shared/data --dataset un_wpp`")
    older = [e for e in rows if e <= revision]
    return older[0] if older else rows[-1]


def _indicator(con: duckdb.DuckDBPyConnection, wpp: str, indicator: str,
               years: list[int]) -> dict[tuple[str, int], tuple[float, str]]:
    """{(area, year): (value, release_id)} of one WPP edition, countries, sex total."""
    rows = con.execute(f"""
        SELECT i.area, i.year, arg_max(i.value, r.loaded_at), arg_max(i.release_id, r.loaded_at)
        FROM area_indicator i JOIN releases r USING (release_id)
        WHERE r.dataset = ? AND r.edition = ? AND i.indicator = ? AND i.sex = 'total'
          AND i.year IN (SELECT unnest(?)) AND i.area IN {_COUNTRIES}
        GROUP BY i.area, i.year""", [WPP, wpp, indicator, years]).fetchall()
    return {(a, int(y)): (float(v), rel) for a, y, v, rel in rows}


def _events(con: duckdb.DuckDBPyConnection, wpp: str, start: int,
            end: int) -> tuple[dict[str, float], dict[str, float], set[str]]:
    """Births and deaths of the period by area, and the releases they came from."""
    out: list[dict[str, float]] = []
    releases: set[str] = set()
    for name in ("births", "deaths"):
        period = _indicator(con, wpp, f"{name}_period", [start]) if end - start == 5 else {}
        if period:
            out.append({a: v for (a, _), (v, _) in period.items()})
            releases |= {rel for _, rel in period.values()}
            continue
        annual = _indicator(con, wpp, name, list(range(start, end + 1)))
        totals: dict[str, float] = {}
        count: dict[str, int] = {}
        for (a, y), (v, rel) in annual.items():
            weight = 0.5 if y in (start, end) else 1.0
            totals[a] = totals.get(a, 0.0) + weight * v
            count[a] = count.get(a, 0) + 1
            releases.add(rel)
        out.append({a: v for a, v in totals.items() if count[a] == end - start + 1})
        if not out[-1]:
            raise NotLoadedError(f"WPP {wpp} {name} for {start}-{end}",
                                 "run `steppe ingest --from ../shared/data --dataset un_wpp`")
    return out[0], out[1], releases


def _stock_table(con: duckdb.DuckDBPyConnection, release: str, year: int,
                 index: dict[str, int]) -> tuple[Array, dict[str, float]]:
    """(n, n) foreign-born table of one year (zero diagonal) and all foreign-born by destination."""
    rows = con.execute(
        "SELECT origin, destination, value FROM migrant_stock WHERE release_id = ? AND year = ? "
        "AND sex = 'total' AND origin <> destination", [release, year]).fetchall()
    table = np.zeros((len(index), len(index)))
    world: dict[str, float] = {}
    known: dict[str, float] = {}
    for origin, dest, value in rows:
        if origin == WORLD:
            world[dest] = float(value)
        elif not origin.startswith("M49:"):
            known[dest] = known.get(dest, 0.0) + float(value)
            if origin in index and dest in index:
                table[index[origin], index[dest]] = float(value)
    for dest, value in known.items():  # no World row: the sum of countries and 'OTHER'
        world.setdefault(dest, value)
    return table, world



# -- flow runs ----------------------------------------------------------------------
def estimate_and_store(warehouse: Warehouse, period: tuple[int, int],
                       method: str = "demographic-accounting", revision: str | None = None,
                       wpp: str | None = None, parameters: Mapping[str, Any] | None = None,
                       on_step: Callable[[str], None] = lambda step: None) -> FlowRun:
    """Read the inputs, estimate and store the run in one writer session."""
    with warehouse.writer() as con:
        on_step("reading stocks, populations, births and deaths")
        inputs = read_inputs(con, period, revision, wpp)
        on_step(f"estimating {len(inputs.areas)} × {len(inputs.areas)} flows ({method})")
        run = estimate(inputs, method, parameters)
        on_step("storing the estimates")
        save_run(con, run)
    return run


def save_run(con: duckdb.DuckDBPyConnection, run: FlowRun) -> int:
    """Write a run (replacing a run with the same id); returns the corridors stored."""
    inputs = run.inputs
    con.execute("DELETE FROM flow_estimate WHERE run_id = ?", [run.run_id])
    con.execute("DELETE FROM flow_runs WHERE run_id = ?", [run.run_id])
    params = {**run.parameters, "wpp_edition": inputs.wpp_edition, "regions": len(inputs.areas)}
    con.execute("INSERT INTO flow_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [run.run_id, run.method, inputs.period[0], inputs.period[1], inputs.revision,
                 json.dumps(params, default=str), list(inputs.releases),
                 datetime.now(UTC).replace(tzinfo=None), run.code_version])
    # corridors with a positive estimate, or a positive upper bound when there is one
    keep = run.od > 0 if run.upper is None else (run.od > 0) | (run.upper > 0)
    np.fill_diagonal(keep, False)
    origin, dest = np.nonzero(keep)
    areas = np.array(inputs.areas, dtype=object)
    n = len(origin)

    def bound(values: Array | None) -> pa.Array:
        return pa.nulls(n, pa.float64()) if values is None else pa.array(values[origin, dest])

    table = pa.table({"run_id": pa.array([run.run_id] * n, pa.string()),
                      "origin": pa.array(areas[origin].tolist(), pa.string()),
                      "destination": pa.array(areas[dest].tolist(), pa.string()),
                      "value": pa.array(run.od[origin, dest]),
                      "lower": bound(run.lower), "upper": bound(run.upper)})
    con.register("_flow_rows", table)
    try:
        con.execute("INSERT INTO flow_estimate SELECT * FROM _flow_rows")
    finally:
        con.unregister("_flow_rows")
    return len(origin)


def query_estimates(con: duckdb.DuckDBPyConnection, origin: str | None = None,
                    destination: str | None = None, method: str | None = None,
                    revision: str | None = None, latest: bool = True) -> list[dict[str, Any]]:
    """Stored estimates of corridors, by period and method (newest run per key if ``latest``).

    Each record: origin, destination, period, method, revision, value, lower, upper (None
    unless the method gives intervals), level (their nominal coverage) and run_id.
    """
    _require_flow_tables(con)
    filters, params = ["TRUE"], []
    for column, value in (("e.origin", origin), ("e.destination", destination),
                          ("r.method", method), ("r.revision", revision)):
        if value:
            filters.append(f"{column} = ?")
            params.append(value)
    keep = ("QUALIFY row_number() OVER (PARTITION BY e.origin, e.destination, r.method, "
            "r.revision, r.period_start, r.period_end ORDER BY r.created_at DESC) = 1"
            if latest else "")
    cursor = con.execute(f"""
        SELECT e.origin, e.destination, r.period_start || '-' || r.period_end AS period,
               r.method, r.revision, e.value, e.lower, e.upper,
               TRY_CAST(r.parameters->>'level' AS DOUBLE) AS level, r.run_id
        FROM flow_estimate e JOIN flow_runs r USING (run_id)
        WHERE {' AND '.join(filters)} {keep}
        ORDER BY e.origin, e.destination, r.period_start, r.method, r.revision""", params)
    return fetch_records(cursor)


def period_matrix(con: duckdb.DuckDBPyConnection, period: tuple[int, int],
                  method: str = "demographic-accounting",
                  revision: str | None = None) -> tuple[tuple[str, ...], Array, str]:
    """(areas, (n, n) flows, run id) of the newest stored run of a period."""
    _require_flow_tables(con)
    params: list[Any] = [period[0], period[1], method]
    where = "period_start = ? AND period_end = ? AND method = ?"
    if revision:
        where += " AND revision = ?"
        params.append(revision)
    row = con.execute(f"SELECT run_id FROM flow_runs WHERE {where} "
                      "ORDER BY revision DESC, created_at DESC LIMIT 1", params).fetchone()
    if row is None:
        rev = f" --revision {revision}" if revision else ""
        raise NotLoadedError(f"a {method} estimate for {period[0]}-{period[1]}",
                             f"run `steppe flows estimate --period {period[0]}-{period[1]} "
                             f"--method {method}{rev}` first")
    rows = con.execute("SELECT origin, destination, value FROM flow_estimate WHERE run_id = ?",
                       [row[0]]).fetchall()
    areas = tuple(sorted({r[0] for r in rows} | {r[1] for r in rows}))
    index = {a: i for i, a in enumerate(areas)}
    od = np.zeros((len(areas), len(areas)))
    for o, d, v in rows:
        od[index[o], index[d]] = v
    return areas, od, row[0]


def _require_flow_tables(con: duckdb.DuckDBPyConnection) -> None:
    found = con.execute("SELECT count(*) FROM information_schema.tables "
                        "WHERE table_name IN ('flow_runs', 'flow_estimate')").fetchone()
    if not found or found[0] < 2:
        raise NotLoadedError("no flow estimate",
                             "run `steppe flows estimate --period 2015-2020` first")
