"""UN DESA International Migrant Stock: destination × origin × sex (revisions 2024, 2020, 2019).

Reads, with the same canonical result:

* the long tables of the 2024 and 2020 revisions (``ms2024org.csv.gz``,
  ``ms2020org.csv.gz``: UN location codes, mid-year ``x.5`` years, sex 0/1/2);
* the official workbooks ``undesa_pd_20xx_ims_stock_by_sex_destination_and_origin.xlsx``
  (Table 1: one row per destination–origin pair, three blocks of year columns:
  both sexes, males, females);
* the 2019 revision's origin × destination table (wide, country names, both sexes).

Aggregate rows (World, regions, income groups) are kept with ``M49:<code>`` ids and
counted; UN DESA's "Other" origin (code 2003) becomes ``OTHER``; ``..``, blanks and
``-`` are counted as missing and not loaded. Revisions are separate editions and are
never mixed in one series.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from steppe.errors import SourceFileError
from steppe.sources.base import KnownFile, Parsed, Source, SourceInfo
from steppe.sources.tabular import read_csv_table
from steppe.sources.un_desa_codes import code_table
from steppe.sources.xlsx import find_header_row, read_sheet_rows

_BASE = "https://www.un.org/development/desa/pd/sites/www.un.org.development.desa.pd/files/"
_SHINY = "https://github.com/sarahertog/msShiny (GlobalFiles/ms_previous), converted from .rda; official: "

INFO = SourceInfo(
    id="un_desa_stock",
    title="International Migrant Stock: destination and origin, by sex",
    publisher="United Nations, Department of Economic and Social Affairs, Population Division",
    licence="CC BY 3.0 IGO",
    url="https://www.un.org/development/desa/pd/content/international-migrant-stock",
    citation=(
        "United Nations Department of Economic and Social Affairs, Population Division. "
        "International Migrant Stock (POP/DB/MIG/Stock/Rev.<edition>)."
    ),
    files=(
        KnownFile("2024", "ms2024org.csv.gz",
                  _BASE + "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx",
                  "5abf88d0bb3307b8d54940466b0cd59d84d248d55978ebda8a5afbc006347878", 3326918,
                  "long-csv"),
        KnownFile("2020", "ms2020org.csv.gz",
                  _BASE + "undesa_pd_2020_ims_stock_by_sex_destination_and_origin.xlsx",
                  "67c5f2c1e5927829c4caf4fea0ba850ab20b2d7cfddacb81b615aeb8b2fcef25", 3441970,
                  "long-csv"),
        KnownFile("2024", "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx",
                  _BASE + "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx",
                  None, None, "official-xlsx"),
        KnownFile("2020", "undesa_pd_2020_ims_stock_by_sex_destination_and_origin.xlsx",
                  _BASE + "undesa_pd_2020_ims_stock_by_sex_destination_and_origin.xlsx",
                  None, None, "official-xlsx"),
        KnownFile("2019", "UN_MigrantStockByOriginAndDestination_2019_clean.csv",
                  "https://www.un.org/en/development/desa/population/migration/data/estimates2/"
                  "data/UN_MigrantStockByOriginAndDestination_2019.xlsx",
                  "5aa066f9666b2cabac0347fc2e2794ef99767fc36aa44cc12de82c32d40e4cda", 965426,
                  "wide-2019"),
    ),
)

_COLUMNS = ("year", "origin", "destination", "sex", "value")


class UnDesaStock(Source):
    """The bilateral migrant stock loader."""

    info = INFO

    def read(self, path: Path, known: KnownFile) -> Parsed:
        readers = {"long-csv": _read_long_csv, "official-xlsx": _read_official_xlsx,
                   "wide-2019": _read_wide_2019}
        return readers[known.fmt](path)

    def validate(self, parsed: Parsed) -> list[str]:
        problems = super().validate(parsed)
        if parsed.counts.get("negative_value"):
            problems.append(f"{parsed.counts['negative_value']} negative stock values")
        return problems


SOURCE = UnDesaStock()


def _map_codes(raw: pa.Table, context: str) -> Parsed:
    """Turn a raw long table (dest, org, year, sex, value) into canonical rows.

    Exact duplicate rows (the 2020 files list code 927 under two headings) are counted
    and kept once; the same key with different values is refused.
    """
    for column in ("dest", "org", "year", "sex"):
        if raw.column(column).null_count:
            raise SourceFileError(f"{context}: {raw.column(column).null_count} rows have no "
                                  f"{_KEY_NAMES[column]}", source_id=INFO.id)
    dest, org, sex = (raw.column(c).to_numpy().astype(np.int64) for c in ("dest", "org", "sex"))
    year = np.floor(raw.column("year").to_numpy()).astype(np.int64)
    value = raw.column("value").to_numpy(zero_copy_only=False).astype(np.float64)  # null: NaN
    bad_sex = int(np.count_nonzero((sex < 0) | (sex > 2)))
    if bad_sex:
        raise SourceFileError(f"{context}: {bad_sex} rows have a sex code other than 0, 1, 2",
                              source_id=INFO.id)
    if len(year) and (year.min() < 1800 or year.max() > 2200):
        raise SourceFileError(f"{context}: years from {year.min()} to {year.max()}; expected "
                              "mid-year dates such as 2020.5", source_id=INFO.id)
    codes = code_table(np.union1d(dest, org).tolist(), context)
    known = codes.column("m49").to_numpy()
    area_m49 = np.zeros(int(known.max(initial=0)) + 1, np.int16)
    area_m49[known] = codes.column("area_m49").to_numpy()
    aggregate = codes.filter(pc.equal(codes.column("kind"), "aggregate")).column("m49").to_numpy()

    key = (dest << 40) | (org << 20) | ((year - 1800) << 3) | sex  # every part checked above
    first, low, high = _one_row_per_key(key, value)
    conflicting = int(np.count_nonzero(low < high))  # NaN when every value is missing
    if conflicting:
        raise SourceFileError(f"{context}: {conflicting} (destination, origin, year, sex) keys "
                              "appear more than once with different values", source_id=INFO.id)
    kept = ~np.isnan(low)
    rows = first[kept]
    # stored with integer keys (see migration 4): M49 codes and UN DESA's own sex codes
    table = pa.table({"year": year[rows].astype(np.int16), "origin_m49": area_m49[org[rows]],
                      "destination_m49": area_m49[dest[rows]], "sex": sex[rows].astype(np.uint8),
                      "value": low[kept]})
    counts = {"rows_read": len(key), "missing_value": int(np.count_nonzero(~kept)),
              "aggregate_rows": int(np.count_nonzero(np.isin(dest, aggregate)
                                                     | np.isin(org, aggregate))),
              "negative_value": int(np.count_nonzero(low < 0)),
              "duplicate_identical_rows": len(key) - len(first)}
    return Parsed({"migrant_stock_facts": table}, counts)


def _one_row_per_key(key: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, ...]:
    """(first row of each distinct key, its smallest and largest value), NaN ignored.

    Sorting the packed keys is several times faster than a hash aggregation here.
    """
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    if not len(starts):
        return starts, value, value
    ordered = value[order]
    return order[starts], np.fmin.reduceat(ordered, starts), np.fmax.reduceat(ordered, starts)


_KEY_NAMES = {"dest": "destination code", "org": "origin code", "year": "year", "sex": "sex code"}


def _read_long_csv(path: Path) -> Parsed:
    raw = read_csv_table(path, {"LocIDdest": pa.int32(), "LocIDorg": pa.int32(),
                                "year": pa.float64(), "sex": pa.int32(), "value": pa.float64()},
                         what="a UN DESA long table (LocIDdest, LocIDorg, year, value, sex)",
                         source_id=INFO.id)
    raw = raw.select(["LocIDdest", "LocIDorg", "year", "sex", "value"])
    return _map_codes(raw.rename_columns(["dest", "org", "year", "sex", "value"]), path.name)


def _read_official_xlsx(path: Path) -> Parsed:
    rows = read_sheet_rows(path, "Table 1", source_id=INFO.id)
    header_at = find_header_row(rows, ("Location code of destination", "Location code of origin"),
                                path=path)
    header = [str(c).strip() if c is not None else "" for c in rows[header_at]]
    dest_col = header.index("Location code of destination")
    org_col = header.index("Location code of origin")
    year_cols = [(i, int(float(h))) for i, h in enumerate(header) if h.replace(".0", "").isdigit()
                 and 1950 <= int(float(h)) <= 2100]
    n_years = len({y for _, y in year_cols})
    if n_years == 0 or len(year_cols) != 3 * n_years:
        raise SourceFileError(
            f"{path.name} Table 1 should have three blocks of year columns (both sexes, male, "
            f"female); found {len(year_cols)} year columns", path=path, source_id=INFO.id)
    dest, org, year, sex, value = [], [], [], [], []
    missing = 0
    for row in rows[header_at + 1:]:
        if row[dest_col] in (None, "") or row[org_col] in (None, ""):
            continue
        for k, (col, yr) in enumerate(year_cols):
            cell = row[col] if col < len(row) else None
            if cell in (None, "", "..", "-", "…"):
                missing += 1
                continue
            dest.append(int(row[dest_col])), org.append(int(row[org_col]))
            year.append(float(yr)), sex.append(k // n_years), value.append(float(cell))
    parsed = _map_codes(pa.table({"dest": dest, "org": org, "year": year, "sex": sex,
                                  "value": pa.array(value, pa.float64())}), path.name)
    parsed.counts["missing_value"] = missing
    return parsed


def _read_wide_2019(path: Path) -> Parsed:
    from steppe.areas import resolve_many

    wide = read_csv_table(path, what="the 2019 origin × destination table (CSV)",
                          source_id=INFO.id, all_text=True)
    columns = wide.column_names
    if columns[:2] != ["Year", "Dest"]:
        raise SourceFileError(
            f"{path.name} should start with columns Year, Dest (the 2019 origin × destination "
            f"table); found {columns[:2]}", path=path, source_id=INFO.id)
    origins, destinations = columns[2:], wide.column("Dest").to_pylist()
    areas = resolve_many(set(origins) | set(destinations), context=path.name)
    try:
        years = pc.cast(wide.column("Year"), pa.float64()).to_numpy()
        cells = [_stock_numbers(wide.column(name)) for name in origins]
    except pa.ArrowInvalid:
        raise _bad_cells(path, wide, origins) from None
    # column by column: every destination row for the first origin, then the next origin
    n = wide.num_rows
    raw = pa.table({
        "dest": np.tile([areas[d].m49 for d in destinations], len(origins)),
        "org": np.repeat([areas[o].m49 for o in origins], n),
        "year": np.tile(years, len(origins)),
        "sex": np.zeros(n * len(origins), np.int32),
        "value": pa.chunked_array([c for column in cells for c in column.chunks], pa.float64()),
    })
    return _map_codes(raw, path.name)


_MISSING_MARKERS = pa.array(["..", "-", ""])


def _cell_text(cells: pa.ChunkedArray) -> pa.ChunkedArray:
    """Cells without surrounding blanks and thousands commas."""
    return pc.replace_substring(pc.utf8_trim_whitespace(cells), ",", "")


def _stock_numbers(cells: pa.ChunkedArray) -> pa.ChunkedArray:
    """Text cells as numbers: ``..``, ``-`` and blanks are missing."""
    cells = _cell_text(cells)
    return pc.cast(pc.if_else(pc.is_in(cells, value_set=_MISSING_MARKERS), None, cells),
                   pa.float64())


def _bad_cells(path: Path, wide: pa.Table, origins: list[str]) -> SourceFileError:
    """The error for cells that are neither numbers nor missing markers."""
    bad = []
    for name in ["Year", *origins]:
        cells = _cell_text(wide.column(name))
        number = pc.match_substring_regex(cells, r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
        if name != "Year":
            number = pc.or_(number, pc.is_in(cells, value_set=_MISSING_MARKERS))
        bad += wide.column(name).filter(pc.invert(number)).to_pylist()
    return SourceFileError(f"{path.name}: {len(bad)} cells are neither numbers nor '..'/'-' "
                           f"(e.g. {bad[0]!r})", path=path, source_id=INFO.id)
