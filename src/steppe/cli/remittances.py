"""``steppe remittances``: inflows (US$, % of GDP) and bilateral estimates, with their sources."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import duckdb
import typer

from steppe.areas import name, resolve
from steppe.cli.options import DbOption, FormatOption, OutputFormat, emit, warehouse_from
from steppe.errors import InvalidOptionError, NotLoadedError

_NOTE = ("KNOMAD bilateral figures are model estimates (aggregate remittances allocated by "
         "migrant stocks and incomes), not observed corridor flows.")


def register(app: typer.Typer) -> None:
    app.command("remittances")(remittances)


def country_series(con: duckdb.DuckDBPyConnection, area: str, direction: str,
                   year: int | None) -> list[dict[str, Any]]:
    """Remittances received (``to``) or paid (``from``) by year: US$ and % of GDP, newest
    official WDI vintage first (re-processed copies only where WDI has no value)."""
    usd = "remittances_received" if direction == "to" else "remittances_paid"
    rows = con.execute("""
        SELECT a.year, a.indicator, arg_min(a.value, (r.edition LIKE '%fozich', -epoch(r.loaded_at),
                                                     r.edition)),
               arg_min(r.dataset || '@' || r.edition, (r.edition LIKE '%fozich',
                                                      -epoch(r.loaded_at), r.edition))
        FROM area_indicator a JOIN releases r USING (release_id)
        WHERE a.area = ? AND a.indicator IN (?, 'remittances_received_pct_gdp')
          AND (? IS NULL OR a.year = ?) AND r.dataset = 'worldbank_wdi'
        GROUP BY ALL ORDER BY 1
    """, [area, usd, year, year]).fetchall()
    by_year: dict[int, dict[str, Any]] = {}
    for y, indicator, value, source in rows:
        record = by_year.setdefault(int(y), {"year": int(y), "usd": None, "usd_source": None,
                                             "pct_gdp": None, "pct_gdp_source": None})
        key = "usd" if indicator == usd else "pct_gdp"
        if direction == "to" or key == "usd":
            record[key], record[f"{key}_source"] = value, source
    return [by_year[y] for y in sorted(by_year)]


def corridors(con: duckdb.DuckDBPyConnection, area: str, direction: str,
              year: int | None) -> list[dict[str, Any]]:
    """KNOMAD bilateral estimates into (``to``) or out of (``from``) ``area``; the newest
    matrix year unless ``year`` is given."""
    side = "destination" if direction == "to" else "origin"
    rows = con.execute(f"""
        WITH b AS (SELECT b.*, r.dataset || '@' || r.edition AS source
                   FROM bilateral_indicator b JOIN releases r USING (release_id)
                   WHERE b.indicator = 'remittances' AND b.{side} = ?)
        SELECT origin, destination, year, value, source FROM b
        WHERE year = coalesce(?, (SELECT max(year) FROM b)) ORDER BY value DESC
    """, [area, year]).fetchall()
    return [{"from": o, "to": d, "year": int(y), "usd": v, "source": s} for o, d, y, v, s in rows]


def remittances(
    to: Annotated[str | None, typer.Option("--to", help="Receiving country: inflows and "
                                                         "who sends them.")] = None,
    origin: Annotated[str | None, typer.Option("--from", help="Sending country: outflows and "
                                                              "where they go.")] = None,
    year: Annotated[int | None, typer.Option(help="One year (default: all years of inflows; "
                                                  "the newest matrix for corridors).")] = None,
    top: Annotated[int, typer.Option(help="Show the N largest corridors.")] = 15,
    fmt: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Remittances in US$ and % of GDP (World Bank WDI) and bilateral estimates (KNOMAD)."""
    if (to is None) == (origin is None):
        raise InvalidOptionError("--to/--from", to or origin, "exactly one of --to or --from")
    direction = "to" if to else "from"
    area = resolve(to or origin).area_id  # type: ignore[arg-type]
    with warehouse_from(db).reader() as con:
        series = country_series(con, area, direction, year)
        bilateral = corridors(con, area, direction, year)
    if not series and not bilateral:
        raise NotLoadedError(f"remittance data for {area}" + (f" in {year}" if year else ""),
                             "load World Bank WDI and KNOMAD files with `steppe ingest --from "
                             "../shared/data`, or choose another --year")
    if fmt is OutputFormat.json:
        payload = {"area": area, "direction": direction, "year": year,
                   "inflows" if direction == "to" else "outflows": series,
                   "bilateral": bilateral, "note": _NOTE}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    label = "received by" if direction == "to" else "sent from"
    emit(series, fmt, title=f"Personal remittances {label} {name(area)} ({area})",
         columns=(["year", "usd", "pct_gdp", "usd_source", "pct_gdp_source"] if direction == "to"
                  else ["year", "usd", "usd_source"]),
         caption="usd: current US$; pct_gdp: % of GDP; sources as dataset@edition.")
    if fmt is OutputFormat.table:
        emit(bilateral[:top], fmt, title=f"Bilateral estimates {label} {area} (largest {top})",
             columns=["from", "to", "year", "usd", "source"], caption=_NOTE)
