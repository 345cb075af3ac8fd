"""Maddison Project Database 2020: real GDP per capita and population by country-year.

Reads sheet ``Full data`` of ``mpd2020.xlsx`` (long: countrycode, country, year, gdppc,
pop) into ``area_indicator``: ``gdp_per_capita`` in 2011 international dollars (unit
``int_usd_2011``) and ``population`` (persons; the file gives thousands). The former
USSR (``SUN``), Czechoslovakia (``CSK``) and Yugoslavia (``YUG``) are historical
entities with no area id; their rows are counted (``historical_entity_rows``) and left out.
"""

from __future__ import annotations

from pathlib import Path

from steppe.errors import SourceFileError
from steppe.sources.base import KnownFile, Parsed, Source, SourceInfo
from steppe.sources.canonical import AreaRecord, area_table, number
from steppe.sources.xlsx import read_sheet_rows

INFO = SourceInfo(
    id="maddison",
    title="Maddison Project Database 2020: GDP per capita and population",
    publisher="Groningen Growth and Development Centre (Bolt & van Zanden)",
    licence="CC BY 4.0 (project site); cite per the Notes sheet",
    url="https://www.rug.nl/ggdc/historicaldevelopment/maddison/releases/maddison-project-database-2020",
    citation="Bolt, J. & van Zanden, J. L. (2020). Maddison style estimates of the evolution of "
             "the world economy. A new 2020 update. Maddison Project Database, version 2020.",
    files=(KnownFile("2020", "maddison_mpd2020.xlsx",
                     "https://www.rug.nl/ggdc/historicaldevelopment/maddison/data/mpd2020.xlsx",
                     "e77c7dc5437a961a45d8358d7ab643fae7fa7fa8e04860a025ebb5ba51a9dd33", 2086419,
                     "mpd"),),
)

HISTORICAL = ("SUN", "CSK", "YUG")
_HEADER = ("countrycode", "country", "year", "gdppc", "pop")


class Maddison(Source):
    """The Maddison Project loader."""

    info = INFO

    def read(self, path: Path, known: KnownFile) -> Parsed:
        rows = read_sheet_rows(path, "Full data", source_id=INFO.id)
        header = tuple(str(c).strip() for c in rows[0][:5])
        if header != _HEADER:
            raise SourceFileError(f"{path.name} 'Full data': expected columns {_HEADER}, found "
                                  f"{header}", path=path, source_id=INFO.id)
        records: list[AreaRecord] = []
        counts = {"rows_read": len(rows) - 1, "missing_value": 0, "historical_entity_rows": 0}
        for r, row in enumerate(rows[1:], 2):
            code = str(row[0]).strip()
            if code in HISTORICAL:
                counts["historical_entity_rows"] += 1
                continue
            for col, indicator, unit, factor in ((3, "gdp_per_capita", "int_usd_2011", 1.0),
                                                 (4, "population", "persons", 1000.0)):
                try:
                    value = number(row[col])
                except ValueError as exc:
                    raise SourceFileError(f"{path.name} 'Full data' row {r}, column "
                                          f"{_HEADER[col]}: {exc}", path=path,
                                          source_id=INFO.id) from None
                if value is None:
                    counts["missing_value"] += 1
                else:
                    records.append((code, int(row[2]), indicator, "total", value * factor, unit))
        return Parsed({"area_indicator": area_table(records, path.name)}, counts)


SOURCE = Maddison()
