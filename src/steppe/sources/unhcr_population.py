"""UNHCR Refugee Population Statistics: refugees and asylum-seekers by origin and asylum country.

Reads ``population.csv.gz`` of UNHCR's ``refugees`` R package (end-year stocks,
1951–2025). Areas come from the ISO columns ``coo_iso`` / ``coa_iso`` — never from
``coo``/``coa``, UNHCR's own codes (``AUS`` there is Austria). Unknown origin (``UNK``),
stateless persons (``XXA``) and Tibetans (``TIB``) become ``OTHER`` (on either side); they are
summed per key and counted. The string ``NA`` is not a missing marker in UNHCR files,
so cells are read as text and only empty cells are missing.

Rows go to ``bilateral_indicator`` with indicators ``refugees`` and ``asylum_seekers``
(persons; origin = country of origin, destination = country of asylum; end of year).
Zeros are published values and kept.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from steppe.errors import SourceFileError
from steppe.sources.base import KnownFile, Parsed, Source, SourceInfo
from steppe.sources.canonical import check_ids, count
from steppe.sources.tabular import read_csv_table

INFO = SourceInfo(
    id="unhcr_population",
    title="Refugee Population Statistics: refugees and asylum-seekers by origin and asylum",
    publisher="UNHCR, the UN Refugee Agency",
    licence="CC BY 4.0",
    url="https://www.unhcr.org/refugee-statistics/",
    citation="UNHCR Refugee Population Statistics Database, as distributed in the R package "
             "'refugees' <edition> (https://github.com/PopulationStatistics/refugees).",
    files=(KnownFile("2025.12.1", "population.csv.gz",
                     "https://api.unhcr.org/population/v1/population/",
                     "5cbf6c82213f2576168cc1f6065737afdfbace8f951b855bb9d9854599503406", 1061163,
                     "pkg-population"),),
)

#: UNHCR ISO-column codes that are not countries -> steppe area id
NON_COUNTRY_ORIGINS = {"UNK": "OTHER", "XXA": "OTHER", "TIB": "OTHER"}
INDICATORS = ("refugees", "asylum_seekers")
_REQUIRED = ("year", "coo_iso", "coa_iso") + INDICATORS


class UnhcrPopulation(Source):
    """The UNHCR population loader."""

    info = INFO

    def read(self, path: Path, known: KnownFile) -> Parsed:
        con = duckdb.connect()
        con.register("raw", read_csv_table(
            path, what="UNHCR's population table (year, coo_iso, coa_iso, refugees, ...)",
            source_id=INFO.id, all_text=True, required=_REQUIRED))
        mapping = pa.table({"code": list(NON_COUNTRY_ORIGINS),
                            "area": list(NON_COUNTRY_ORIGINS.values())})
        con.register("mapping", mapping)
        unions = " UNION ALL ".join(
            f"SELECT year, coo_iso, coa_iso, '{i}' AS indicator, {i} AS raw FROM raw"
            for i in INDICATORS)
        con.execute(f"""
            CREATE TABLE long AS
            SELECT year::SMALLINT AS year, coalesce(m.area, l.coo_iso) AS origin,
                   coalesce(a.area, l.coa_iso) AS destination, indicator, raw,
                   l.coo_iso AS coo_code, l.coa_iso AS coa_code
            FROM ({unions}) l LEFT JOIN mapping m ON l.coo_iso = m.code
                 LEFT JOIN mapping a ON l.coa_iso = a.code
        """)
        bad = con.execute("SELECT year, origin, destination, indicator, raw FROM long "
                          "WHERE raw IS NOT NULL AND TRY_CAST(raw AS DOUBLE) IS NULL LIMIT 3"
                          ).fetchall()
        if bad:
            raise SourceFileError(f"{path.name}: non-numeric values, e.g. {bad}", path=path,
                                  source_id=INFO.id)
        ids = [r[0] for r in con.execute(
            "SELECT DISTINCT origin FROM long UNION SELECT DISTINCT destination FROM long"
        ).fetchall()]
        check_ids(ids, path.name)
        counts = {"rows_read": count(con, "SELECT count(*) FROM raw"),
                  "missing_value": count(con, "SELECT count(*) FROM long WHERE raw IS NULL")}
        for code in NON_COUNTRY_ORIGINS:
            counts[f"origin_{code}_as_OTHER"] = count(
                con, "SELECT count(*) FROM long WHERE coo_code = ? AND raw IS NOT NULL", [code])
            counts[f"asylum_{code}_as_OTHER"] = count(
                con, "SELECT count(*) FROM long WHERE coa_code = ? AND raw IS NOT NULL", [code])
        table = con.execute("""
            SELECT origin, destination, year, indicator, sum(raw::DOUBLE) AS value,
                   'persons' AS unit
            FROM long WHERE raw IS NOT NULL GROUP BY ALL ORDER BY ALL
        """).arrow()
        if hasattr(table, "read_all"):
            table = table.read_all()
        return Parsed({"bilateral_indicator": table}, counts)


SOURCE = UnhcrPopulation()
