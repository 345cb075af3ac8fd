"""Validation of incoming record files, with a quarantine for rejected rows.

Nothing is dropped silently: every input row ends either in ``valid`` or in
``quarantine``, which keeps the row as received (as text), its 0-based
``row_number`` in the file, a stable ``reason`` code (the first problem found) and
a ``detail`` listing every problem.

Reason codes
------------
``missing-value``      a required field is empty
``unknown-code``       a coded field holds a value outside its code list
``bad-date``           a date is not an ISO ``YYYY-MM-DD`` date
``bad-key``            the person key is not a 64-bit integer
``dates-out-of-order`` an end date precedes its start date
``duplicate``          the record key repeats an earlier valid row
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from steppe.errors import SourceFileError
from steppe.microdata.schema import RecordSchema, code_list, get_schema

REASONS: tuple[str, ...] = (
    "missing-value",
    "unknown-code",
    "bad-date",
    "bad-key",
    "dates-out-of-order",
    "duplicate",
)


@dataclass(frozen=True)
class ValidationResult:
    """Outcome of validating one file."""

    source: str
    """schema name"""
    valid: pa.Table
    """accepted rows, typed by the schema"""
    quarantine: pa.Table
    """rejected rows as text plus ``row_number``, ``reason``, ``detail``"""
    counts: dict[str, int] = field(default_factory=dict)
    """number of rejected rows per primary reason"""

    @property
    def ok(self) -> bool:
        """True when no row was rejected."""
        return bool(self.quarantine.num_rows == 0)


def _as_text(col: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_date(col.type):
        return pc.strftime(col, format="%Y-%m-%d")
    return pc.cast(col, pa.string())


def _parse_int64(raw: pa.ChunkedArray) -> tuple[pa.Array, pa.Array]:
    """Text to int64 (0 where invalid) and the mask of valid values."""
    ok = pc.fill_null(pc.match_substring_regex(raw, r"^\s*-?\d{1,19}\s*$"), False)
    cleaned = pc.if_else(ok, pc.utf8_trim_whitespace(raw), pa.scalar("0"))
    try:
        return pc.cast(cleaned, pa.int64()).combine_chunks(), ok
    except pa.ArrowInvalid:  # a 19-digit value beyond the int64 range
        values = [int(v) for v in cleaned.to_pylist()]
        fits = [-(2**63) <= v < 2**63 for v in values]
        ints = pa.array([v if f else 0 for v, f in zip(values, fits, strict=True)], pa.int64())
        return ints, pc.and_(ok, pa.chunked_array([pa.array(fits)]))


def validate_table(table: pa.Table, schema: RecordSchema, host: str = "KAZ") -> ValidationResult:
    """Check every row of ``table`` against ``schema``.

    Parameters
    ----------
    table : rows as read from a file; columns may be text or already typed.
    schema : the record schema of the source.
    host : ISO3 of the country that produced the file (selects region codes).

    Raises
    ------
    SourceFileError
        When a schema column is missing altogether (a file-level problem).
    """
    missing = [n for n in schema.names if n not in table.column_names]
    if missing:
        raise SourceFileError(
            f"{schema.name} file lacks column(s) {', '.join(missing)}; expected columns "
            f"{', '.join(schema.names)} (see steppe.microdata.schema)."
        )
    n = table.num_rows
    text = {f.name: _as_text(table.column(f.name)) for f in schema.fields}
    typed: dict[str, pa.Array] = {}
    problems: list[tuple[np.ndarray, str]] = []

    def flag(mask: pa.ChunkedArray | pa.Array | np.ndarray, reason: str) -> None:
        arr = np.asarray(mask.to_numpy(zero_copy_only=False) if hasattr(mask, "to_numpy") else mask)
        arr = arr.astype(bool)
        if arr.any():
            problems.append((arr, reason))

    for f in schema.fields:
        raw = text[f.name]
        empty = pc.or_kleene(pc.is_null(raw), pc.equal(pc.utf8_trim_whitespace(raw), ""))
        empty = pc.fill_null(empty, True)
        if not f.nullable:
            flag(empty, f"missing-value:{f.name}")
        present = pc.invert(empty)
        if f.codes is not None:
            known = pa.array(sorted(code_list(f.codes, host)), pa.string())
            flag(pc.and_(present, pc.invert(pc.is_in(raw, value_set=known))), f"unknown-code:{f.name}")
            typed[f.name] = pc.if_else(present, raw, pa.scalar(None, pa.string())).combine_chunks()
        elif pa.types.is_date(f.dtype):
            trimmed = pc.utf8_trim_whitespace(raw)
            parsed = pc.cast(pc.strptime(trimmed, format="%Y-%m-%d", unit="s", error_is_null=True), pa.date32())
            # strptime rolls impossible days over (2023-02-30 -> 2023-03-02): require a round trip
            same = pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), trimmed)
            parsed = pc.if_else(pc.fill_null(same, False), parsed, pa.scalar(None, pa.date32()))
            flag(pc.and_(present, pc.is_null(parsed)), f"bad-date:{f.name}")
            typed[f.name] = pc.if_else(present, parsed, pa.scalar(None, pa.date32())).combine_chunks()
        elif pa.types.is_integer(table.column(f.name).type):
            typed[f.name] = pc.cast(table.column(f.name), pa.int64()).combine_chunks()
        else:  # integer key given as text
            typed[f.name], ok = _parse_int64(raw)
            flag(pc.and_(present, pc.invert(ok)), f"bad-key:{f.name}")

    if schema.date_order is not None:
        start, end = typed[schema.date_order[0]], typed[schema.date_order[1]]
        flag(pc.fill_null(pc.greater(start, end), False), "dates-out-of-order")

    bad = np.zeros(n, dtype=bool)
    for mask, _ in problems:
        bad |= mask
    # duplicates: among otherwise valid rows, a key seen before (first occurrence kept)
    typed_table = pa.table({f.name: typed[f.name].cast(f.dtype) for f in schema.fields})
    keys = typed_table.select(list(schema.key)).append_column("_row", pa.array(np.arange(n)))
    keys = keys.filter(pa.array(~bad))
    firsts = keys.group_by(list(schema.key)).aggregate([("_row", "min")]).column("_row_min")
    dup = np.zeros(n, dtype=bool)
    dup[keys.column("_row").to_numpy()] = True
    dup[firsts.to_numpy()] = False
    if dup.any():
        problems.append((dup, "duplicate"))
        bad |= dup

    rows = np.flatnonzero(bad)
    details: list[list[str]] = [[] for _ in rows]
    position = np.full(n, -1)
    position[rows] = np.arange(rows.size)
    for mask, reason in problems:
        for i in position[np.flatnonzero(mask)]:
            details[i].append(reason)
    primary = [d[0].split(":")[0] for d in details]
    quarantine = pa.table({f.name: text[f.name].take(pa.array(rows)) for f in schema.fields})
    quarantine = quarantine.append_column("row_number", pa.array(rows, pa.int64()))
    quarantine = quarantine.append_column("reason", pa.array(primary, pa.string()))
    quarantine = quarantine.append_column("detail", pa.array(["; ".join(d) for d in details], pa.string()))
    valid = typed_table.filter(pa.array(~bad)).cast(schema.arrow_schema())
    counts = {r: primary.count(r) for r in REASONS if r in primary}
    return ValidationResult(schema.name, valid, quarantine, counts)


def read_records(path: Path) -> pa.Table:
    """Read a CSV (all columns as text) or Parquet file of records."""
    path = Path(path)
    if not path.exists():
        raise SourceFileError(f"{path} does not exist; give the path of a .csv or .parquet file.", path=path)
    if path.suffix == ".parquet" or path.is_dir():
        return pq.read_table(path)
    if path.suffix in (".csv", ".gz"):
        header = pacsv.open_csv(path).schema.names
        opts = pacsv.ConvertOptions(column_types={c: pa.string() for c in header})
        return pacsv.read_csv(path, convert_options=opts)
    raise SourceFileError(f"{path}: unsupported file type {path.suffix!r}; use .csv or .parquet.", path=path)


def validate_file(path: Path, source: str, host: str = "KAZ") -> ValidationResult:
    """Read and validate one file of ``source`` records (see :func:`validate_table`)."""
    return validate_table(read_records(Path(path)), get_schema(source), host)
