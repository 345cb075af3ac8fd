"""UN World Population Prospects: population, births, deaths, net migration (WPP 2024, 2019).

Reads, all into ``area_indicator`` in **persons** (WPP publishes thousands):

* WPP 2024 ``misc1dt.csv.gz``: annual ``births`` and ``deaths`` (calendar year);
* WPP 2024 ``mig1dt.csv.gz``: annual ``net_migration`` (negative = net emigration);
* WPP 2024 ``popAge5dt.csv.gz``: ``population`` on 1 July of 1950, 1955 … 2020 by sex
  (summed over the 5-year age groups);
* WPP 2019 ``WPP2019_Period_Indicators_Medium.csv``: ``births_period`` and
  ``deaths_period`` (total; deaths also by sex) over 5-year periods, ``year`` = the
  period's first year (1950 for 1950–1955), medium variant;
* WPP 2019 ``WPP2019_POP_F01_1_TOTAL_POPULATION_BOTH_SEXES.xlsx`` (sheet ESTIMATES):
  annual ``population`` on 1 July, 1950–2020.

UN M49 codes become area ids through :mod:`steppe.areas`; groupings (codes ≥ 900) the
registry does not know are counted as ``unregistered_aggregate_rows`` and left out.
Values are rounded to whole persons (WPP gives thousands with three decimals).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from steppe.errors import SourceFileError
from steppe.sources.base import KnownFile, Parsed, Source, SourceInfo
from steppe.sources.canonical import AreaRecord, area_table, m49_area, number
from steppe.sources.tabular import read_csv_table
from steppe.sources.xlsx import find_header_row, read_sheet_rows

_PKG = "https://github.com/PPgp/wpp2024 (data/{}.rda, converted to csv.gz); official: "
_WPP = "https://population.un.org/wpp/"
_OLD = ("https://population.un.org/wpp/Download/Files/1_Indicators%20(Standard)/")

INFO = SourceInfo(
    id="un_wpp",
    title="World Population Prospects: population, births, deaths, net migration",
    publisher="United Nations, Department of Economic and Social Affairs, Population Division",
    licence="CC BY 3.0 IGO",
    url=_WPP,
    citation="United Nations, Department of Economic and Social Affairs, Population Division. "
             "World Population Prospects <edition>.",
    files=(
        KnownFile("2024", "misc1dt.csv.gz", _PKG.format("misc1dt") + _WPP,
                  "ee167f885de2dcf08e82c936420a2a871971472eaf20a6e55dfd4aae49575d40", 638788, "misc"),
        KnownFile("2024", "mig1dt.csv.gz", _PKG.format("mig1dt") + _WPP,
                  "e45bb4dde9163c35c2bffbc4e095104d9f14eff0d25a63616b9f56f799f41f1b", 153477, "mig"),
        KnownFile("2024", "popAge5dt.csv.gz", _PKG.format("popAge5dt") + _WPP,
                  "20258b8794ce2e553aa183482c5b72d679090118ee04813c5e8e651261a2069f", 1335276,
                  "pop5"),
        KnownFile("2019", "WPP2019_Period_Indicators_Medium.csv",
                  _OLD + "CSV_FILES/WPP2019_Period_Indicators_Medium.csv",
                  "a6113f86ab1b4f9ed676ae97927a7ffb4b28b6e395198a2f23c71cbc067ed227", 971939,
                  "period"),
        KnownFile("2019", "WPP2019_POP_F01_1_TOTAL_POPULATION_BOTH_SEXES.xlsx",
                  _OLD + "EXCEL_FILES/1_Population/WPP2019_POP_F01_1_TOTAL_POPULATION_BOTH_SEXES.xlsx",
                  "2549b2171a441352b1e28bc267824f6f912a63b20cd18189370bfc8b28827bfc", 2520783,
                  "f01"),
    ),
)

_QUERIES = {
    "misc": """SELECT country_code::INTEGER, year::INTEGER, 'births', 'total', births * 1000
               FROM raw WHERE births IS NOT NULL UNION ALL
               SELECT country_code::INTEGER, year::INTEGER, 'deaths', 'total', deaths * 1000
               FROM raw WHERE deaths IS NOT NULL""",
    "mig": """SELECT country_code::INTEGER, year::INTEGER, 'net_migration', 'total', mig * 1000
              FROM raw WHERE mig IS NOT NULL""",
    "pop5": """SELECT country_code::INTEGER, year::INTEGER, 'population', s.sex,
                      sum(CASE s.sex WHEN 'total' THEN pop WHEN 'male' THEN popM
                          ELSE popF END) * 1000
               FROM raw, (VALUES ('total'), ('male'), ('female')) s(sex) GROUP BY ALL""",
    "period": """SELECT LocID::INTEGER, left(Time, 4)::INTEGER, ind, sex, v * 1000 FROM (
                   SELECT LocID, Time, 'births_period' ind, 'total' sex, Births v FROM raw
                   UNION ALL SELECT LocID, Time, 'deaths_period', 'total', Deaths FROM raw
                   UNION ALL SELECT LocID, Time, 'deaths_period', 'male', DeathsMale FROM raw
                   UNION ALL SELECT LocID, Time, 'deaths_period', 'female', DeathsFemale FROM raw)
                 WHERE v IS NOT NULL AND LocID IS NOT NULL""",
}
_REQUIRED = {"misc": ("country_code", "year", "births", "deaths"),
             "mig": ("country_code", "year", "mig"),
             "pop5": ("country_code", "year", "pop", "popM", "popF"),
             "period": ("LocID", "Time", "Births", "Deaths", "Variant")}


class UnWpp(Source):
    """The WPP loader."""

    info = INFO

    def read(self, path: Path, known: KnownFile) -> Parsed:
        raw = _read_f01(path) if known.fmt == "f01" else _read_csv(path, known.fmt)
        records: list[AreaRecord] = []
        counts = {"rows_read": len(raw), "unregistered_aggregate_rows": 0}
        areas: dict[int, str | None] = {}
        for code, year, indicator, sex, value in raw:
            if code not in areas:
                areas[code] = m49_area(code, path.name)
            area = areas[code]
            if area is None:
                counts["unregistered_aggregate_rows"] += 1
                continue
            records.append((area, year, indicator, sex, float(round(value)), "persons"))
        return Parsed({"area_indicator": area_table(records, path.name)}, counts)


SOURCE = UnWpp()


def _read_csv(path: Path, fmt: str) -> list[tuple[Any, ...]]:
    table = read_csv_table(path, what=f"a WPP table with columns {', '.join(_REQUIRED[fmt])}",
                           source_id=INFO.id, required=_REQUIRED[fmt])
    con = duckdb.connect()
    con.register("file", table)
    con.execute("CREATE TABLE raw AS FROM file")
    if fmt == "period":  # the copy interleaves comma-only lines; keep the medium variant
        con.execute("DELETE FROM raw WHERE LocID IS NULL OR Variant <> 'Medium'")
    return con.execute(_QUERIES[fmt]).fetchall()


def _read_f01(path: Path) -> list[tuple[Any, ...]]:
    rows = read_sheet_rows(path, "ESTIMATES", source_id=INFO.id)
    at = find_header_row(rows, ("Country code", "Type"), path=path)
    header = [str(c).strip() if c is not None else "" for c in rows[at]]
    code_col, type_col = header.index("Country code"), header.index("Type")
    years = [(i, int(float(h))) for i, h in enumerate(header) if h.replace(".0", "").isdigit()]
    out = []
    for r, row in enumerate(rows[at + 1:], at + 2):
        if not isinstance(row[code_col], (int, float)) or row[type_col] == "Label/Separator":
            continue
        for col, year in years:
            try:
                value = number(row[col])
            except ValueError as exc:
                raise SourceFileError(f"{path.name} ESTIMATES row {r}, column {col + 1}: {exc}",
                                      path=path, source_id=INFO.id) from None
            if value is not None:
                out.append((int(row[code_col]), year, "population", "total", value * 1000))
    return out
