"""Small helpers to read the official spreadsheets (xlsx and legacy xls) as rows."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from steppe.errors import SourceFileError


def read_sheet_rows(path: Path, sheet: str, *, source_id: str = "") -> list[tuple[Any, ...]]:
    """All rows of one sheet as tuples of cell values.

    Raises a :class:`SourceFileError` that says what is wrong when the file is not a
    workbook, is truncated, or lacks the sheet.
    """
    path = Path(path)
    try:
        if path.suffix.lower() == ".xls":
            import xlrd

            book = xlrd.open_workbook(str(path), on_demand=True)
            if sheet not in book.sheet_names():
                raise _missing_sheet(path, sheet, book.sheet_names(), source_id)
            data = book.sheet_by_name(sheet)
            return [tuple(data.row_values(i)) for i in range(data.nrows)]
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            if sheet not in book.sheetnames:
                raise _missing_sheet(path, sheet, book.sheetnames, source_id)
            return [tuple(r) for r in book[sheet].iter_rows(values_only=True)]
        finally:
            book.close()
    except SourceFileError:
        raise
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError) as exc:
        raise SourceFileError(
            f"{path.name} cannot be read as a workbook ({type(exc).__name__}: {exc}); it may be "
            "truncated or corrupt. Download it again from the official URL.",
            path=path, source_id=source_id) from exc
    except Exception as exc:  # xlrd's XLRDError and friends
        raise SourceFileError(
            f"{path.name} cannot be read as a workbook: {exc}. Download it again.",
            path=path, source_id=source_id) from exc


def _missing_sheet(path: Path, sheet: str, found: Iterable[str], source_id: str) -> SourceFileError:
    return SourceFileError(
        f"{path.name} has no sheet {sheet!r} (sheets: {', '.join(found)}); it is not the "
        "expected dataset. Check that you passed the right file.", path=path, source_id=source_id)


def find_header_row(rows: list[tuple[Any, ...]], must_contain: Iterable[str], *, path: Path,
                    within: int = 40) -> int:
    """Index of the first row whose cells include every label in ``must_contain``."""
    wanted = set(must_contain)
    for i, row in enumerate(rows[:within]):
        cells = {str(c).strip() for c in row if c is not None}
        if wanted <= cells:
            return i
    raise SourceFileError(
        f"{path.name}: no header row with {sorted(wanted)} in the first {within} rows; this is "
        "not the expected table layout.", path=path)
