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

import duckdb
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


def _map_codes(con: duckdb.DuckDBPyConnection, raw: str, context: str) -> Parsed:
    """Turn a raw long table (dest, org, year, sex, value) into canonical rows.

    Exact duplicate rows (the 2020 files list code 927 under two headings) are counted
    and kept once; the same key with different values is refused. One aggregation
    gives the keys and every count.
    """
    con.execute(f"""
        CREATE TEMP TABLE keyed AS
        SELECT dest, org, year, sex, count(*) AS n, min(value) AS value, max(value) AS high
        FROM {raw} GROUP BY dest, org, year, sex
    """)
    codes = [r[0] for r in con.execute(
        "SELECT DISTINCT dest FROM keyed UNION SELECT DISTINCT org FROM keyed").fetchall()]
    con.register("codes", code_table(codes, context))
    rows_read, duplicates, conflicting, missing, negative, bad_sex, aggregates = con.execute("""
        SELECT sum(n), sum(n - 1), count(*) FILTER (WHERE value <> high),
               count(*) FILTER (WHERE value IS NULL), count(*) FILTER (WHERE value < 0),
               sum(n) FILTER (WHERE sex NOT IN (0, 1, 2)),
               sum(n) FILTER (WHERE d.kind = 'aggregate' OR o.kind = 'aggregate')
        FROM keyed k JOIN codes d ON k.dest = d.m49 JOIN codes o ON k.org = o.m49
    """).fetchone()
    if bad_sex:
        raise SourceFileError(f"{context}: {bad_sex} rows have a sex code other than 0, 1, 2",
                              source_id=INFO.id)
    if conflicting:
        raise SourceFileError(f"{context}: {conflicting} (destination, origin, year, sex) keys "
                              "appear more than once with different values", source_id=INFO.id)
    # stored with integer keys (see migration 4): M49 codes and UN DESA's own sex codes
    table = con.execute("""
        SELECT CAST(floor(k.year) AS SMALLINT) AS year, o.area_m49 AS origin_m49,
               d.area_m49 AS destination_m49, CAST(k.sex AS UTINYINT) AS sex,
               CAST(k.value AS DOUBLE) AS value
        FROM keyed k JOIN codes d ON k.dest = d.m49 JOIN codes o ON k.org = o.m49
        WHERE k.value IS NOT NULL
    """).to_arrow_table()
    counts = {"rows_read": int(rows_read or 0), "missing_value": int(missing or 0),
              "aggregate_rows": int(aggregates or 0), "negative_value": int(negative or 0),
              "duplicate_identical_rows": int(duplicates or 0)}
    return Parsed({"migrant_stock_facts": table}, counts)


def _read_long_csv(path: Path) -> Parsed:
    raw = read_csv_table(path, {"LocIDdest": pa.int32(), "LocIDorg": pa.int32(),
                                "year": pa.float64(), "sex": pa.int32(), "value": pa.float64()},
                         what="a UN DESA long table (LocIDdest, LocIDorg, year, value, sex)",
                         source_id=INFO.id)
    con = duckdb.connect()
    con.register("file", raw)
    con.execute("CREATE VIEW raw AS SELECT LocIDdest AS dest, LocIDorg AS org, year, sex, value "
                "FROM file")
    return _map_codes(con, "raw", path.name)


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
    con = duckdb.connect()
    con.register("raw", pa.table({"dest": dest, "org": org, "year": year, "sex": sex,
                                  "value": value}))
    parsed = _map_codes(con, "raw", path.name)
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
    con = duckdb.connect()
    con.register("raw", raw)
    return _map_codes(con, "raw", path.name)


_MISSING_MARKERS = pa.array(["..", "-", ""])


def _stock_numbers(cells: pa.ChunkedArray) -> pa.ChunkedArray:
    """Text cells as numbers: ``..``, ``-`` and blanks are missing, thousands commas dropped."""
    cells = pc.utf8_trim_whitespace(cells)
    cells = pc.if_else(pc.is_in(cells, value_set=_MISSING_MARKERS), None, cells)
    return pc.cast(pc.replace_substring(cells, ",", ""), pa.float64())


def _bad_cells(path: Path, wide: pa.Table, origins: list[str]) -> SourceFileError:
    """The error for cells that are neither numbers nor missing markers."""
    bad = []
    for name in ["Year", *origins]:
        cells = pc.replace_substring(pc.utf8_trim_whitespace(wide.column(name)), ",", "")
        number = pc.match_substring_regex(cells, r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
        if name != "Year":
            number = pc.or_(number, pc.is_in(cells, value_set=_MISSING_MARKERS))
        bad += wide.column(name).filter(pc.invert(number)).to_pylist()
    return SourceFileError(f"{path.name}: {len(bad)} cells are neither numbers nor '..'/'-' "
                           f"(e.g. {bad[0]!r})", path=path, source_id=INFO.id)
