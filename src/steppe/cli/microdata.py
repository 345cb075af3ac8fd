"""``steppe microdata``: synthetic records, validation, protected aggregates, API keys."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from steppe.config import Settings
from steppe.errors import InvalidOptionError

console = Console()
micro = typer.Typer(help="Administrative microdata: synthesise, validate, aggregate with disclosure control.",
                    no_args_is_help=True)
keys_app = typer.Typer(help="API keys for restricted microdata (stored hashed).", no_args_is_help=True)

AccessDb = Annotated[Path | None, typer.Option("--access-db", help="SQLite file of keys and audit log "
                                               "(default: access.sqlite beside the warehouse)")]


def access_path(path: Path | None) -> Path:
    """The access store file: the option, else ``access.sqlite`` beside the warehouse."""
    return path if path is not None else Settings().db.parent / "access.sqlite"


@micro.command("synth")
def synth(
    rows: Annotated[int, typer.Option("--rows", help="number of registration records")] = 100_000,
    seed: Annotated[int, typer.Option("--seed", help="random seed")] = 0,
    out: Annotated[Path, typer.Option("--out", help="output folder")] = Path("microdata"),
    host: Annotated[str, typer.Option("--host", help="host country ISO3")] = "KAZ",
    first_year: Annotated[int, typer.Option("--first-year")] = 2019,
    last_year: Annotated[int, typer.Option("--last-year")] = 2024,
    db: Annotated[Path | None, typer.Option("--db", help="warehouse for corridor shares")] = None,
    builtin: Annotated[bool, typer.Option("--builtin", help="use built-in corridors, not the warehouse")] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="replace existing records in OUT")] = False,
    coded: Annotated[bool, typer.Option(
        "--coded", help="store categorical columns as small integer codes (+ _codes.json): "
                        "about 2x faster aggregation")] = False,
) -> None:
    """Write synthetic registrations as partitioned Parquet under OUT/registrations."""
    from steppe.microdata import synth as s

    corridors = None
    if not builtin:
        path = db or Settings().db
        if path.exists():
            corridors = s.corridors_from_warehouse(path, host.upper())
        elif db is not None:
            raise InvalidOptionError("db", str(db), "an existing warehouse file (or pass --builtin)")
    used = s.synthesize(out, rows, seed, host=host.upper(), years=(first_year, last_year),
                        corridors=corridors, overwrite=overwrite, coded=coded)
    console.print(f"wrote {rows:,} registrations to {out / 'registrations'} "
                  f"(corridors: {used.source}; {len(used.origins)} citizenships)")


@micro.command("validate")
def validate(
    path: Annotated[Path, typer.Argument(help="CSV or Parquet file of records")],
    source: Annotated[str, typer.Option("--source", help="registrations | permits | crossings")] = "registrations",
    out: Annotated[Path, typer.Option("--out", help="folder for valid rows and the quarantine")] = Path("microdata"),
    host: Annotated[str, typer.Option("--host")] = "KAZ",
) -> None:
    """Check a file; valid rows go to OUT/<source>/, rejected ones to OUT/quarantine/."""
    import pyarrow.parquet as pq

    from steppe.microdata.validate import validate_file

    res = validate_file(path, source, host.upper())
    (out / source).mkdir(parents=True, exist_ok=True)
    (out / "quarantine").mkdir(parents=True, exist_ok=True)
    pq.write_table(res.valid, out / source / f"{path.stem}.parquet")
    pq.write_table(res.quarantine, out / "quarantine" / f"{source}-{path.stem}.parquet")
    console.print(f"{res.valid.num_rows:,} valid, {res.quarantine.num_rows:,} quarantined")
    for reason, n in res.counts.items():
        console.print(f"  {reason}: {n:,}")
    if not res.ok:
        raise typer.Exit(1)


@micro.command("aggregate")
def aggregate(
    folder: Annotated[Path, typer.Argument(help="folder of records (synth or validate output)")],
    backend: Annotated[str, typer.Option("--backend", help="duckdb | spark")] = "duckdb",
    k: Annotated[int, typer.Option("--k", help="suppression threshold")] = 10,
    fmt: Annotated[str, typer.Option("--format", help="csv | json | parquet")] = "csv",
    out: Annotated[Path | None, typer.Option("--out", help="output folder (default FOLDER/protected)")] = None,
    host: Annotated[str, typer.Option("--host")] = "KAZ",
    as_of: Annotated[str | None, typer.Option("--as-of", help="extraction date YYYY-MM-DD")] = None,
    round_base: Annotated[int, typer.Option("--round", help="controlled rounding base (0: none)")] = 0,
) -> None:
    """Monthly flows, stocks, stays and overstays with disclosure control; writes only
    protected cells (withheld values are empty and flagged `suppressed`)."""
    from steppe.microdata.aggregate import aggregate as run
    from steppe.microdata.backends import check_backend
    from steppe.microdata.publish import FORMATS, write_tables

    check_backend(backend)
    if fmt not in FORMATS:
        raise InvalidOptionError("format", fmt, FORMATS)
    if k < 1:
        raise InvalidOptionError("k", k, "a positive integer")
    if round_base == 1 or round_base < 0:
        raise InvalidOptionError("round", round_base, "0 (no rounding) or a base of at least 2")
    day = date.fromisoformat(as_of) if as_of else None
    res = run(folder, backend, k=k, host=host.upper(), as_of=day, round_base=round_base)
    paths = write_tables(res.tables, out or folder / "protected", fmt)
    table = Table("table", "rows", "file")
    for p in paths:
        table.add_row(p.stem, f"{len(res.tables[p.stem]):,}", str(p))
    console.print(table)
    console.print(f"{res.records:,} records, {res.cells:,} cells; {res.suppressed:,} cells/margins "
                  f"withheld (k={k}); stay limits: {res.limits_source}")


@keys_app.command("add")
def keys_add(
    name: Annotated[str, typer.Option("--name", help="who the key is for")] = "analyst",
    role: Annotated[str, typer.Option("--role", help="analyst | public")] = "analyst",
    access_db: AccessDb = None,
) -> None:
    """Create a key; it is printed once and stored only as a hash."""
    from steppe.microdata.access import AccessStore

    key = AccessStore(access_path(access_db)).add_key(name, role)
    console.print(key, highlight=False)


@keys_app.command("list")
def keys_list(access_db: AccessDb = None) -> None:
    """List keys (ids, owners, roles; never secrets)."""
    from steppe.microdata.access import AccessStore

    table = Table("key_id", "name", "role", "created_at", "revoked_at")
    for row in AccessStore(access_path(access_db)).list_keys():
        table.add_row(*(str(v or "") for v in row.values()))
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument()], access_db: AccessDb = None) -> None:
    """Revoke a key by its id."""
    from steppe.microdata.access import AccessStore

    if not AccessStore(access_path(access_db)).revoke(key_id):
        raise InvalidOptionError("key_id", key_id, "the id of an active key (see `steppe microdata keys list`)")
    console.print(f"revoked {key_id}")


@micro.command("audit")
def audit_log(
    limit: Annotated[int, typer.Option("--limit")] = 50, access_db: AccessDb = None
) -> None:
    """Show the latest entries of the audit log of restricted queries."""
    from steppe.microdata.access import AccessStore

    table = Table("at", "key_id", "name", "role", "action", "query", "outcome", "rows")
    for row in AccessStore(access_path(access_db)).log(limit):
        table.add_row(*(str(v if v is not None else "") for v in row.values()))
    console.print(table)


micro.add_typer(keys_app, name="keys")


def register(app: typer.Typer) -> None:
    """Add the ``microdata`` group to the ``steppe`` app."""
    app.add_typer(micro, name="microdata")
