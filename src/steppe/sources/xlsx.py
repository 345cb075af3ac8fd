"""Small helpers to read the official spreadsheets (xlsx and legacy xls) as rows."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from steppe.errors import SourceFileError


def read_sheet_rows(path: Path, sheet: str, *, source_id: str = "") -> list[tuple[Any, ...]]:
    """All rows of one sheet as tuples of cell values (xlsx or legacy xls, via calamine).

    Empty cells are ``None`` and whole numbers are ``int``, as openpyxl gives them.
    Raises a :class:`SourceFileError` that says what is wrong when the file is not a
    workbook, is truncated, or lacks the sheet.
    """
    from python_calamine import CalamineWorkbook

    path = Path(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every bad file
        raise SourceFileError(
            f"{path.name} cannot be read as a workbook ({type(exc).__name__}: {exc}); it may be "
            "truncated or corrupt. Download it again from the official URL.",
            path=path, source_id=source_id) from exc
    if sheet not in book.sheet_names:
        raise _missing_sheet(path, sheet, book.sheet_names, source_id)
    try:
        rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as exc:
        raise SourceFileError(
            f"{path.name} sheet {sheet!r} cannot be read ({exc}); the file may be truncated or "
            "corrupt. Download it again from the official URL.", path=path,
            source_id=source_id) from exc
    return [tuple(_cell(c) for c in row) for row in rows]


def _cell(value: Any) -> Any:
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


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
