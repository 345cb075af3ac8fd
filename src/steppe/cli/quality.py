"""``steppe quality``: how far to trust a country's figures — score, reasons, checks, report."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from steppe.areas import group, name, resolve
from steppe.cli.options import DbOption, FormatOption, OutputFormat, console, emit, warehouse_from
from steppe.errors import InvalidOptionError
from steppe.quality import Assessment, assess, assess_corridor


def register(app: typer.Typer) -> None:
    app.command("quality")(quality)


def _areas(names: list[str]) -> list[str]:
    out: list[str] = []
    for text in names:
        if text.lower() in ("central_asia", "central-asia"):
            out += list(group("central_asia"))
        else:
            out.append(resolve(text).area_id)
    return out


def quality(
    areas: Annotated[list[str], typer.Argument(help="Countries (ISO3, M49 or name), or "
                                                    "'central_asia' for all five.")],
    partner: Annotated[str | None, typer.Option(
        "--corridor", help="Also score the corridor AREA → PARTNER and PARTNER → AREA.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write an HTML report here (one "
                                                            "area).")] = None,
    fmt: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Data-quality score (0–100) of a country, the reasons behind it, and every check."""
    ids = _areas(areas)
    if html is not None and len(ids) != 1:
        raise InvalidOptionError("--html", str(html), "exactly one area with --html")
    if fmt is OutputFormat.parquet:
        raise InvalidOptionError("--format", fmt.value, ("table", "csv", "json"))
    with warehouse_from(db).reader() as con:
        results = [assess(con, area) for area in ids]
        corridors = []
        if partner:
            other = resolve(partner).area_id
            corridors = [assess_corridor(con, ids[0], other), assess_corridor(con, other, ids[0])]
    if html is not None:
        from steppe.quality.report import write_html

        write_html(results[0], name(ids[0]), html)
    if fmt is OutputFormat.json:
        payload = [r.to_json() for r in results]
        for r, c in ((r, c) for r in payload for c in corridors):
            r.setdefault("corridors", []).append(
                {"corridor": c.subject, "score": c.score, "reasons": c.reasons,
                 "checks": [x.to_dict() for x in c.checks]})
        text = json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False,
                          indent=2)
        sys.stdout.write(text + "\n")
        return
    if fmt is OutputFormat.csv:
        emit([{"area": r.area, "code": c.code, "subject": c.subject, "status": c.status,
               "message": c.message, "sources": "; ".join(c.sources)}
              for r in results for c in r.score.checks], fmt)
        return
    for result in results:
        _print(result)
    for corridor in corridors:
        console.print(f"\n[bold]{corridor.subject}[/]: {corridor.score}/100")
        for reason in corridor.reasons:
            console.print(f"  {reason}", highlight=False)
        _mirror_table([c.details for c in corridor.checks if c.code == "mirror-discrepancy"])
    if html is not None:
        console.print(f"\nreport written to {html}")


def _print(result: Assessment) -> None:
    console.print(f"\n[bold]{name(result.area)} ({result.area})[/]: data quality "
                  f"[bold]{result.score.score}/100[/]")
    for reason in result.score.reasons:
        console.print(f"  {reason}", highlight=False)
    _mirror_table([p.to_dict() for p in result.mirror if p.flagged])


def _mirror_table(flagged: list[dict[str, Any]], limit: int = 15) -> None:
    if not flagged:
        return
    table = Table(title="Mirror statistics: sources that disagree", title_justify="left")
    for column in ("corridor", "year", "source A", "value A", "source B", "value B", "ratio"):
        table.add_column(column, overflow="fold", justify="right"
                         if column.startswith(("value", "ratio")) else "left")
    for p in flagged[:limit]:
        table.add_row(p["corridor"], str(p["year"]), p["source_a"], f"{p['value_a']:,.0f}",
                      p["source_b"] + (" (interp.)" if p["interpolated"] else ""),
                      f"{p['value_b']:,.0f}", f"{p['ratio']:.2f}" if p["ratio"] else "–")
    console.print(table)
    if len(flagged) > limit:
        console.print(f"  … and {len(flagged) - limit} more (use --format json or --html)")
