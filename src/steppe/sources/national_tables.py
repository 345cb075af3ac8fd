"""National administrative tables read through declarative mapping files.

Statistics offices and ministries (Kazakhstan's Bureau of National Statistics,
Russia's Interior Ministry, the Kyrgyz and Tajik migration services) publish CSV/XLSX
tables in Russian with merged header cells and footnotes. A YAML mapping
(:mod:`.national_mapping`) says where the numbers are; this module reads them into
``bilateral_indicator``. Country names are resolved through :mod:`steppe.areas`; every
unmatched name, non-numeric cell, duplicated key or unknown column is an error naming
the sheet, row and column, so nothing is loaded from a file that fails.
"""

from __future__ import annotations

import csv
import functools
import os
import re
from pathlib import Path
from typing import Any

from steppe.areas import resolve
from steppe.areas.registry import normalize, registry
from steppe.errors import ChecksumMismatchError, SourceFileError, UnknownAreaError
from steppe.sources.base import KnownFile, Parsed, Source, SourceInfo, sha256_of
from steppe.sources.canonical import BilateralRecord, bilateral_table, number
from steppe.sources.national_mapping import (
    ENV_VAR,
    SHIPPED,
    UNITS,
    MappingProblem,
    TableMapping,
    collect_mappings,
    load_mapping,
    mapping_files,
)
from steppe.sources.xlsx import read_sheet_rows

_LETTERS = re.compile(r"^[A-Z]{1,3}$")


def _mappings() -> dict[str, TableMapping]:
    """The usable shipped and ``STEPPE_MAPPINGS`` mappings, by id."""
    return _collected()[0]


def mapping_problems() -> list[MappingProblem]:
    """User mappings (or ``STEPPE_MAPPINGS`` folders) that cannot be used, and why.

    They are left out so that one bad user file does not stop every other dataset from
    loading; a table named by a bad mapping fails with that mapping's error.
    """
    return _collected()[1]


def _collected() -> tuple[dict[str, TableMapping], list[MappingProblem]]:
    try:
        files = mapping_files()
    except SourceFileError as exc:  # a STEPPE_MAPPINGS folder is missing
        shipped = mapping_files((SHIPPED,))
        mappings, problems = _validated(tuple((p, p.stat().st_mtime_ns) for p in shipped))
        return mappings, [*problems, MappingProblem(Path(os.environ.get(ENV_VAR, "")), exc, None)]
    return _validated(tuple((p, p.stat().st_mtime_ns) for p in files))


@functools.cache
def _validated(files: tuple[tuple[Path, int], ...]
               ) -> tuple[dict[str, TableMapping], list[MappingProblem]]:
    return collect_mappings([p for p, _ in files])


def _known(mapping: TableMapping) -> KnownFile:
    return KnownFile(mapping.edition, mapping.file_name, mapping.url, mapping.sha256, None,
                     mapping.id)


class NationalTables(Source):
    """Loader of national tables described by the shipped and ``STEPPE_MAPPINGS`` mappings."""

    @property
    def info(self) -> SourceInfo:  # type: ignore[override]
        return SourceInfo(
            id="national_tables",
            title="National administrative migration tables (KZ BNS, RU MVD, KG/TJ migration services)",
            publisher="National statistics offices and ministries (see each release's file)",
            licence="as published by each national authority",
            url="src/steppe/sources/mappings/",
            citation="See the mapping file of each table (citation field).",
            files=tuple(_known(m) for m in _mappings().values()),
        )

    def recognise(self, path: Path, sha256: str | None = None) -> KnownFile | None:
        """A table by its mapping's sha256 or file name; a table named by a bad mapping fails."""
        known = super().recognise(path, sha256)
        if known is None:
            for problem in mapping_problems():
                if problem.file_name == Path(path).name:
                    raise problem.error
        return known

    def fetch(self, cache_dir: Path, edition: str | None = None) -> Path:
        """National tables are downloaded by hand: their sites offer no stable file URL."""
        pages = "; ".join(f"{m.file_name}: {m.url}" for m in _mappings().values())
        raise SourceFileError(
            "national tables cannot be fetched automatically. Download the table from the "
            f"publisher's site ({pages}), save it under the file name its mapping expects, "
            "and run `steppe ingest --from <folder>`.", source_id="national_tables")

    def read(self, path: Path, known: KnownFile) -> Parsed:
        return read_table(path, _mappings()[known.fmt])


SOURCE = NationalTables()


class MappedTable(NationalTables):
    """One table read with a mapping the user names explicitly (``--mapping``)."""

    def __init__(self, mapping: TableMapping) -> None:
        self.mapping = mapping

    @property
    def info(self) -> SourceInfo:  # type: ignore[override]
        return SourceInfo("national_tables", self.mapping.title, self.mapping.publisher, self.mapping.licence,
                          self.mapping.url, self.mapping.citation, (_known(self.mapping),))

    def recognise(self, path: Path, sha256: str | None = None) -> KnownFile | None:
        """Any file name; when the mapping gives a sha256 the bytes must match it."""
        digest = sha256 or sha256_of(path)
        if self.mapping.sha256 not in (None, digest):
            raise ChecksumMismatchError(
                f"{path} does not have the sha256 the mapping {self.mapping.id!r} expects "
                f"({self.mapping.sha256}; the file's is {digest}). Check that the table is the "
                "edition the mapping describes, or remove sha256 from the mapping.",
                path=path, source_id="national_tables")
        return _known(self.mapping)

    def read(self, path: Path, known: KnownFile) -> Parsed:
        return read_table(path, self.mapping)


def with_mapping(mapping_path: Path) -> MappedTable:
    """A loader of ``national_tables`` bound to one user mapping file (validated now).

    Raises
    ------
    SourceFileError
        The mapping file is missing or invalid; the message names each bad field.
    """
    mapping_path = Path(mapping_path)
    if not mapping_path.is_file():
        raise SourceFileError(f"mapping file {mapping_path} does not exist; pass the YAML file "
                              "that describes the table to --mapping", path=mapping_path)
    return MappedTable(load_mapping(mapping_path))


def column_index(ref: str) -> int:
    """0-based index of a column letter (``A`` → 0, ``AB`` → 27)."""
    index = 0
    for ch in ref:
        index = index * 26 + ord(ch) - 64
    return index - 1


def letter(index: int) -> str:
    """The column letter of a 0-based index."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def flatten_header(rows: list[tuple[Any, ...]]) -> list[str]:
    """One label per column from merged header rows: upper rows carried right, joined by ' / '."""
    width = max((len(r) for r in rows), default=0)
    levels: list[list[str]] = []
    for depth, row in enumerate(rows):
        cells = [" ".join(str(c).split()) if c is not None else "" for c in row] + [""] * width
        if depth < len(rows) - 1:  # merged cells span right: carry the label on
            carried, last = [], ""
            for cell in cells[:width]:
                last = cell or last
                carried.append(last)
            cells = carried
        levels.append(cells[:width])
    return [" / ".join(p for p in (lv[j] for lv in levels) if p) for j in range(width)]


def _rows(path: Path, mapping: TableMapping) -> list[tuple[Any, ...]]:
    if mapping.sheet is not None:
        return read_sheet_rows(path, mapping.sheet, source_id="national_tables")
    try:
        with path.open(encoding=mapping.encoding, newline="") as handle:
            return [tuple(r) for r in csv.reader(handle, delimiter=mapping.csv_delimiter)]
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceFileError(f"{path.name} cannot be read as {mapping.encoding} CSV: {exc}",
                              path=path, source_id="national_tables") from exc


def _resolve_column(ref: str, header: list[str], where: str, field: str) -> int:
    if _LETTERS.match(ref):
        return column_index(ref)
    wanted = " ".join(ref.split())
    if wanted in header:
        return header.index(wanted)
    listed = "; ".join(f"{letter(i)}: {h!r}" for i, h in enumerate(header) if h)
    raise SourceFileError(f"{where}: {field} {ref!r} is not a column of the header; the header "
                          f"columns are {listed}")


def read_table(path: Path, mapping: TableMapping | Path) -> Parsed:
    """Read one national table with its mapping into ``bilateral_indicator`` rows."""
    path = Path(path)
    if not isinstance(mapping, TableMapping):
        mapping = load_mapping(mapping)
    rows = _rows(path, mapping)
    where = f"{path.name}" + (f", sheet {mapping.sheet!r}" if mapping.sheet else "")
    if len(rows) < mapping.data_start:
        raise SourceFileError(f"{where}: only {len(rows)} rows, but the mapping's data start at "
                              f"row {mapping.data_start}", path=path)
    header = flatten_header([rows[r - 1] for r in mapping.header_rows])
    area_col = _resolve_column(mapping.area_column, header, where, "area_column")
    columns = [(_resolve_column(v.column, header, where, f"values[{k}].column"), v)
               for k, v in enumerate(mapping.values)]
    reporter = resolve(mapping.reporter).area_id
    skip = {normalize(s) for s in mapping.skip_labels}
    missing, zeros = set(mapping.missing_markers), set(mapping.zero_markers)
    counts = {"data_rows": 0, "skipped_total_rows": 0, "footnote_rows": 0, "missing_value": 0}
    labelled: list[tuple[int, str, tuple[Any, ...]]] = []
    for r in range(mapping.data_start, len(rows) + 1):
        row = rows[r - 1]
        label = " ".join(str(row[area_col]).split()) if area_col < len(row) and row[area_col] \
            is not None else ""
        if not label:
            continue
        if any(label.startswith(m) for m in mapping.footnote_markers):
            counts["footnote_rows"] += len(rows) - r + 1
            break
        if normalize(label) in skip:
            counts["skipped_total_rows"] += 1
            continue
        labelled.append((r, label, row))
    table = registry()
    unknown = [f"{label} (row {r})" for r, label, _ in labelled if table.lookup(label) is None]
    if unknown:
        raise UnknownAreaError(unknown, f"{where}, column {letter(area_col)}")
    records: list[BilateralRecord] = []
    seen: dict[tuple[str, str, int, str], int] = {}
    for r, label, row in labelled:
        partner = table.lookup(label).area_id  # type: ignore[union-attr]
        counts["data_rows"] += 1
        for col, spec in columns:
            cell = row[col] if col < len(row) else None
            text = str(cell).strip() if isinstance(cell, str) else None
            try:
                value = (None if text in missing else 0.0 if text in zeros else number(cell))
            except ValueError:
                raise SourceFileError(
                    f"{where}, row {r}, column {letter(col)} ({header[col]!r}): {cell!r} is not a "
                    "number; fix the cell or the mapping's column", path=path) from None
            if value is None:
                counts["missing_value"] += 1
                continue
            origin, dest = (partner, reporter) if spec.partner == "origin" else (reporter, partner)
            key = (origin, dest, spec.year, spec.indicator)
            if key in seen:
                raise SourceFileError(
                    f"{where}: rows {seen[key]} and {r} both give {spec.indicator} {spec.year} "
                    f"for {origin} → {dest} (column {letter(col)}); '{label}' duplicates an "
                    "earlier country. Remove one row or add it to skip_labels.", path=path)
            seen[key] = r
            unit, factor = UNITS[spec.unit or mapping.unit]
            records.append((origin, dest, spec.year, spec.indicator, value * factor, unit))
    return Parsed({"bilateral_indicator": bilateral_table(records, where)}, counts)
