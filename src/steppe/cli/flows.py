"""``steppe flows``: estimate migration flows from stock tables, list them, draw them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from steppe.areas import resolve
from steppe.cli.options import DbOption, FormatOption, OutputFormat, console, emit, warehouse_from
from steppe.errors import InvalidOptionError

flows_app = typer.Typer(help="Migration flows estimated from bilateral stock tables.",
                        no_args_is_help=True)

PeriodOption = Annotated[str, typer.Option("--period", help="Period between two stock years, "
                                           "e.g. 2015-2020.")]
MethodOption = Annotated[str, typer.Option(
    "--method", help="demographic-accounting, stock-differencing or pseudo-bayes.")]
RevisionOption = Annotated[str | None, typer.Option(
    "--revision", help="UN DESA stock revision, e.g. 2020 (default: the newest loaded).")]


def register(app: typer.Typer) -> None:
    app.add_typer(flows_app, name="flows")


@flows_app.command("estimate")
def estimate(
    period: PeriodOption,
    method: MethodOption = "demographic-accounting",
    revision: RevisionOption = None,
    wpp: Annotated[str | None, typer.Option(
        "--wpp", help="WPP edition for population, births, deaths (default: the newest "
                      "not newer than the revision).")] = None,
    draws: Annotated[int | None, typer.Option(
        "--draws", help="Bootstrap draws of --method pseudo-bayes (at least 20; default 200).",
        show_default=False)] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", help="Override an estimator option, NAME=JSON (repeatable), "
                        "e.g. --param tolerance='\"migest\"'.")] = None,
    db: DbOption = None,
) -> None:
    """Estimate flows for a period from the warehouse and store them with provenance."""
    from steppe.flows.runs import METHODS
    from steppe.flows.store import estimate_and_store, parse_period

    if method not in METHODS:
        raise InvalidOptionError("--method", method, METHODS)
    span = parse_period(period)
    overrides = _parameters(param or [])
    if draws is not None:
        if method != "pseudo-bayes":
            raise InvalidOptionError("--draws", draws, "only with --method pseudo-bayes")
        overrides["draws"] = draws
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("opening the warehouse", total=None)
        run = estimate_and_store(warehouse_from(db), span, method, revision, wpp, overrides,
                                 on_step=lambda step: progress.update(task, description=step))
    od = run.od
    console.print(
        f"[bold]{run.run_id}[/]: {method}, {span[0]}-{span[1]}, UN DESA {run.inputs.revision} "
        f"+ WPP {run.inputs.wpp_edition}, {len(run.inputs.areas)} regions; "
        f"{int((od > 0).sum()):,} corridors, {od.sum():,.0f} movers in total.")
    for message in run.messages:
        console.print(f"  note: {message}", highlight=False)


@flows_app.command("show")
def show(
    origin: Annotated[str | None, typer.Option("--from", help="Origin: ISO3, M49 or name.")] = None,
    dest: Annotated[str | None, typer.Option("--to", help="Destination: ISO3, M49 or name.")] = None,
    method: Annotated[str | None, typer.Option("--method", help="Only this method.")] = None,
    revision: RevisionOption = None,
    all_runs: Annotated[bool, typer.Option("--all-runs", help="Every stored run, not only "
                                           "the newest per period and method.")] = False,
    fmt: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Stored flow estimates of a corridor, by period and method."""
    from steppe.flows.store import query_estimates

    if origin is None and dest is None:
        raise InvalidOptionError("--from/--to", None, "at least one of --from and --to")
    o = resolve(origin).area_id if origin else None
    d = resolve(dest).area_id if dest else None
    with warehouse_from(db).reader() as con:
        records = query_estimates(con, o, d, method, revision, latest=not all_runs)
    title = f"Estimated migration flows {o or 'all'} → {d or 'all'} (persons per period)"
    columns = None
    if fmt is OutputFormat.table:
        records = [{**r, "interval": _interval(r)} for r in records]
        columns = ["origin", "destination", "period", "method", "revision", "value",
                   "interval", "run_id"]
    emit(records, fmt, title=title, columns=columns,
         caption="" if records else "no stored estimate; run `steppe flows estimate` first")


@flows_app.command("chord")
def chord(
    period: PeriodOption,
    out: Annotated[Path, typer.Option("--out", help="Image file (.png, .svg or .pdf).")],
    method: MethodOption = "demographic-accounting",
    revision: RevisionOption = None,
    db: DbOption = None,
) -> None:
    """Chord diagram of flows among Central Asia, Russia and the rest of the world."""
    from steppe.flows.chord import chord_figure, group_matrix
    from steppe.flows.store import parse_period, period_matrix

    if out.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise InvalidOptionError("--out", str(out), "a file name ending in .png, .svg or .pdf")
    span = parse_period(period)
    with warehouse_from(db).reader() as con:
        areas, od, run_id = period_matrix(con, span, method, revision)
    matrix, labels = group_matrix(od, areas)
    fig = chord_figure(matrix, labels,
                       title=f"Estimated migration flows {span[0]}–{span[1]} ({method})")
    fig.savefig(out, dpi=150)
    console.print(f"wrote {out} (run {run_id}; {matrix.sum():,.0f} movers shown)")


def _parameters(pairs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name:
            raise InvalidOptionError("--param", pair, "NAME=VALUE, e.g. tolerance=1e-8")
        try:
            out[name.strip()] = json.loads(text)
        except json.JSONDecodeError:
            out[name.strip()] = text
    return out


def _interval(record: dict[str, Any]) -> str:
    """'90 %: 1,200 – 3,400' for a stored interval, '–' for a point estimate."""
    lower, upper, level = record.get("lower"), record.get("upper"), record.get("level")
    if lower is None or upper is None:
        return "–"
    share = f"{100 * level:g} %: " if level is not None else ""
    return f"{share}{lower:,.0f} – {upper:,.0f}"
