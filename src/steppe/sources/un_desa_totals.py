"""UN DESA International Migrant Stock totals by destination and sex, with population and refugees.

Reads the official "Destination" workbooks of the 2020 and 2019 revisions (Tables 1, 2
and 6: migrant stock, total population in thousands, refugees) and the long tables of
the 2024/2020 totals (``ms2024.csv.gz``, ``ms2020.csv.gz``) and the 2020 refugee table
(``ms2020rfg.csv.gz``). Rows go to ``area_indicator`` with indicators
``migrant_stock_total``, ``population`` (persons) and ``refugee_stock``.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from steppe.errors import SourceFileError
from steppe.sources.base import KnownFile, Parsed, Source, SourceInfo
from steppe.sources.tabular import read_csv_table
from steppe.sources.un_desa_codes import SEX_CODES, code_table
from steppe.sources.xlsx import find_header_row, read_sheet_rows

_BASE = "https://www.un.org/development/desa/pd/sites/www.un.org.development.desa.pd/files/"
_OLD = "https://www.un.org/en/development/desa/population/migration/data/estimates2/data/"

INFO = SourceInfo(
    id="un_desa_stock_totals",
    title="International Migrant Stock: totals by destination and sex; population; refugees",
    publisher="United Nations, Department of Economic and Social Affairs, Population Division",
    licence="CC BY 3.0 IGO",
    url="https://www.un.org/development/desa/pd/content/international-migrant-stock",
    citation=(
        "United Nations Department of Economic and Social Affairs, Population Division. "
        "International Migrant Stock (POP/DB/MIG/Stock/Rev.<edition>), destination tables."
    ),
    files=(
        KnownFile("2024", "ms2024.csv.gz", _BASE + "undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx",
                  "ed9b192eea6eef11db6a1c2a19d9d07de28e265498ce072ac54d6e6d392d89b2", 42120, "long-csv"),
        KnownFile("2020", "ms2020.csv.gz", _BASE + "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx",
                  "55289b9569eea8ee790cf12399cd616167917159e685d58942f00436eafaa6d6", 36120, "long-csv"),
        KnownFile("2020", "ms2020rfg.csv.gz", _BASE + "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx",
                  "5755600ed4950d5eab0c2bf0f22e651155ab08147dff67f1cc7708805275f65f", 9794,
                  "long-csv-refugees"),
        KnownFile("2020", "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx",
                  _BASE + "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx",
                  "c2bae98812a1f68b1d7f57a8d3d11903b85522d664f319dfe87daa30f653fd5b", 551092, "xlsx"),
        KnownFile("2019", "UN_MigrantStockTotal_2019.xlsx", _OLD + "UN_MigrantStockTotal_2019.xlsx",
                  "6e44a1f4c750248b7721a6f32afa75477c2c22420bed26053e1bfe58f4a63062", 637705, "xlsx"),
    ),
)

#: workbook table -> (indicator, unit, multiplier to persons)
_TABLES = {"Table 1": ("migrant_stock_total", "persons", 1.0),
           "Table 2": ("population", "persons", 1000.0),
           "Table 6": ("refugee_stock", "persons", 1.0)}
_CODE_LABELS = ("Location code", "Country code", "Code")
_MISSING = (None, "", "..", "-", "…")


class UnDesaStockTotals(Source):
    """The totals-by-destination loader."""

    info = INFO

    def read(self, path: Path, known: KnownFile) -> Parsed:
        if known.fmt.startswith("long-csv"):
            indicator = "refugee_stock" if known.fmt.endswith("refugees") else "migrant_stock_total"
            return _read_long(path, indicator)
        return _read_workbook(path)


SOURCE = UnDesaStockTotals()


def _finish(raw: pa.Table, context: str, counts: dict[str, int]) -> Parsed:
    codes = code_table(raw.column("code").to_pylist(), context)
    areas = codes.take(pc.index_in(raw.column("code"), value_set=codes.column("m49")))
    sex = raw.column("sex")
    bad_sex = len(sex) - int(pc.sum(pc.is_in(sex, value_set=pa.array(list(SEX_CODES)))).as_py() or 0)
    if bad_sex:
        raise SourceFileError(f"{context}: {bad_sex} rows have a sex code other than 0, 1, 2",
                              source_id=INFO.id)
    table = pa.table({
        "area": areas.column("area_id"),
        "year": pc.cast(pc.floor(raw.column("year")), pa.int16()),
        "indicator": raw.column("indicator"),
        "sex": pa.array(list(SEX_CODES.values())).take(sex),
        "value": raw.column("value"),
        "unit": raw.column("unit"),
    })
    counts["aggregate_rows"] = int(pc.sum(pc.equal(areas.column("kind"), "aggregate")).as_py() or 0)
    return Parsed({"area_indicator": table}, counts)


def _read_long(path: Path, indicator: str) -> Parsed:
    rel = read_csv_table(path, {"LocID": pa.int32(), "year": pa.float64(), "sex": pa.int32(),
                                "value": pa.float64()},
                         what="a UN DESA totals table (LocID, year, sex, value)", source_id=INFO.id)
    rel = rel.rename_columns(["code" if c == "LocID" else c for c in rel.column_names])
    mask = rel.column("value").is_valid()
    missing = rel.num_rows - int(pc.sum(mask).as_py() or 0)
    rel = rel.filter(mask)
    n = rel.num_rows
    rel = rel.append_column("indicator", pa.array([indicator] * n)).append_column(
        "unit", pa.array(["persons"] * n))
    return _finish(rel, path.name, {"rows_read": n + missing, "missing_value": missing})


def _year_columns(header: list[str]) -> list[tuple[int, int]]:
    return [(i, int(float(h))) for i, h in enumerate(header)
            if h.replace(".0", "").isdigit() and 1950 <= int(float(h)) <= 2100]


def _read_workbook(path: Path) -> Parsed:
    columns: dict[str, list] = {k: [] for k in ("code", "year", "sex", "value", "indicator", "unit")}
    missing = footnoted = 0
    for sheet, (indicator, unit, factor) in _TABLES.items():
        rows = read_sheet_rows(path, sheet, source_id=INFO.id)
        label = next((lab for lab in _CODE_LABELS if any(
            str(c).strip() == lab for r in rows[:40] for c in r if c is not None)), None)
        if label is None:
            raise SourceFileError(f"{path.name} {sheet}: no location-code column; not the "
                                  "expected UN DESA destination workbook", path=path,
                                  source_id=INFO.id)
        at = find_header_row(rows, (label,), path=path)
        header = [str(c).strip() if c is not None else "" for c in rows[at]]
        code_col = header.index(label)
        years = _year_columns(header)
        if not years and at + 1 < len(rows):  # 2019 layout: years on a second header row
            at += 1
            years = _year_columns([str(c).strip() if c is not None else "" for c in rows[at]])
        blocks = len(years) // max(1, len({y for _, y in years}))
        n_years = len(years) // max(blocks, 1)
        name_col = max(code_col - 2, 0)
        for row in rows[at + 1:]:
            if not isinstance(row[code_col], (int, float)):
                continue
            if str(row[name_col] or "").rstrip().endswith("*"):
                footnoted += 1
            for k, (col, year) in enumerate(years):
                if blocks != 3 and k >= n_years:  # Table 6: second block is a percentage
                    break
                cell = row[col] if col < len(row) else None
                if cell in _MISSING or isinstance(cell, str):
                    missing += 1
                    continue
                columns["code"].append(int(row[code_col]))
                columns["year"].append(float(year))
                columns["sex"].append(k // n_years if blocks == 3 else 0)
                columns["value"].append(float(cell) * factor)
                columns["indicator"].append(indicator)
                columns["unit"].append(unit)
    raw = pa.table({**columns, "code": pa.array(columns["code"], pa.int32())})
    return _finish(raw, path.name, {"rows_read": raw.num_rows + missing,
                                    "missing_value": missing, "footnoted_rows": footnoted})
