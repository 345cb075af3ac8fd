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
import pyarrow as pa

from steppe.errors import SourceFileError
from steppe.sources.base import KnownFile, Parsed, Source, SourceInfo
from steppe.sources.un_desa_codes import SEX_CODES, code_table
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
        stock = parsed.tables.get("migrant_stock")
        if stock is not None and stock.num_rows:
            con = duckdb.connect()
            con.register("s", stock)
            negative = con.execute("SELECT count(*) FROM s WHERE value < 0").fetchone()[0]
            dupes = con.execute(
                "SELECT count(*) FROM (SELECT 1 FROM s GROUP BY year, origin, destination, sex "
                "HAVING count(*) > 1)").fetchone()[0]
            if negative:
                problems.append(f"{negative} negative stock values")
            if dupes:
                problems.append(f"{dupes} duplicated (year, origin, destination, sex) keys")
        return problems


SOURCE = UnDesaStock()


def _map_codes(con: duckdb.DuckDBPyConnection, raw: str, context: str) -> Parsed:
    """Turn a registered raw long table (dest, org, year, sex, value) into canonical rows."""
    codes = [r[0] for r in con.execute(
        f"SELECT DISTINCT dest FROM {raw} UNION SELECT DISTINCT org FROM {raw}").fetchall()]
    con.register("codes", code_table(codes, context))
    counts: dict[str, int] = dict(zip(
        ("rows_read", "missing_value", "aggregate_rows"),
        con.execute(f"""
            SELECT count(*), count(*) FILTER (WHERE value IS NULL),
                   count(*) FILTER (WHERE d.kind = 'aggregate' OR o.kind = 'aggregate')
            FROM {raw} r JOIN codes d ON r.dest = d.m49 JOIN codes o ON r.org = o.m49
        """).fetchone(),
    ))
    conflicting = con.execute(f"""
        SELECT count(*) FROM (SELECT 1 FROM {raw} GROUP BY ALL HAVING count(DISTINCT value) > 1)
    """.replace("GROUP BY ALL", "GROUP BY dest, org, year, sex")).fetchone()[0]
    if conflicting:
        raise SourceFileError(f"{context}: {conflicting} (destination, origin, year, sex) keys "
                              "appear more than once with different values", source_id=INFO.id)
    counts["duplicate_identical_rows"] = int(con.execute(
        f"SELECT count(*) - count(DISTINCT (dest, org, year, sex)) FROM {raw}").fetchone()[0])
    table = con.execute(f"""
        SELECT DISTINCT CAST(floor(r.year) AS SMALLINT) AS year, o.area_id AS origin,
               d.area_id AS destination,
               CASE r.sex WHEN 0 THEN 'total' WHEN 1 THEN 'male' WHEN 2 THEN 'female' END AS sex,
               CAST(r.value AS DOUBLE) AS value
        FROM {raw} r JOIN codes d ON r.dest = d.m49 JOIN codes o ON r.org = o.m49
        WHERE r.value IS NOT NULL
    """).arrow()
    if hasattr(table, "read_all"):
        table = table.read_all()
    return Parsed({"migrant_stock": table}, counts)


def _read_long_csv(path: Path) -> Parsed:
    con = duckdb.connect()
    try:
        con.execute(
            "CREATE TABLE raw AS SELECT LocIDdest::INTEGER AS dest, LocIDorg::INTEGER AS org, "
            "year::DOUBLE AS year, sex::INTEGER AS sex, value::DOUBLE AS value "
            "FROM read_csv(?, header = true, columns = {'LocIDdest': 'VARCHAR', "
            "'LocIDorg': 'VARCHAR', 'year': 'VARCHAR', 'value': 'VARCHAR', 'sex': 'VARCHAR'})",
            [str(path)],
        )
    except duckdb.Error as exc:
        raise SourceFileError(
            f"{path.name} is not a readable UN DESA long table (LocIDdest, LocIDorg, year, value, "
            f"sex): {exc}. Download it again or pass the official workbook.", path=path,
            source_id=INFO.id) from exc
    bad_sex = con.execute("SELECT count(*) FROM raw WHERE sex NOT IN (0, 1, 2)").fetchone()[0]
    if bad_sex:
        raise SourceFileError(f"{path.name}: {bad_sex} rows have a sex code other than 0, 1, 2",
                              path=path, source_id=INFO.id)
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
    import pandas as pd

    from steppe.areas import resolve_many

    try:
        frame = pd.read_csv(path, na_values=["..", "-"], keep_default_na=False, dtype=str)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise SourceFileError(f"{path.name} is not a readable CSV: {exc}", path=path,
                              source_id=INFO.id) from exc
    if list(frame.columns[:2]) != ["Year", "Dest"]:
        raise SourceFileError(
            f"{path.name} should start with columns Year, Dest (the 2019 origin × destination "
            f"table); found {list(frame.columns[:2])}", path=path, source_id=INFO.id)
    origins = list(frame.columns[2:])
    areas = resolve_many(set(origins) | set(frame["Dest"].dropna()), context=path.name)
    long = frame.melt(id_vars=["Year", "Dest"], var_name="origin_name", value_name="raw")
    missing = int(long["raw"].isna().sum())
    long = long.dropna(subset=["raw"])
    long["value"] = pd.to_numeric(long["raw"].str.replace(",", "").str.strip(), errors="raise")
    table = pa.table({
        "year": pa.array(long["Year"].astype(int), pa.int16()),
        "origin": [areas[n].area_id for n in long["origin_name"]],
        "destination": [areas[n].area_id for n in long["Dest"]],
        "sex": ["total"] * len(long),
        "value": long["value"].astype(float),
    })
    aggregates = sum(1 for n in long["Dest"] if areas[n].kind != "country")
    return Parsed({"migrant_stock": table}, {"rows_read": len(frame) * len(origins),
                                             "missing_value": missing,
                                             "aggregate_rows": aggregates})
