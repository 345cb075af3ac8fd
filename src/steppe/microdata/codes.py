"""Integer-coded categorical columns: the physical layout of fast record files.

Grouping 100 million rows by four text columns costs far more than by four small
integers, so record files may store the categorical columns of a record schema as
codes: ``code = position of the label in the code table``. The code table is written
beside the Parquet files as ``_codes.json`` (a leading underscore: Spark and the
``**/*.parquet`` globs skip it) and maps each coded column to its list of labels::

    {"layout": "steppe-codes/1",
     "columns": {"citizenship": ["UZB", "RUS", ...], "sex": ["male", "female"], ...}}

The logical schema (:mod:`steppe.microdata.schema`) does not change: readers decode
with :meth:`CodeTable.decode_arrow`, and the pipeline decodes only its small
aggregated result (:meth:`CodeTable.decode`). A folder without ``_codes.json`` holds
text columns and is read as such.

The files may also carry ``cell``, one int32 packing the codes of the aggregation cell
(``"cell": ["citizenship", "region", "sex", "age_group"]`` in the code table): hashing
one integer per row instead of four columns makes the big group-by about a third
cheaper. ``cell = ((citizenship * n_region + region) * n_sex + sex) * n_age + age_group``
with ``n_x`` the number of labels of ``x`` (:meth:`CodeTable.pack`,
:meth:`CodeTable.unpack`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from steppe.errors import SourceFileError

CODES_FILE = "_codes.json"
CELL_COLUMN = "cell"
LAYOUT = "steppe-codes/1"
# physical type of each coded registrations column (fixed so every file agrees)
CODE_TYPES: dict[str, pa.DataType] = {
    "citizenship": pa.int16(),
    "sex": pa.int8(),
    "age_group": pa.int8(),
    "region": pa.int16(),
    "purpose": pa.int8(),
}


@dataclass(frozen=True)
class CodeTable:
    """Labels of each coded column; a value's code is its label's position."""

    columns: dict[str, tuple[str, ...]]
    """coded column -> labels in code order"""
    cell: tuple[str, ...] = ()
    """coded columns packed into the ``cell`` column, most significant first (or none)"""

    def pack(self, codes: dict[str, np.ndarray]) -> np.ndarray:
        """The ``cell`` code of each row from the codes of the :attr:`cell` columns."""
        out = np.zeros(len(codes[self.cell[0]]), np.int64)
        for name in self.cell:
            out = out * len(self.columns[name]) + codes[name].astype(np.int64)
        if len(out) and out.max() > np.iinfo(np.int32).max:
            raise ValueError("too many cells to pack into int32")
        return out.astype(np.int32)

    def unpack(self, expr: ir.Table) -> ir.Table:
        """``expr`` with its ``cell`` column replaced by the :attr:`cell` columns."""
        rest = expr[CELL_COLUMN].cast("int64")
        parts: dict[str, ir.IntegerValue] = {}
        for name in reversed(self.cell):
            size = len(self.columns[name])
            parts[name] = (rest % size).cast(str(CODE_TYPES[name]))
            rest = rest // size
        others = [c for c in expr.columns if c != CELL_COLUMN]
        return expr.select(**{n: parts[n] for n in self.cell}, **{c: expr[c] for c in others})


    def write(self, folder: Path) -> Path:
        """Write ``folder/_codes.json``; returns its path."""
        path = Path(folder) / CODES_FILE
        body: dict[str, object] = {"layout": LAYOUT, "columns": {k: list(v) for k, v in self.columns.items()}}
        if self.cell:
            body["cell"] = list(self.cell)
        path.write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
        return path

    @classmethod
    def read(cls, folder: Path | str) -> CodeTable | None:
        """The code table of ``folder``, or ``None`` when its files hold text columns."""
        path = Path(folder) / CODES_FILE
        if not path.is_file():
            return None
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
            if body.get("layout") != LAYOUT:
                raise ValueError(f"layout {body.get('layout')!r}, expected {LAYOUT!r}")
            columns = {str(k): tuple(str(x) for x in v) for k, v in body["columns"].items()}
            cell = tuple(str(x) for x in body.get("cell", ()))
            if set(cell) - set(columns):
                raise ValueError(f"cell packs {sorted(set(cell) - set(columns))}, which are not coded")
        except (ValueError, KeyError, AttributeError, TypeError) as exc:
            raise SourceFileError(
                f"{path} is not a steppe code table ({exc}); regenerate the records with "
                "`steppe microdata synth` or delete the file if the columns hold text.", path=path
            ) from exc
        unknown = set(columns) - set(CODE_TYPES)
        if unknown:
            raise SourceFileError(
                f"{path} codes columns {sorted(unknown)}; only {sorted(CODE_TYPES)} may be coded.",
                path=path,
            )
        return cls(columns, cell)

    def decode_arrow(self, table: pa.Table) -> pa.Table:
        """``table`` with coded columns turned back into their labels (text)."""
        for name, labels in self.columns.items():
            if name not in table.column_names:
                continue
            i = table.column_names.index(name)
            codes = pc.cast(table.column(name), pa.int32())
            text = pc.take(pa.array(labels, pa.string()), codes)
            table = table.set_column(i, pa.field(name, pa.string()), text)
        return table

    def decode(self, expr: ir.Table) -> ir.Table:
        """The Ibis expression ``expr`` with its coded columns as labels.

        Meant for small aggregated results: each column becomes a ``CASE`` over its few
        codes, which every backend runs the same way.
        """
        changed = {
            name: expr[name].cast("int64").cases(
                *enumerate(labels), else_=ibis.null("string")
            )
            for name, labels in self.columns.items()
            if name in expr.columns
        }
        return expr.mutate(**changed) if changed else expr

    def codes_of(self, name: str, labels: list[str]) -> list[int]:
        """Codes of ``labels`` in column ``name`` (``-1`` for labels not in the table)."""
        index = {v: i for i, v in enumerate(self.columns[name])}
        return [index.get(v, -1) for v in labels]

