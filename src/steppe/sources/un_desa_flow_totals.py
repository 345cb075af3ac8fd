"""UN DESA International Migration Flows 2015: registered immigrants and emigrants per year.

Reads the ``Totals`` sheet of ``undesa_pd_2015_migration_flow_totals.xlsx`` (45 reporting
countries, including Kazakhstan, Kyrgyzstan and Russia, 1980–2013) into ``area_indicator``
(persons). Countries define migrants differently (``Criteria``: residence, citizenship,
place of birth; ``Coverage``: both, citizens, foreigners), so the definition is kept in
the indicator name: ``immigration_total`` / ``emigration_total`` for the residence
criterion covering everyone, otherwise ``<type>_total_<criteria>_<coverage>``, e.g.
``emigration_total_citizenship_foreigners``. Never compare series across definitions.
"""

from __future__ import annotations

import re
from pathlib import Path

from steppe.areas import resolve_many
from steppe.errors import SourceFileError
from steppe.sources.base import KnownFile, Parsed, Source, SourceInfo
from steppe.sources.canonical import AreaRecord, area_table, number
from steppe.sources.xlsx import find_header_row, read_sheet_rows

_URL = ("https://www.un.org/development/desa/pd/sites/www.un.org.development.desa.pd/files/"
        "undesa_pd_2015_migration_flow_totals.xlsx")

INFO = SourceInfo(
    id="un_desa_flow_totals",
    title="International Migration Flows to and from Selected Countries: totals",
    publisher="United Nations, Department of Economic and Social Affairs, Population Division",
    licence="© United Nations 2015, all rights reserved (as stated in the file)",
    url="https://www.un.org/development/desa/pd/data/international-migration-flows",
    citation="United Nations, Department of Economic and Social Affairs, Population Division "
             "(2015). International Migration Flows to and from Selected Countries: The 2015 "
             "Revision (POP/DB/MIG/Flow/Rev.2015).",
    files=(KnownFile("2015", "undesa_pd_2015_migration_flow_totals.xlsx", _URL,
                     "2d85e909831ff48acda3c00c952a9eb3141f47c76874b0120bb25f0e43b528d8", 64377,
                     "totals"),),
)

_TYPES = {"Immigrants": "immigration", "Emigrants": "emigration"}


def indicator_name(kind: str, criteria: str, coverage: str) -> str:
    """The indicator for one series definition (see the module docstring)."""
    base = f"{_TYPES[kind]}_total"
    if (criteria, coverage) == ("Residence", "Both"):
        return base
    slug = re.sub(r"[^a-z]+", "_", f"{criteria} {coverage}".lower()).strip("_")
    return f"{base}_{slug}"


class UnDesaFlowTotals(Source):
    """The migration-flow totals loader."""

    info = INFO

    def read(self, path: Path, known: KnownFile) -> Parsed:
        rows = read_sheet_rows(path, "Totals", source_id=INFO.id)
        at = find_header_row(rows, ("CntName", "Criteria", "Type", "Coverage"), path=path)
        header = [str(c).strip() if c is not None else "" for c in rows[at]]
        years = [(i, int(h)) for i, h in enumerate(header) if h.isdigit()]
        body = [r for r in rows[at + 1:] if r and r[0]]
        areas = resolve_many({str(r[0]).strip() for r in body}, context=f"{path.name} Totals")
        records: list[AreaRecord] = []
        counts = {"series": len(body), "missing_value": 0}
        seen: dict[tuple[str, str], int] = {}
        for n, row in enumerate(body, at + 2):
            name, criteria, kind, coverage = (str(c).strip() for c in row[:4])
            if kind not in _TYPES:
                raise SourceFileError(f"{path.name} Totals row {n}: Type {kind!r} is neither "
                                      "Immigrants nor Emigrants", path=path, source_id=INFO.id)
            area = areas[name].area_id
            indicator = indicator_name(kind, criteria, coverage)
            if (area, indicator) in seen:
                raise SourceFileError(f"{path.name} Totals rows {seen[(area, indicator)]} and {n} "
                                      f"are both {name} {kind} ({criteria}, {coverage})",
                                      path=path, source_id=INFO.id)
            seen[(area, indicator)] = n
            for col, year in years:
                try:
                    value = number(row[col])
                except ValueError as exc:
                    raise SourceFileError(f"{path.name} Totals row {n}, column {year}: {exc}",
                                          path=path, source_id=INFO.id) from None
                if value is None:
                    counts["missing_value"] += 1
                else:
                    records.append((area, year, indicator, "total", value, "persons"))
        return Parsed({"area_indicator": area_table(records, path.name)}, counts)


SOURCE = UnDesaFlowTotals()
