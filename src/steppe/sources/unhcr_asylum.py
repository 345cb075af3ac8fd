"""UNHCR asylum applications and decisions by origin, asylum country and year (2000–2025).

Reads ``asylum_applications.csv.gz`` and ``asylum_decisions.csv.gz`` of UNHCR's
``refugees`` R package. As in :mod:`.unhcr_population`, areas come from the ISO columns
(``coo_iso``/``coa_iso``); unknown origin, stateless persons and Tibetans become ``OTHER``.
The string ``NA`` is a UNHCR code in ``app_type``/``dec_level`` (a combined type or
level), never a missing marker, so cells are read as text and only empty cells are missing.

UNHCR counts some asylum countries in persons and others in cases (``app_pc``/``dec_pc``
``P``/``C``); the two are never added together. Values are summed over procedure type
(government, UNHCR, joint), application type and decision level, per origin × asylum ×
year, into ``bilateral_indicator`` (origin = country of origin, destination = country of
asylum):

=================================  =======  ============================================
indicator                          unit     UNHCR column, rows
=================================  =======  ============================================
``asylum_applications``            persons  ``applied``, ``app_pc = 'P'``
``asylum_applications_new``        persons  ``applied``, ``app_pc = 'P'``, ``app_type = 'N'``
``asylum_applications_cases``      cases    ``applied``, ``app_pc = 'C'``
``asylum_recognized``              persons  ``dec_recognized``, ``dec_pc = 'P'``
``asylum_complementary``           persons  ``dec_other`` (complementary protection)
``asylum_rejected``                persons  ``dec_rejected``
``asylum_closed``                  persons  ``dec_closed`` (otherwise closed)
``asylum_decisions``               persons  ``dec_total``
``asylum_<...>_cases``             cases    the same five decision columns, ``dec_pc = 'C'``
=================================  =======  ============================================
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from steppe.errors import SourceFileError
from steppe.sources.base import KnownFile, Parsed, Source, SourceInfo
from steppe.sources.canonical import check_ids, count
from steppe.sources.tabular import read_csv_table
from steppe.sources.unhcr_population import NON_COUNTRY_ORIGINS

_PKG = "https://github.com/PopulationStatistics/refugees"
INFO = SourceInfo(
    id="unhcr_asylum",
    title="Refugee Population Statistics: asylum applications and decisions by origin and asylum",
    publisher="UNHCR, the UN Refugee Agency",
    licence="CC BY 4.0",
    url="https://www.unhcr.org/refugee-statistics/",
    citation="UNHCR Refugee Population Statistics Database, as distributed in the R package "
             f"'refugees' <edition> ({_PKG}).",
    files=(
        KnownFile("2025.12.1", "asylum_applications.csv.gz",
                  "https://api.unhcr.org/population/v1/asylum-applications/",
                  "56161b8ad76d1659f5e3c478c8fbfff8c03665598d055ce7658b2f6d2df19e6d", 719791,
                  "applications"),
        KnownFile("2025.12.1", "asylum_decisions.csv.gz",
                  "https://api.unhcr.org/population/v1/asylum-decisions/",
                  "6e1cd783ba0c6ea249e0cf7e3cf51f0866229035e6c5d287ecbaf27d19633a14", 1003394,
                  "decisions"),
    ),
)

#: decision column -> indicator stem
DECISIONS = {"dec_recognized": "asylum_recognized", "dec_other": "asylum_complementary",
             "dec_rejected": "asylum_rejected", "dec_closed": "asylum_closed",
             "dec_total": "asylum_decisions"}
#: file kind -> (count column(s), persons/cases column, other required columns)
_LAYOUT = {
    "applications": (("applied",), "app_pc", ("procedure_type", "app_type", "dec_level")),
    "decisions": (tuple(DECISIONS), "dec_pc", ("procedure_type", "dec_level")),
}


def _selects(kind: str) -> list[str]:
    """One ``SELECT`` per indicator: (indicator, unit, raw value) from table ``raw``."""
    if kind == "applications":
        rows = (("asylum_applications", "persons", "app_pc = 'P'"),
                ("asylum_applications_new", "persons", "app_pc = 'P' AND app_type = 'N'"),
                ("asylum_applications_cases", "cases", "app_pc = 'C'"))
        return [f"SELECT *, '{indicator}' AS indicator, '{unit}' AS unit, applied AS v FROM raw "
                f"WHERE {where}" for indicator, unit, where in rows]
    return [f"SELECT *, '{stem}{suffix}' AS indicator, '{unit}' AS unit, {col} AS v FROM raw "
            f"WHERE dec_pc = '{pc}'"
            for col, stem in DECISIONS.items()
            for pc, suffix, unit in (("P", "", "persons"), ("C", "_cases", "cases"))]


class UnhcrAsylum(Source):
    """The UNHCR asylum applications and decisions loader."""

    info = INFO

    def read(self, path: Path, known: KnownFile) -> Parsed:
        values, pc, others = _LAYOUT[known.fmt]
        con = duckdb.connect()
        con.register("raw", read_csv_table(
            path, what=f"UNHCR's asylum {known.fmt} table", source_id=INFO.id, all_text=True,
            required=("year", "coo_iso", "coa_iso", pc, *others, *values)))
        odd = [r[0] for r in con.execute(
            f"SELECT DISTINCT coalesce({pc}, '<empty>') FROM raw WHERE {pc} IS NULL "
            f"OR {pc} NOT IN ('P', 'C')").fetchall()]
        if odd:
            raise SourceFileError(f"{path.name}: column {pc} must be 'P' (persons) or 'C' (cases),"
                                  f" found {odd}", path=path, source_id=INFO.id)
        bad = con.execute(" UNION ALL ".join(
            f"SELECT year, coo_iso, coa_iso, '{c}', {c} FROM raw WHERE {c} IS NOT NULL "
            f"AND TRY_CAST({c} AS DOUBLE) IS NULL" for c in values) + " LIMIT 3").fetchall()
        if bad:
            raise SourceFileError(f"{path.name}: non-numeric values (year, origin, asylum, "
                                  f"column, cell), e.g. {bad}", path=path, source_id=INFO.id)
        con.register("mapping", pa.table({"code": list(NON_COUNTRY_ORIGINS),
                                          "area": list(NON_COUNTRY_ORIGINS.values())}))
        con.execute(f"""
            CREATE TABLE long AS
            SELECT l.year::SMALLINT AS year, coalesce(m.area, l.coo_iso) AS origin,
                   coalesce(a.area, l.coa_iso) AS destination, indicator, unit, v,
                   l.coo_iso AS coo_code, l.coa_iso AS coa_code
            FROM ({' UNION ALL '.join(_selects(known.fmt))}) l
                 LEFT JOIN mapping m ON l.coo_iso = m.code
                 LEFT JOIN mapping a ON l.coa_iso = a.code
        """)
        check_ids([r[0] for r in con.execute(
            "SELECT DISTINCT origin FROM long UNION SELECT DISTINCT destination FROM long"
        ).fetchall()], path.name)
        counts = {"rows_read": count(con, "SELECT count(*) FROM raw"),
                  "case_rows": count(con, f"SELECT count(*) FROM raw WHERE {pc} = 'C'"),
                  "missing_value": count(con, "SELECT count(*) FROM long WHERE v IS NULL")}
        for code in NON_COUNTRY_ORIGINS:
            counts[f"origin_{code}_as_OTHER"] = count(
                con, "SELECT count(*) FROM raw WHERE coo_iso = ? OR coa_iso = ?", [code, code])
        table = con.execute("""
            SELECT origin, destination, year, indicator, sum(v::DOUBLE) AS value, unit
            FROM long WHERE v IS NOT NULL GROUP BY ALL ORDER BY ALL
        """).arrow()
        if hasattr(table, "read_all"):
            table = table.read_all()
        return Parsed({"bilateral_indicator": table}, counts)


SOURCE = UnhcrAsylum()
