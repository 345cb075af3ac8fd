"""Building the canonical warehouse rows shared by the indicator loaders.

Loaders collect plain records and call :func:`area_table` or :func:`bilateral_table`;
area codes are checked here once, with one error listing every code that is unknown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import duckdb
import pyarrow as pa

from steppe.areas.registry import registry
from steppe.errors import UnknownAreaError

#: UN M49 codes at or above this are regional/statistical groupings, never countries.
FIRST_AGGREGATE_M49 = 900

AreaRecord = tuple[str, int, str, str, float, str]  #: area, year, indicator, sex, value, unit
BilateralRecord = tuple[str, str, int | None, str, float, str]  #: origin, destination, year, ...


def check_ids(ids: Iterable[str], context: str) -> None:
    """Raise one :class:`UnknownAreaError` listing every id the area registry lacks."""
    known = registry().by_id
    missing = sorted({i for i in ids if i not in known})
    if missing:
        raise UnknownAreaError(missing, context)


def area_table(records: Sequence[AreaRecord], context: str) -> pa.Table:
    """An ``area_indicator`` table (without release_id/load_id) from records."""
    check_ids((r[0] for r in records), context)
    area, year, indicator, sex, value, unit = (list(c) for c in zip(*records)) if records else [[]] * 6
    return pa.table({
        "area": pa.array(area, pa.string()),
        "year": pa.array(year, pa.int16()),
        "indicator": pa.array(indicator, pa.string()),
        "sex": pa.array(sex, pa.string()),
        "value": pa.array(value, pa.float64()),
        "unit": pa.array(unit, pa.string()),
    })


def bilateral_table(records: Sequence[BilateralRecord], context: str) -> pa.Table:
    """A ``bilateral_indicator`` table (without release_id/load_id) from records."""
    check_ids((a for r in records for a in (r[0], r[1])), context)
    origin, dest, year, indicator, value, unit = (list(c) for c in zip(*records)) if records else [[]] * 6
    return pa.table({
        "origin": pa.array(origin, pa.string()),
        "destination": pa.array(dest, pa.string()),
        "year": pa.array(year, pa.int16()),
        "indicator": pa.array(indicator, pa.string()),
        "value": pa.array(value, pa.float64()),
        "unit": pa.array(unit, pa.string()),
    })


def m49_area(code: int, context: str) -> str | None:
    """The area id of a UN M49 code; ``None`` for an unregistered grouping (>= 900).

    Raises
    ------
    UnknownAreaError
        A country-range code (< 900) that the area registry lacks.
    """
    area = registry().by_m49.get(int(code))
    if area is not None:
        return area.area_id
    if int(code) >= FIRST_AGGREGATE_M49:
        return None
    raise UnknownAreaError([f"M49 {code}"], context)


#: the publishers' markers for "no value" (UN: '..', '-', '…'; CEPII: '.'; WB: 'N/A')
MISSING_MARKERS = frozenset({"", "..", ".", "-", "…", "NA", "N/A", "n/a", "nan", "NaN"})


def count(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> int:
    """The single integer a counting query returns."""
    row = con.execute(sql, params or []).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def number(cell: object) -> float | None:
    """A numeric cell as float; ``None`` for the publishers' missing markers.

    Raises
    ------
    ValueError
        Any other text; callers add the sheet, row and column to the message.
    """
    if cell is None or isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        return None if math.isnan(cell) else float(cell)  # NaN is missing
    text = str(cell).strip().replace("\u00a0", "").replace(" ", "").replace(",", "").rstrip("*")
    if text in MISSING_MARKERS:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"non-numeric cell {cell!r}") from None
