"""KNOMAD/World Bank bilateral remittance and migrant-stock matrices (2010–2021).

Each workbook is one year's square matrix: a title row, a header row of countries
(receiving countries across for remittances, destinations across for migrants), one
row per sending/source country, then a ``WORLD``/``Total`` row and footnotes. The 2018
edition is a third-party trimmed CSV of the same matrix (rounded to whole US$ million).

Rows go to ``bilateral_indicator``:

* ``remittances`` (usd): **origin = the country the money is sent from** (the migrants'
  host), **destination = the receiving country**; matrix values (US$ million) × 10⁶;
* ``migrant_stock_knomad`` (persons): origin = country of birth, destination = host.

Empty and zero cells mean "no estimate or zero" in these model outputs and are not
stored (counted as ``zero_or_empty``). Total rows/columns, the ``Other North``,
``Other South`` and ``Unidentified`` residual columns and the dissolved Netherlands
Antilles are counted and left out. Every other label must resolve through
:mod:`steppe.areas`; one error lists all that do not.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from steppe.areas import resolve_many
from steppe.errors import SourceFileError
from steppe.sources.base import KnownFile, Parsed, Source, SourceInfo
from steppe.sources.canonical import BilateralRecord, bilateral_table, number
from steppe.sources.xlsx import read_sheet_rows

_PUB = "http://pubdocs.worldbank.org/pubdocs/publicdoc/"
_KNOWN = [
    ("2021", "bilateral_remittance_matrix_2021.xlsx", "FINAL BRM 2021 ",
     "https://www.knomad.org/sites/default/files/2022-12/bilateral_remittance_matrix_2021_0.xlsx",
     "62c68e722dc79b5acb0bb10370d725740ed0a0bee2477ecdaf1a667164901d8c", 302418, "remittances"),
    ("2021", "bilateral_migration_matrix_2021_latest.xlsx", "BRM 2021",
     "https://www.knomad.org/data/migration/emigration",
     "d99a27d8436aea8af568ab5e16ed7f9f5ccd2ab382299b6db0ea213133ab9832", 210369, "migrants"),
    ("2018", "Bilateralremittancematrix2018Oct2019_cleaned.csv", "",
     ("https://thedocs.worldbank.org/en/doc/904591573826885707-0090022019/original/"
     "Bilateralremittancematrix2018Oct2019.xlsx"),
     "f534a2164d1fbfc9b2af74e5e551debd6611ea10304e5f7ef3ebd79c8d124e6f", 99774, "remittances"),
    ("2016", "bilateralremittancematrix2016.xlsx", "Bilateral Remittances 2016",
     "http://www.knomad.org/sites/default/files/2017-11/bilateralremittancematrix2016_Nov2017.xlsx",
     "e8947ac26cf8035f514c091149229619489e44fb4278dc6435f61d7b8ab68757", 327199, "remittances"),
    ("2015", "bilateralremittancematrix2015.xlsx", "Bilateral Remittances 2014",  # sic: misnamed
     "http://pubdocs.worldbank.org/en/892861508785913333/bilateralremittancematrix2015-Oct2016.xlsx",
     "135dc012e59c86bf64cb48ac9a19eae0b9ac6d240b01b075a29319cba1730b98", 328066, "remittances"),
    ("2014", "bilateralremittancematrix2014.xlsx", "Bilateral Remittances 2014  (2",
     _PUB + "2015/10/936571445543163012/bilateral-remittance-matrix-2014.xlsx",
     "ef7869423cf97dab4dd0a5c51331303f3781769e9a14c7f644d369b9d50ccc35", 339924, "remittances"),
    ("2013", "bilateralremittancematrix2013.xlsx", "Bilateral Remittance Matrix2013",
     _PUB + "2015/9/103071443117530921/Bilateral-Remittance-Matrix-2013.xlsx",
     "e8e78f5a489011975215d7187f088f0ee4bc27dc49847fe723c706c1271e9159", 327497, "remittances"),
    ("2012", "bilateralremittancematrix2012.xlsx", "Bilateral Remittance Matrix2012",
     _PUB + "2015/9/106901443117530403/Bilateral-Remittance-Matrix-2012.xlsx",
     "e20ad9b1ae565ab4250853f8d83c308b78b5544aa1bbcc75ccaad6655837cdd8", 307746, "remittances"),
    ("2011", "bilateralremittancematrix2011.xlsx", "Bilateral Remittance Matrix2011",
     _PUB + "2015/9/919711443117529856/Bilateral-Remittance-Matrix-2011.xlsx",
     "efadd91527785b8384b10fa69bdce352cc1599211a7f567be7f17d737519599e", 300612, "remittances"),
    ("2010", "bilateralremittancematrix2010.xlsx", "Bilateral Remittance Matrix2010",
     _PUB + "2015/9/895701443117529385/Bilateral-Remittance-Matrix-2010.xlsx",
     "d904cc03001c26100dfcb70a514213be0604248c7452df48f91c666e40fc9fe2", 302640, "remittances"),
    ("2013", "bilateralmigrationmatrix2013.xlsx", "Bilateral Migration 2013",
     _PUB + "2015/10/38881445543162029/bilateral-migration-matrix-2013-0.xlsx",
     "4ec719de6ddce0201648d040db3fbe14a5f5efbcae17f06e7af36aab0d16b48d", 209430, "migrants"),
    ("2010", "bilateralmigrationmatrix2010.xls", "bilatMig",
     ("http://siteresources.worldbank.org/INTPROSPECTS/Resources/334934-1110315015165/"
     "T1.Estimates_of_Migrant_Stocks_2010.xls"),
     "d6097c009e8bd92f82c61ba8ddcf76ad6bbcac5b813c5d61e5056b8e10e30c90", 569344, "migrants"),
]
#: file name -> sheet name (the sheet names differ between editions)
SHEETS = {name: sheet for _, name, sheet, *_ in _KNOWN}

INFO = SourceInfo(
    id="knomad_bilateral",
    title="Bilateral remittance estimates and bilateral migrant stocks (KNOMAD/World Bank)",
    publisher="World Bank / KNOMAD",
    licence="World Bank terms (open data; licence not stated in the files)",
    url="https://www.knomad.org/data/remittances",
    citation="KNOMAD/World Bank Bilateral Remittance Matrix <edition>; Bilateral Estimates of "
             "Migrant Stocks <edition>.",
    files=tuple(KnownFile(ed, name, url, sha, size, kind)
                for ed, name, _sheet, url, sha, size, kind in _KNOWN),
)

_STOP = {"world", "total", "total remittances"}
_RESIDUAL = {"other north", "other south", "unidentified", "unidentified*"}
_DISSOLVED = {"netherlands antilles"}
_INDICATOR = {"remittances": ("remittances", "usd", 1e6),
              "migrants": ("migrant_stock_knomad", "persons", 1.0)}


class KnomadBilateral(Source):
    """The KNOMAD matrix loader."""

    info = INFO

    def read(self, path: Path, known: KnownFile) -> Parsed:
        if path.suffix.lower() == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows: list[tuple[Any, ...]] = [tuple(r) for r in csv.reader(handle)]
            at = 0
        else:
            rows = read_sheet_rows(path, SHEETS[known.file_name], source_id=INFO.id)
            at = next((i for i, r in enumerate(rows[:10]) if r and "(across)" in str(r[0])), -1)
            if at < 0:
                raise SourceFileError(f"{path.name}: no header row whose first cell says "
                                      "'... (across)'; not a KNOMAD matrix", path=path,
                                      source_id=INFO.id)
        indicator, unit, factor = _INDICATOR[known.fmt]
        records, counts = read_matrix(rows, at, int(known.edition), indicator, unit, factor,
                                      path.name)
        return Parsed({"bilateral_indicator": bilateral_table(records, path.name)}, counts)


SOURCE = KnomadBilateral()


def _label(cell: Any) -> str:
    return " ".join(str(cell).split()) if cell is not None else ""


def read_matrix(rows: list[tuple[Any, ...]], header_at: int, year: int, indicator: str,
                unit: str, factor: float, context: str
                ) -> tuple[list[BilateralRecord], dict[str, int]]:
    """Long records from a square matrix: row labels send/origin, column labels receive/host."""
    header = rows[header_at]
    columns: list[tuple[int, str]] = []
    counts = {"zero_or_empty": 0, "residual_cells": 0, "dissolved_area_cells": 0,
              "total_rows_or_columns": 0}
    for i, cell in enumerate(header[1:], 1):
        label = _label(cell)
        if label.lower() in _STOP:
            counts["total_rows_or_columns"] += 1
            break
        if label:
            columns.append((i, label))
    body: list[tuple[str, tuple[Any, ...]]] = []
    for row in rows[header_at + 1:]:
        label = _label(row[0]) if row else ""
        if not label or label.lower() in _STOP:
            counts["total_rows_or_columns"] += 1 if label else 0
            break
        body.append((label, row))
    names = {n for _, n in columns} | {n for n, _ in body}
    wanted = {n for n in names if n.lower() not in _RESIDUAL | _DISSOLVED}
    areas = resolve_many(sorted(wanted), context=context)
    records: list[BilateralRecord] = []
    for r, (label, row) in enumerate(body, header_at + 2):
        for col, dest in columns:
            try:
                value = number(row[col]) if col < len(row) else None
            except ValueError as exc:
                raise SourceFileError(f"{context}: row {r} ({label}), column {col + 1} ({dest}): "
                                      f"{exc}", source_id=INFO.id) from None
            if not value:
                counts["zero_or_empty"] += 1
                continue
            if label.lower() in _RESIDUAL or dest.lower() in _RESIDUAL:
                counts["residual_cells"] += 1
                continue
            if label.lower() in _DISSOLVED or dest.lower() in _DISSOLVED:
                counts["dissolved_area_cells"] += 1
                continue
            records.append((areas[label].area_id, areas[dest].area_id, year, indicator,
                            value * factor, unit))
    return records, counts
