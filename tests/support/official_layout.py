"""Writers of small workbooks in the published UN DESA layouts, for tests.

The official 2020/2024 origin × destination workbooks (~6 MB) are not in the local
data folder; these build a workbook in their published layout (Table 1: header on
row 11; destination name, notes, code, type; origin name and code; three blocks of
year columns: both sexes, males, females) from rows we choose.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

HEADER = ["Index", "Year", "Region, development group, country or area of destination",
          "Notes of destination", "Location code of destination", "Type of data of destination",
          "Region, development group, country or area of origin", "Location code of origin"]


def write_origin_destination_workbook(path: Path, years: list[int],
                                      rows: list[tuple[str, int, str, int, list]]) -> Path:
    """rows: (destination name, destination code, origin name, origin code, 3×len(years) values)."""
    book = openpyxl.Workbook()
    book.active.title = "Contents"
    sheet = book.create_sheet("Table 1")
    for _ in range(10):
        sheet.append([("International migrant stock at mid-year by sex and by region, country "
                       "or area of destination and origin")])
    sheet.append(HEADER[:1] + HEADER[2:] + years * 3)
    for i, (dest, dest_code, org, org_code, values) in enumerate(rows, 1):
        sheet.append([i, dest, None, dest_code, "B", org, org_code, *values])
    book.save(path)
    return path
