"""CEPII GeoDist country file (``geo_cepii.xls``): time-invariant country attributes.

Rows go to ``area_attribute`` (one row per country and attribute; one row per value for
the multi-valued language and coloniser attributes):

=========================  =======  ===================================================
attribute                  unit     CEPII column(s)
=========================  =======  ===================================================
``area_km2``               km2      ``area``
``internal_distance_km``   km       ``dis_int`` (⅔·√(area/π))
``landlocked``             dummy    ``landlocked``
``continent``              text     ``continent``
``capital``                text     ``city_en`` of the row with ``cap`` = 1
``capital_lat``/``_lon``   degrees  ``lat``/``lon`` of that row
``main_city``              text     ``city_en`` of the row with ``maincity`` = 1
``main_city_lat``/``_lon`` degrees  ``lat``/``lon`` of that row
``official_language``      text     ``langoff_1`` … ``langoff_3``
``language_20pct``         text     ``lang20_1`` … ``lang20_4`` (spoken by ≥ 20 %)
``language_9pct``          text     ``lang9_1`` … ``lang9_4`` (spoken by 9–20 %)
``colonizer``              text     ``colonizer1`` … ``colonizer4`` (ISO3 of the coloniser)
``short_colonizer``        text     ``short_colonizer1`` … ``_3`` (short colonial links)
=========================  =======  ===================================================

Thirteen countries (Kazakhstan among them: Astana and Almaty) have two rows, one per city;
the country columns must agree between them and the city attributes are taken from the
row flagged ``cap``/``maincity``. ``.`` is CEPII's missing marker. Legacy codes are mapped as
in :mod:`.cepii_gravity` (ROM→ROU, …, YUG→SRB, also as a coloniser); the Netherlands
Antilles (ANT) have no successor and are counted and left out.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa

from steppe.errors import SourceFileError
from steppe.sources.base import KnownFile, Parsed, Source, SourceInfo
from steppe.sources.canonical import check_ids, number
from steppe.sources.cepii_gravity import DISSOLVED, LEGACY_CODES
from steppe.sources.cepii_gravity import INFO as GEODIST
from steppe.sources.xlsx import read_sheet_rows

INFO = SourceInfo(
    id="cepii_geo",
    title="GeoDist country file: area, landlocked, capital, languages, colonisers",
    publisher=GEODIST.publisher,
    licence=GEODIST.licence,
    url=GEODIST.url,
    citation=GEODIST.citation,
    files=(KnownFile("2011", "geo_cepii.xls", "http://www.cepii.fr/distance/geo_cepii.xls",
                     "1660819b9837b501d586590ae74f9c4f34e6abfc60a0f6e2c693e21892a26ab1", 146432,
                     "geo"),),
)

SHEET = "geo_cepii"
#: attribute -> (CEPII column, unit) for the one-valued country columns
NUMERIC = {"area_km2": ("area", "km2"), "internal_distance_km": ("dis_int", "km"),
           "landlocked": ("landlocked", "dummy")}
#: attribute -> CEPII columns, for the multi-valued text columns
MULTI = {"official_language": ("langoff_1", "langoff_2", "langoff_3"),
         "language_20pct": ("lang20_1", "lang20_2", "lang20_3", "lang20_4"),
         "language_9pct": ("lang9_1", "lang9_2", "lang9_3", "lang9_4"),
         "colonizer": ("colonizer1", "colonizer2", "colonizer3", "colonizer4"),
         "short_colonizer": ("short_colonizer1", "short_colonizer2", "short_colonizer3")}
CITY = {"capital": "cap", "main_city": "maincity"}
_COUNTRY_COLUMNS = ("area", "dis_int", "landlocked", "continent",
                    *(c for cols in MULTI.values() for c in cols))

Attribute = tuple[str, str, float | None, str | None, str]  #: area, attribute, value, text, unit


def _text(cell: Any) -> str | None:
    text = " ".join(str(cell).split()) if cell is not None else ""
    return None if text in ("", ".") else text


def _num(cell: Any, where: str) -> float | None:
    try:
        return number(cell)
    except ValueError:
        raise SourceFileError(f"{where}: {cell!r} is not a number") from None


def attributes(header: tuple[Any, ...], rows: list[tuple[Any, ...]], name: str) -> list[Attribute]:
    """The ``area_attribute`` records of the geo_cepii rows (pure; ``name`` for messages)."""
    col = {str(h): i for i, h in enumerate(header)}
    missing = [c for c in ("iso3", "city_en", "lat", "lon", *CITY.values(), *_COUNTRY_COLUMNS)
               if c not in col]
    if missing:
        raise SourceFileError(f"{name}: missing column(s) {missing}; expected CEPII's geo_cepii")
    by_iso: dict[str, list[tuple[int, tuple[Any, ...]]]] = defaultdict(list)
    for r, row in enumerate(rows, 2):
        by_iso[str(row[col["iso3"]])].append((r, row))
    out: list[Attribute] = []
    for iso, group in by_iso.items():
        if iso in DISSOLVED:
            continue
        area = LEGACY_CODES.get(iso, iso)
        first_r, first = group[0]
        for r, row in group[1:]:
            diff = [c for c in _COUNTRY_COLUMNS if row[col[c]] != first[col[c]]]
            if diff:
                raise SourceFileError(f"{name}, sheet {SHEET!r}: rows {first_r} and {r} ({iso}) "
                                      f"disagree on country column(s) {diff}")
        for attribute, (column, unit) in NUMERIC.items():
            value = _num(first[col[column]], f"{name}, row {first_r}, column {column}")
            if value is not None:
                out.append((area, attribute, value, None, unit))
        if (continent := _text(first[col["continent"]])) is not None:
            out.append((area, "continent", None, continent, "text"))
        for attribute, columns in MULTI.items():
            for column in columns:
                if (text := _text(first[col[column]])) is not None:
                    text = LEGACY_CODES.get(text, text) if "colonizer" in attribute else text
                    out.append((area, attribute, None, text, "text"))
        for attribute, flag in CITY.items():
            chosen = [(r, row) for r, row in group if str(row[col[flag]]) == "1"]
            if len(chosen) != 1:
                raise SourceFileError(f"{name}, sheet {SHEET!r}: {iso} has {len(chosen)} rows with "
                                      f"{flag} = 1 (rows {[r for r, _ in group]}); expected one")
            r, row = chosen[0]
            out.append((area, attribute, None, _text(row[col["city_en"]]), "text"))
            for axis in ("lat", "lon"):
                value = _num(row[col[axis]], f"{name}, row {r}, column {axis}")
                if value is not None:
                    out.append((area, f"{attribute}_{axis}", value, None, "degrees"))
    return out


def attribute_table(records: list[Attribute], context: str) -> pa.Table:
    """An ``area_attribute`` table (without release_id/load_id) from records."""
    check_ids((r[0] for r in records), context)
    area, attribute, value, text, unit = (list(c) for c in zip(*records)) if records else [[]] * 5
    return pa.table({"area": pa.array(area, pa.string()),
                     "attribute": pa.array(attribute, pa.string()),
                     "value": pa.array(value, pa.float64()),
                     "text": pa.array(text, pa.string()),
                     "unit": pa.array(unit, pa.string())})


class CepiiGeo(Source):
    """The geo_cepii loader."""

    info = INFO

    def read(self, path: Path, known: KnownFile) -> Parsed:
        rows = read_sheet_rows(path, SHEET, source_id=INFO.id)
        if not rows:
            raise SourceFileError(f"{path.name}: sheet {SHEET!r} is empty", path=path,
                                  source_id=INFO.id)
        records = attributes(rows[0], rows[1:], path.name)
        counts = {"rows_read": len(rows) - 1,
                  "dissolved_area_rows": sum(1 for r in rows[1:] if str(r[1]) in DISSOLVED)}
        return Parsed({"area_attribute": attribute_table(records, path.name)}, counts)


SOURCE = CepiiGeo()
