"""Options shared by every command group, defined once, and the output renderers."""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from steppe.config import Settings
from steppe.errors import InvalidOptionError
from steppe.warehouse import Warehouse

console = Console()
error_console = Console(stderr=True)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Warehouse file (default: STEPPE_DB or the user data folder).",
                 show_default=False),
]


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of the terminal.")
]


def warehouse_from(db: Path | None) -> Warehouse:
    """The warehouse named by --db, else by the settings."""
    return Warehouse(db if db is not None else Settings().db)


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def emit(records: list[dict[str, Any]], fmt: OutputFormat, *, title: str = "",
         output: Path | None = None, columns: list[str] | None = None,
         caption: str = "") -> None:
    """Render records as a rich table, CSV, JSON or Parquet (Parquet needs --output)."""
    columns = columns or (list(records[0]) if records else [])
    if fmt is OutputFormat.parquet:
        if output is None:
            raise InvalidOptionError("--output", None, "a file path when --format parquet is used")
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(records), output)
        return
    if fmt is OutputFormat.json:
        text = json.dumps([{k: _jsonable(v) for k, v in r.items()} for r in records],
                          ensure_ascii=False, indent=2)
    elif fmt is OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for record in records:
            writer.writerow({k: _flat(record.get(k)) for k in columns})
        text = buffer.getvalue()
    else:
        table = Table(title=title or None, caption=caption or None, caption_justify="left")
        for name in columns:
            numeric = any(isinstance(r.get(name), (int, float)) for r in records)
            table.add_column(name, justify="right" if numeric else "left")
        for record in records:
            table.add_row(*[_cell(record.get(k), k) for k in columns])
        if output is None:
            console.print(table)
            return
        text = _table_text(table)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _flat(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return _jsonable(value)


def _cell(value: Any, column: str = "") -> str:
    if column == "year" or column.endswith("_year"):
        return "–" if value is None else str(value)
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() or abs(value) >= 1000 else f"{value:,.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return str(value)


def _table_text(table: Table) -> str:
    capture = Console(file=io.StringIO(), width=200, color_system=None)
    capture.print(table)
    return capture.file.getvalue()  # type: ignore[attr-defined]
