"""``steppe stock`` and ``steppe export``: reading migrant stocks and whole tables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from steppe.areas import resolve
from steppe.cli.options import (
    DbOption,
    FormatOption,
    OutputFormat,
    OutputOption,
    emit,
    warehouse_from,
)
from steppe.errors import InvalidOptionError
from steppe.warehouse.stock_query import StockQuery, query_stock

EXPORTABLE = ("migrant_stock", "area_indicator", "bilateral_indicator", "releases", "load_runs",
              "sources", "areas")


def register(app: typer.Typer) -> None:
    app.command("stock")(stock)
    app.command("export")(export)


def stock(
    dest: Annotated[str | None, typer.Option("--dest", help="Destination: ISO3, M49 or name.")] = None,
    origin: Annotated[str | None, typer.Option("--origin", help="Origin: ISO3, M49 or name.")] = None,
    year: Annotated[int | None, typer.Option(help="Year (default: the latest in the release).")] = None,
    by: Annotated[str, typer.Option(help="List by origin, destination or corridor.")] = "origin",
    top: Annotated[int | None, typer.Option(help="Only the N largest.")] = None,
    sex: Annotated[str, typer.Option(help="total, male or female.")] = "total",
    revision: Annotated[str | None, typer.Option(help="UN DESA revision, e.g. 2020.")] = None,
    release: Annotated[str | None, typer.Option(help="A release id or revision.")] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """Bilateral migrant stocks (UN DESA), other revisions and reference figures beside."""
    if sex not in ("total", "male", "female"):
        raise InvalidOptionError("--sex", sex, ("total", "male", "female"))
    if by not in ("origin", "destination", "corridor"):
        raise InvalidOptionError("--by", by, ("origin", "destination", "corridor"))
    query = StockQuery(
        destination=resolve(dest).area_id if dest else None,
        origin=resolve(origin).area_id if origin else None,
        year=year, sex=sex, by=by, top=top, revision=revision, release=release,  # type: ignore[arg-type]
    )
    with warehouse_from(db).reader() as con:
        records = query_stock(con, query)
    if fmt is not OutputFormat.table:
        emit(records, fmt, output=output)
        return
    editions = sorted({e for r in records for e in r["revisions"]})
    rows = []
    for r in records:
        row = {"origin": r["origin"], "destination": r["destination"], "year": r["year"],
               "sex": r["sex"], "value": r["value"]}
        row.update({f"rev {e}": r["revisions"].get(e) for e in editions})
        ref = r["reference"]
        row["reference docs"] = f"{ref['value']:,.0f} ({ref['year']})" if ref else None
        rows.append(row)
    release_used = records[0]["release"] if records else "-"
    emit(rows, fmt, output=output, title="International migrant stock",
         caption=f"Release {release_used}; 'rev' columns: the same corridor and year in each UN "
                 "DESA revision; 'reference docs': MPI tabulation of UN DESA mid-2017 quoted in "
                 "steppe's reference documents.")


def export(
    table: Annotated[str, typer.Argument(help=f"One of: {', '.join(EXPORTABLE)}.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write (.csv or .parquet).")],
    db: DbOption = None,
) -> None:
    """Export a warehouse table, with its release ids, to CSV or Parquet."""
    if table not in EXPORTABLE:
        raise InvalidOptionError("TABLE", table, EXPORTABLE)
    suffix = output.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise InvalidOptionError("--output", str(output), "a path ending in .csv or .parquet")
    with warehouse_from(db).reader() as con:
        kind = "PARQUET" if suffix == ".parquet" else "CSV, HEADER"
        con.execute(f"COPY (SELECT * FROM {table}) TO '{output}' (FORMAT {kind})")
