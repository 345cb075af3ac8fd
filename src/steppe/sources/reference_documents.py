"""Figures quoted in steppe's reference documents, loadable like any source.

The data file ``data/reference_facts.csv`` (in the repository, one cited row per
figure) holds the MPI tabulation of UN DESA stocks for mid-2017 quoted for Kazakhstan
and the world migrant totals of 2015 and 2020, so they can be set beside UN DESA's
revisions. Release ``reference_documents@2017``.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pyarrow as pa

from steppe.areas import resolve_many
from steppe.errors import SourceFileError
from steppe.sources.base import KnownFile, Parsed, Source, SourceInfo
from steppe.sources.un_desa_codes import SEX_CODE

FILE_NAME = "reference_facts.csv"

INFO = SourceInfo(
    id="reference_documents",
    title="Figures quoted in the reference documents (MPI tabulation of UN DESA mid-2017; world totals)",
    publisher="steppe (transcribed from the reference documents, each row cited)",
    licence="CC BY 4.0 (transcription); underlying UN DESA data CC BY 3.0 IGO",
    url="src/steppe/sources/data/reference_facts.csv",
    citation="See the 'document' and 'citation' columns of each row.",
    files=(KnownFile("2017", FILE_NAME, "src/steppe/sources/data/reference_facts.csv", None, None,
                     "csv"),),
)


def bundled_path() -> Path:
    """The data file shipped inside the package."""
    return Path(str(resources.files("steppe.sources").joinpath("data", FILE_NAME)))


class ReferenceDocuments(Source):
    """Loader of the cited reference-document figures."""

    info = INFO

    def read(self, path: Path, known: KnownFile) -> Parsed:
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        missing_citation = [i for i, r in enumerate(rows, 2) if not r["citation"] or not r["document"]]
        if missing_citation:
            raise SourceFileError(f"{path.name}: rows {missing_citation} have no citation",
                                  path=path, source_id=INFO.id)
        bad_sex = [i for i, r in enumerate(rows, 2) if r["sex"] not in SEX_CODE]
        if bad_sex:
            raise SourceFileError(f"{path.name}: rows {bad_sex} have a sex other than "
                                  f"{', '.join(SEX_CODE)}", path=path, source_id=INFO.id)
        names = {r[k] for r in rows for k in ("origin", "destination", "area") if r[k]}
        areas = resolve_many(names, context=path.name)
        stock = [r for r in rows if r["table"] == "migrant_stock"]
        totals = [r for r in rows if r["table"] == "area_indicator"]
        tables = {
            "migrant_stock_facts": pa.table({
                "year": pa.array([int(r["year"]) for r in stock], pa.int16()),
                "origin_m49": pa.array([areas[r["origin"]].m49 for r in stock], pa.int16()),
                "destination_m49": pa.array([areas[r["destination"]].m49 for r in stock], pa.int16()),
                "sex": pa.array([SEX_CODE[r["sex"]] for r in stock], pa.uint8()),
                "value": [float(r["value"]) for r in stock],
            }),
            "area_indicator": pa.table({
                "area": [areas[r["area"]].area_id for r in totals],
                "year": pa.array([int(r["year"]) for r in totals], pa.int16()),
                "indicator": [r["indicator"] for r in totals],
                "sex": [r["sex"] for r in totals],
                "value": [float(r["value"]) for r in totals],
                "unit": [r["unit"] for r in totals],
            }),
        }
        return Parsed(tables, {"rows_read": len(rows)})


SOURCE = ReferenceDocuments()
