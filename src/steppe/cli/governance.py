"""``steppe rights``, ``memberships``, ``timeline`` and ``rights-matrix``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table


class OutputFormat(str, Enum):
    """How data is printed."""

    table = "table"
    csv = "csv"
    json = "json"


OnOption = Annotated[str, typer.Option("--on", help="Day YYYY-MM-DD (default: today, capped at the KB review date).")]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="table, csv or json.")]


def _today_or(on: str | None) -> str:
    from steppe.governance import default_engine

    if on:
        return on
    return min(dt.date.today(), default_engine().kb.reviewed).isoformat()


def _console() -> Console:
    """A console at least 140 columns wide so citations stay readable when piped."""
    return Console(width=max(Console().width, 140))


def _print_csv(header: list[str], rows: list[list[Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    typer.echo(buffer.getvalue(), nl=False)


def _fmt(value: Any) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)


def rights_command(
    citizenship: Annotated[str, typer.Argument(help="Citizenship: ISO3 code or name, e.g. KGZ.")],
    host: Annotated[str, typer.Argument(help="Host country: ISO3 code or name, e.g. KAZ.")],
    on: OnOption = "",
    output: FormatOption = OutputFormat.table,
) -> None:
    """Every entitlement of a CITIZENSHIP national in HOST on a day, with its legal basis."""
    from steppe.governance import default_engine, rights
    from steppe.governance.answers import basis

    engine = default_engine()
    result = rights(citizenship, host, _today_or(on), engine=engine)
    data = result.to_json(engine)
    if output is OutputFormat.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    rows = []
    for name, entry in data["entitlements"].items():
        answer = result.entitlements[name]
        refs = entry["basis"]
        prefix = ""
        if entry["value"] == "unknown" and answer.rules:
            refs, prefix = basis(engine, answer.rules), "not relied on: "
        documents = prefix + "; ".join(b["document"] or "" for b in refs)
        articles = "; ".join(b["article"] or "" for b in refs)
        notes = " ".join(r.note for r in answer.rules if r.note)
        rows.append([name, _fmt(entry["value"]), entry["from"] or "", entry["to"] or "", articles,
                     documents, notes])
    if output is OutputFormat.csv:
        _print_csv(["entitlement", "value", "from", "to", "article", "document", "note"], rows)
        return
    table = Table(title=f"{data['citizenship']} citizen in {data['host']} on {data['on']}")
    for col in ("entitlement", "value", "from", "to", "article", "legal basis", "note"):
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*row)
    _console().print(table)


def memberships_command(
    country: Annotated[str, typer.Argument(help="Country: ISO3 code or name, e.g. KAZ.")],
    on: OnOption = "",
    output: FormatOption = OutputFormat.table,
) -> None:
    """A country's status in every organisation on a day."""
    from steppe.governance import memberships_json

    data = memberships_json(country, _today_or(on))
    if output is OutputFormat.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    rows = [[org, status] for org, status in data["memberships"].items()]
    if output is OutputFormat.csv:
        _print_csv(["organisation", "status"], rows)
        return
    table = Table(title=f"{data['country']} memberships on {data['on']}")
    table.add_column("organisation")
    table.add_column("status")
    for row in rows:
        table.add_row(*row)
    _console().print(table)


def timeline_command(
    country: Annotated[str, typer.Argument(help="Country: ISO3 code or name, e.g. UZB.")],
    output: FormatOption = OutputFormat.table,
) -> None:
    """Every dated change for a country: memberships, agreements, national rules."""
    from steppe.governance import timeline

    events = timeline(country)
    if output is OutputFormat.json:
        typer.echo(json.dumps([e.to_json() for e in events], ensure_ascii=False, indent=2))
        return
    rows = []
    for e in events:
        when = e.day.isoformat() + (f" .. {e.uncertain_until}" if e.uncertain_until else "")
        source = e.cite[0].url or e.cite[0].document
        flag = "" if e.reliable else " (unverified)"
        rows.append([when, e.kind, e.subject, f"{e.before} -> {e.after}{flag}", source])
    if output is OutputFormat.csv:
        _print_csv(["date", "kind", "subject", "change", "source"], rows)
        return
    table = Table(title=f"Timeline of {country.upper()}")
    for col in ("date", "kind", "subject", "change", "source"):
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*row)
    _console().print(table)


def matrix_command(
    entitlement: Annotated[str, typer.Option("--entitlement", "-e", help="Entitlement name.")] = "work_permit_required",
    on: OnOption = "",
    csv_path: Annotated[Path | None, typer.Option("--csv", help="Write the matrix as CSV here.")] = None,
    png_path: Annotated[Path | None, typer.Option("--png", help="Write a heat-map PNG here.")] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Host x citizenship matrix of one entitlement for Central Asia and partners."""
    from steppe.errors import InvalidOptionError
    from steppe.governance import ENTITLEMENTS, check_day, default_engine
    from steppe.governance.matrix import rights_matrix, write_csv, write_heatmap

    if entitlement not in ENTITLEMENTS:
        raise InvalidOptionError("--entitlement", entitlement, ENTITLEMENTS)
    engine = default_engine()
    day = check_day(_today_or(on), engine)
    frame = rights_matrix(engine, entitlement, day)
    if csv_path is not None:
        write_csv(frame, csv_path)
    if png_path is not None:
        write_heatmap(frame, png_path, f"{entitlement} on {day} (rows: host, columns: citizenship)")
    if output is OutputFormat.json:
        typer.echo(json.dumps({"entitlement": entitlement, "on": day.isoformat(),
                               "matrix": {h: frame.loc[h].to_dict() for h in frame.index}}, indent=2))
        return
    if output is OutputFormat.csv:
        typer.echo(frame.map(_fmt).to_csv(), nl=False)
        return
    table = Table(title=f"{entitlement} on {day} (rows: host, columns: citizenship)")
    table.add_column("host")
    for col in frame.columns:
        table.add_column(col)
    for host in frame.index:
        table.add_row(host, *[_fmt(v) for v in frame.loc[host]])
    _console().print(table)


def register(app: typer.Typer) -> None:
    """Add the governance commands at the top level of ``app``."""
    app.command("rights")(rights_command)
    app.command("memberships")(memberships_command)
    app.command("timeline")(timeline_command)
    app.command("rights-matrix")(matrix_command)
