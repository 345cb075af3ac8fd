"""CEPII GeoDist: bilateral distances, contiguity and common language (gravity inputs).

Reads ``dist_cepii.csv`` (semicolon-separated, all 14 columns of the official file)
into ``bilateral_indicator`` with ``year`` NULL (time-invariant):

=============================  ===========  ==========================================
indicator                      unit         CEPII column
=============================  ===========  ==========================================
``distance_km``                km           ``dist`` (between the most populated cities)
``distance_capitals_km``       km           ``distcap``
``distance_weighted_km``       km           ``distw`` (population-weighted; ``.`` = missing)
``contiguity``                 dummy        ``contig``
``common_official_language``   dummy        ``comlang_off``
``common_language_ethno``      dummy        ``comlang_ethno`` (spoken by ≥ 9 % in both)
``colonial_link``              dummy        ``colony`` (ever in a colonial relationship)
=============================  ===========  ==========================================

CEPII keeps legacy codes, mapped here: ROM→ROU, ZAR→COD, TMP→TLS, PAL→PSE and
YUG (Serbia and Montenegro)→SRB. The Netherlands Antilles (ANT), dissolved in 2010,
has no successor code and its pairs are counted (``dissolved_area_pairs``) and left out.
The diagonal (a country with itself) is kept: it is CEPII's internal distance.
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
    id="cepii_gravity",
    title="GeoDist: bilateral distances, contiguity, common language, colonial links",
    publisher="CEPII",
    licence="Etalab Open Licence 2.0 (as reported; verify with CEPII)",
    url="https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=6",
    citation="Mayer, T. & Zignago, S. (2011). Notes on CEPII's distances measures: the GeoDist "
             "Database. CEPII Working Paper 2011-25.",
    files=(KnownFile("2011", "dist_cepii.csv", "http://www.cepii.fr/distance/dist_cepii.zip",
                     "f6d0d46067556453455d95dcf0a67771b4d9202e960c69c293db3e685df16ea7", 2957050,
                     "dist"),),
)

#: CEPII column -> (indicator, unit)
COLUMNS = {"dist": ("distance_km", "km"), "distcap": ("distance_capitals_km", "km"),
           "distw": ("distance_weighted_km", "km"), "contig": ("contiguity", "dummy"),
           "comlang_off": ("common_official_language", "dummy"),
           "comlang_ethno": ("common_language_ethno", "dummy"),
           "colony": ("colonial_link", "dummy")}
LEGACY_CODES = {"ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "PAL": "PSE", "YUG": "SRB"}
DISSOLVED = ("ANT",)


class CepiiGravity(Source):
    """The GeoDist loader."""

    info = INFO

    def read(self, path: Path, known: KnownFile) -> Parsed:
        con = duckdb.connect()
        con.register("raw", read_csv_table(
            path, what="CEPII's dist_cepii (iso_o;iso_d;contig;...;dist;distcap;distw)",
            source_id=INFO.id, all_text=True, required=("iso_o", "iso_d", *COLUMNS),
            delimiter=";"))
        con.register("legacy", pa.table({"code": list(LEGACY_CODES),
                                         "area": list(LEGACY_CODES.values())}))
        dissolved = ", ".join(f"'{c}'" for c in DISSOLVED)
        counts = {"rows_read": count(con, "SELECT count(*) FROM raw"),
                  "dissolved_area_pairs": count(
                      con, f"SELECT count(*) FROM raw WHERE iso_o IN ({dissolved}) "
                           f"OR iso_d IN ({dissolved})")}
        unions = " UNION ALL ".join(f"SELECT iso_o, iso_d, '{ind}' AS indicator, {col} AS raw, "
                                    f"'{unit}' AS unit FROM raw"
                                    for col, (ind, unit) in COLUMNS.items())
        con.execute(f"""
            CREATE TABLE long AS
            SELECT coalesce(o.area, l.iso_o) AS origin, coalesce(d.area, l.iso_d) AS destination,
                   CAST(NULL AS SMALLINT) AS year, indicator, raw, unit
            FROM ({unions}) l LEFT JOIN legacy o ON l.iso_o = o.code
                 LEFT JOIN legacy d ON l.iso_d = d.code
            WHERE l.iso_o NOT IN ({dissolved}) AND l.iso_d NOT IN ({dissolved})
        """)
        bad = con.execute("SELECT origin, destination, indicator, raw FROM long WHERE raw <> '.' "
                          "AND TRY_CAST(raw AS DOUBLE) IS NULL LIMIT 3").fetchall()
        if bad:
            raise SourceFileError(f"{path.name}: non-numeric cells, e.g. {bad}", path=path,
                                  source_id=INFO.id)
        counts["missing_value"] = count(
            con, "SELECT count(*) FROM long WHERE raw = '.' OR raw IS NULL")
        check_ids([r[0] for r in con.execute(
            "SELECT DISTINCT origin FROM long UNION SELECT DISTINCT destination FROM long"
        ).fetchall()], path.name)
        table = con.execute("""
            SELECT origin, destination, year, indicator, raw::DOUBLE AS value, unit FROM long
            WHERE raw <> '.' AND raw IS NOT NULL
        """).arrow()
        if hasattr(table, "read_all"):
            table = table.read_all()
        return Parsed({"bilateral_indicator": table}, counts)


SOURCE = CepiiGravity()
