"""World Bank World Development Indicators: remittances, GDP per capita, population, refugees.

Reads four layouts of WDI, each an unmodified download:

* API Excel downloads (``API_<code>_DS2_en_excel_v2_*.xls``): one series, countries ×
  1960–2022; aggregates (codes without a ``Region`` in "Metadata - Countries") are
  counted and left out;
* DataBank exports for one year (``wdi_databank_2021_part1.xlsx`` and ``_part2.xlsx``:
  "Label [CODE]" columns);
* a long DataBank export (``wdi_databank_gdppc_selected_1960_2023.xlsx``: ``YR1960`` codes);
* a WDI-derived panel of remittances as % of GDP for KGZ, TJK, UZB to 2024
  (``fozich_remittances_central_asia_panel.csv``, a research convenience copy).

Rows go to ``area_indicator``; the series kept and their indicator names are
:data:`SERIES` (documented in docs/indicators.md). ``..`` and blanks are missing.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from steppe.areas.registry import registry
from steppe.errors import SourceFileError
from steppe.sources.base import KnownFile, Parsed, Source, SourceInfo
from steppe.sources.canonical import AreaRecord, area_table, number
from steppe.sources.xlsx import find_header_row, read_sheet_rows

_API = "https://api.worldbank.org/v2/en/indicator/{}?downloadformat=excel"

INFO = SourceInfo(
    id="worldbank_wdi",
    title="World Development Indicators: remittances, GDP per capita, population, refugees",
    publisher="World Bank",
    licence="CC BY 4.0",
    url="https://databank.worldbank.org/source/world-development-indicators",
    citation="World Bank. World Development Indicators (series as named in each row's indicator).",
    files=(
        KnownFile("2023-10-26", "API_BX.TRF.PWKR.CD.DT_DS2_en_excel_v2_6000901.xls",
                  _API.format("BX.TRF.PWKR.CD.DT"),
                  "74fc3ee7d6e4bb2560b93819e171d9a0dbefba4f8f123d5af4410c58a32a2082", 289280, "api"),
        KnownFile("2023-10-26", "API_SM.POP.REFG.OR_DS2_en_excel_v2_5997665.xls",
                  _API.format("SM.POP.REFG.OR"),
                  "178217cbc89bcfe4a4ae241de3adda036ae295756ba04557f4741bbac2b55809", 181760, "api"),
        KnownFile("2024-03-28", "wdi_databank_2021_part1.xlsx",
                  "https://databank.worldbank.org/source/world-development-indicators",
                  "9a5962f3d069cb6829915691e4fa7c62a9aba95221c1147fb9d45dd2099f18c0", 1899753,
                  "databank-wide"),
        KnownFile("2024-03-28", "wdi_databank_2021_part2.xlsx",
                  "https://databank.worldbank.org/source/world-development-indicators",
                  "67d7a0a1b6741f864e492d02bea19851a831f48bb5376e136e890ffa0950b5e7", 838045,
                  "databank-wide"),
        KnownFile("2024-10-24", "wdi_databank_gdppc_selected_1960_2023.xlsx",
                  "https://databank.worldbank.org/source/world-development-indicators",
                  "3653427373082310e2b994c50ce77f4c40a80e8aaffdbd835e4f067220f32045", 716394,
                  "databank-long"),
        KnownFile("2025-fozich", "fozich_remittances_central_asia_panel.csv",
                  "https://github.com/Fozich/remittances-central-asia (data/panel.csv); "
                  "underlying WDI BX.TRF.PWKR.DT.GD.ZS",
                  "62a388b1883241af9341356c7039f7d5a66612b9f4c8f576c7912c51ac4db2db", 1793, "panel"),
    ),
)

#: WDI series code -> (indicator, unit)
SERIES: dict[str, tuple[str, str]] = {
    "BX.TRF.PWKR.CD.DT": ("remittances_received", "usd"),
    "BX.TRF.PWKR.DT.GD.ZS": ("remittances_received_pct_gdp", "percent"),
    "BM.TRF.PWKR.CD.DT": ("remittances_paid", "usd"),
    "NY.GDP.PCAP.CD": ("gdp_per_capita", "usd"),
    "NY.GDP.PCAP.KD": ("gdp_per_capita", "usd_2015"),
    "NY.GDP.MKTP.CD": ("gdp", "usd"),
    "SP.POP.TOTL": ("population", "persons"),
    "SM.POP.REFG.OR": ("refugees_by_origin", "persons"),
    "SM.POP.REFG": ("refugee_stock", "persons"),
    "SM.POP.TOTL": ("migrant_stock_total", "persons"),
    "SM.POP.NETM": ("net_migration", "persons"),
}
#: published values known to be placeholders (Manifest: Turkmenistan reports 0 for 2022)
KNOWN_FALSE_ZEROS = {("BX.TRF.PWKR.CD.DT", "TKM", 2022)}
_WORLD = {"WLD": "M49:900"}


class WorldBankWdi(Source):
    """The WDI loader."""

    info = INFO

    def read(self, path: Path, known: KnownFile) -> Parsed:
        readers = {"api": _read_api, "databank-wide": _read_databank_wide,
                   "databank-long": _read_databank_long, "panel": _read_panel}
        records, counts = readers[known.fmt](path)
        return Parsed({"area_indicator": area_table(records, path.name)}, counts)


SOURCE = WorldBankWdi()


def _area(code: str, counts: dict[str, int]) -> str | None:
    code = str(code).strip()
    if code in _WORLD:
        return _WORLD[code]
    if code in registry().by_id:
        return code
    counts["aggregate_rows"] = counts.get("aggregate_rows", 0) + 1
    return None


def _read_api(path: Path) -> tuple[list[AreaRecord], dict[str, int]]:
    rows = read_sheet_rows(path, "Data", source_id=INFO.id)
    meta = read_sheet_rows(path, "Metadata - Countries", source_id=INFO.id)
    economies = {str(r[0]) for r in meta[1:] if r and str(r[1] or "").strip()}  # with a region
    at = find_header_row(rows, ("Country Code", "Indicator Code"), path=path)
    header = [str(c).strip() for c in rows[at]]
    code_col, series_col = header.index("Country Code"), header.index("Indicator Code")
    years = [(i, int(h)) for i, h in enumerate(header) if h.isdigit()]
    records: list[AreaRecord] = []
    counts = {"aggregate_rows": 0, "missing_value": 0, "known_false_zero": 0}
    unknown: list[str] = []
    for row in rows[at + 1:]:
        code, series = str(row[code_col] or "").strip(), str(row[series_col] or "").strip()
        if not code:
            continue
        if series not in SERIES:
            raise SourceFileError(f"{path.name}: series {series!r} is not one steppe maps "
                                  f"(known: {', '.join(SERIES)})", path=path, source_id=INFO.id)
        if code not in economies:  # aggregates and 'INX' (not classified) have no region
            counts["aggregate_rows"] += 1
            continue
        if code not in registry().by_id:
            unknown.append(code)
            continue
        indicator, unit = SERIES[series]
        for col, year in years:
            value = number(row[col])
            if value is None:
                counts["missing_value"] += 1
            elif value == 0 and (series, code, year) in KNOWN_FALSE_ZEROS:
                counts["known_false_zero"] += 1
            else:
                records.append((code, year, indicator, "total", value, unit))
    if unknown:
        from steppe.errors import UnknownAreaError

        raise UnknownAreaError(unknown, path.name)
    return records, counts


_LABEL = re.compile(r"\[([A-Z0-9.]+)\]\s*$")


def _append_values(records: list[AreaRecord], counts: dict[str, int], row: tuple[Any, ...],
                   wanted: list[tuple[int, tuple[str, str]]], area: str, year: int) -> None:
    """One DataBank row's wanted series as records; empty cells are counted as missing."""
    for col, (indicator, unit) in wanted:
        value = number(row[col])
        if value is None:
            counts["missing_value"] += 1
        else:
            records.append((area, year, indicator, "total", value, unit))


def _read_databank_wide(path: Path) -> tuple[list[AreaRecord], dict[str, int]]:
    rows = read_sheet_rows(path, "Data", source_id=INFO.id)
    header = [str(c or "").strip() for c in rows[0]]
    if header[:4] != ["Time", "Time Code", "Country Name", "Country Code"]:
        raise SourceFileError(f"{path.name}: expected a DataBank export starting with Time, Time "
                              f"Code, Country Name, Country Code; found {header[:4]}", path=path,
                              source_id=INFO.id)
    wanted = [(i, SERIES[m.group(1)]) for i, h in enumerate(header)
              if (m := _LABEL.search(h)) and m.group(1) in SERIES]
    records: list[AreaRecord] = []
    counts = {"aggregate_rows": 0, "missing_value": 0, "footer_rows": 0}
    for row in rows[1:]:
        if not isinstance(row[0], (int, float)):
            counts["footer_rows"] += 1 if row[0] else 0
            continue
        area = _area(row[3], counts)
        if area is None:
            continue
        _append_values(records, counts, row, wanted, area, int(row[0]))
    return records, counts


def _read_databank_long(path: Path) -> tuple[list[AreaRecord], dict[str, int]]:
    rows = read_sheet_rows(path, "Data", source_id=INFO.id)
    header = [str(c or "").strip() for c in rows[0]]
    if header[:2] != ["Country Code", "Time Code"]:
        raise SourceFileError(f"{path.name}: expected columns Country Code, Time Code first; "
                              f"found {header[:2]}", path=path, source_id=INFO.id)
    wanted = [(i, SERIES[h]) for i, h in enumerate(header) if h in SERIES]
    records: list[AreaRecord] = []
    counts = {"aggregate_rows": 0, "missing_value": 0}
    for row in rows[1:]:
        time = str(row[1] or "")
        if not time.startswith("YR"):
            continue
        area = _area(row[0], counts)
        if area is None:
            continue
        _append_values(records, counts, row, wanted, area, int(time[2:]))
    return records, counts


def _read_panel(path: Path) -> tuple[list[AreaRecord], dict[str, int]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing_cols = {"iso3c", "year", "remit_gdp"} - set(reader.fieldnames or ())
        if missing_cols:
            raise SourceFileError(f"{path.name}: missing column(s) {sorted(missing_cols)}",
                                  path=path, source_id=INFO.id)
        records: list[AreaRecord] = []
        counts = {"missing_value": 0}
        for row in reader:
            value = number(row["remit_gdp"])
            if value is None:
                counts["missing_value"] += 1
                continue
            records.append((row["iso3c"], int(row["year"]), "remittances_received_pct_gdp",
                            "total", value, "percent"))
    return records, counts
