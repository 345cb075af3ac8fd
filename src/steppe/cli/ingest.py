"""``steppe ingest`` and ``steppe sources``: loading files and listing what is loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from steppe.cli.options import (
    DbOption,
    FormatOption,
    OutputFormat,
    console,
    emit,
    error_console,
    warehouse_from,
)
from steppe.config import Settings
from steppe.errors import InvalidOptionError, SteppeError
from steppe.sources import all_sources
from steppe.sources.base import sha256_of
from steppe.warehouse import fetch_records
from steppe.warehouse.ingest import (
    Failed,
    PlannedFile,
    Skipped,
    bundled_files,
    plan_file,
    plan_folder,
    run_plan,
)
from steppe.warehouse.loads import LoadResult


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("sources")(sources)


def ingest(
    datasets: Annotated[list[str] | None, typer.Argument(help="Dataset ids (default: all).")] = None,
    source_path: Annotated[
        Path | None,
        typer.Option("--from", help="A folder of official files (e.g. ../shared/data) or one file."),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="A YAML mapping for the national table given to --from "
                     "(national_tables only; see docs/indicators.md)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Load official datasets into the warehouse (atomically, skipping what is loaded)."""
    settings = Settings()
    datasets = datasets or []
    folder = source_path or settings.data
    skipped: list[Skipped] = []
    if mapping is not None:
        planned, datasets = [_plan_mapped(source_path, mapping, datasets)], ["national_tables"]
    elif folder is not None and Path(folder).is_dir():
        planned, skipped = plan_folder(Path(folder), datasets)
    elif folder is not None:
        if len(datasets) != 1:
            raise typer.BadParameter("a single file needs exactly one DATASET argument",
                                     param_hint="--from")
        planned = [plan_file(Path(folder), datasets[0])]
    else:
        planned = _download(datasets, settings.cache)
    planned += bundled_files(datasets)
    if mapping is None and (not datasets or "national_tables" in datasets):
        _warn_mapping_problems()
    warehouse = warehouse_from(db)
    failures = 0
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=False) as progress:
        task = progress.add_task("loading", total=len(planned))

        def on_file(item: PlannedFile, result: LoadResult | Failed) -> None:
            nonlocal failures
            progress.advance(task)
            if isinstance(result, Failed):
                failures += 1
                error_console.print(f"[red]failed[/] {item.path.name}: {result.error}",
                                    highlight=False, soft_wrap=True)
            else:
                progress.console.print(
                    f"[green]{result.status}[/] {result.dataset}@{result.edition} "
                    f"{item.path.name}: {result.rows:,} rows")

        run_plan(warehouse, planned, on_file)
    if skipped:
        console.print(f"[yellow]skipped {len(skipped)} file(s)[/] no loader recognises:")
        for skip in skipped:
            console.print(f"  {skip.path}: {skip.reason}", highlight=False, soft_wrap=True)
    console.print(f"warehouse: {warehouse.path}")
    if failures:
        raise typer.Exit(1)


def _plan_mapped(table: Path | None, mapping: Path, datasets: list[str]) -> PlannedFile:
    """The one national table of ``--from`` read with the user's ``--mapping``."""
    from steppe.sources.national_tables import with_mapping

    if datasets not in ([], ["national_tables"]):
        raise InvalidOptionError("DATASET (with --mapping)", " ".join(datasets),
                                 "national_tables: --mapping describes a national table")
    if table is None or not table.is_file():
        raise InvalidOptionError("--from (with --mapping)", str(table) if table else None,
                                 "the national table file itself (CSV/XLSX)")
    source = with_mapping(mapping)
    digest = sha256_of(table)
    known = source.recognise(table, digest)
    assert known is not None  # a mapped table recognises any file or raises
    return PlannedFile(table, source, known, digest)


def _warn_mapping_problems() -> None:
    """Say which user mappings were left out (invalid, duplicated id, missing folder)."""
    from steppe.sources.national_tables import mapping_problems

    for problem in mapping_problems():
        error_console.print(f"[yellow]mapping left out[/] {problem.path}: {problem.error}",
                            highlight=False, soft_wrap=True)


def _download(datasets: list[str], cache: Path) -> list[PlannedFile]:
    planned = []
    for dataset_id, source in all_sources().items():
        if datasets and dataset_id not in datasets or not source.info.files[0].url.startswith("http"):
            continue
        try:
            path = source.fetch(cache)
        except SteppeError as exc:
            console.print(f"[red]could not fetch[/] {dataset_id}: {exc}")
            continue
        planned.append(plan_file(path, dataset_id))
    return planned


def sources(
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.table,
    available: Annotated[bool, typer.Option("--available", help="List the loaders instead.")] = False,
) -> None:
    """What is loaded: dataset, release, when, checksum and row counts."""
    if available:
        records = [
            {"dataset": s.info.id, "edition": k.edition, "file": k.file_name, "url": k.url,
             "sha256": k.sha256 or "any"}
            for s in all_sources().values() for k in s.info.files
        ]
        emit(records, fmt, title="Known releases")
        return
    with warehouse_from(db).reader() as con:
        cursor = con.execute("""
            SELECT r.release_id AS release, r.file_name AS file,
                   strftime(r.loaded_at, '%Y-%m-%d %H:%M') AS loaded, l.rows
            FROM releases r JOIN load_runs l ON l.release_id = r.release_id AND l.status = 'loaded'
            ORDER BY r.dataset, r.edition DESC, r.loaded_at
        """)
        records = fetch_records(cursor)
    emit(records, fmt, title="Loaded releases")
