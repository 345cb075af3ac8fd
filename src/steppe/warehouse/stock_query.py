"""Querying bilateral migrant stocks: one revision at a time, others shown beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import duckdb

from steppe.errors import InvalidOptionError, NotLoadedError
from steppe.warehouse.store import fetch_records

DATASET = "un_desa_stock"
Sex = Literal["total", "male", "female"]
By = Literal["origin", "destination", "corridor"]


@dataclass(frozen=True)
class StockQuery:
    """Which stocks to read. Areas are area ids (resolve names first)."""

    destination: str | None = None
    origin: str | None = None
    year: int | None = None
    sex: Sex = "total"
    by: By = "origin"
    top: int | None = None
    revision: str | None = None  #: UN DESA edition, e.g. '2020'; default the newest
    release: str | None = None  #: an exact release id; overrides revision
    countries_only: bool = True  #: leave out aggregate and 'other' rows


def resolve_release(con: duckdb.DuckDBPyConnection, query: StockQuery) -> tuple[str, str]:
    """The (release id, edition) a query reads."""
    if query.release:
        row = con.execute("SELECT release_id, edition FROM releases WHERE release_id = ? "
                          "OR (dataset = ? AND edition = ?) ORDER BY loaded_at DESC LIMIT 1",
                          [query.release, DATASET, query.release]).fetchone()
        if row is None:
            known = [r[0] for r in con.execute(
                "SELECT release_id FROM releases WHERE dataset = ?", [DATASET]).fetchall()]
            raise InvalidOptionError("--release", query.release, known or "a loaded release id")
        return row[0], row[1]
    params: list[Any] = [DATASET]
    where = "dataset = ?"
    if query.revision:
        where += " AND edition = ?"
        params.append(query.revision)
    row = con.execute(f"SELECT release_id, edition FROM releases WHERE {where} "
                      "ORDER BY edition DESC, loaded_at DESC LIMIT 1", params).fetchone()
    if row is None:
        what = f"UN DESA migrant stock revision {query.revision}" if query.revision else \
            "UN DESA migrant stock"
        raise NotLoadedError(what)
    return row[0], row[1]


def query_stock(con: duckdb.DuckDBPyConnection, query: StockQuery) -> list[dict[str, Any]]:
    """Stock records of one release, each with the other revisions' values beside it.

    Each record has ``origin``, ``destination``, ``year``, ``sex``, ``value``,
    ``release``, ``revisions`` ({edition: value} of every loaded UN DESA revision
    for the same corridor, year and sex) and, where the reference documents quote a
    figure for the corridor, ``reference`` ({year, value, release}).
    """
    if query.top is not None and query.top < 1:
        raise InvalidOptionError("--top", query.top, "a whole number of 1 or more")
    release_id, _ = resolve_release(con, query)
    year = query.year
    if year is None:
        year = con.execute("SELECT max(year) FROM migrant_stock WHERE release_id = ?",
                           [release_id]).fetchone()[0]
    corridor = ["s.year = $year", "s.sex = $sex"]  # every revision's rows for the same cells
    params: dict[str, Any] = {"release": release_id, "year": year, "sex": query.sex}
    for column, value in (("destination", query.destination), ("origin", query.origin)):
        if value:
            corridor.append(f"s.{column} = ${column}")
            params[column] = value
    filters = ["s.release_id = $release", *corridor]
    if query.countries_only:
        filters.append("s.origin IN (SELECT area_id FROM areas WHERE kind = 'country') AND "
                       "s.destination IN (SELECT area_id FROM areas WHERE kind = 'country')")
    limit = f"LIMIT {int(query.top)}" if query.top else ""
    # release ids as constants: DuckDB then reads only those loads' rows of the stock view
    for name, dataset in (("stock_releases", DATASET), ("reference_releases", "reference_documents")):
        params[name] = [r[0] for r in con.execute(
            "SELECT release_id FROM releases WHERE dataset = ?", [dataset]).fetchall()]
    cursor = con.execute(f"""
        WITH picked AS (
            SELECT s.origin, s.destination, s.year, s.sex, s.value, s.release_id AS release
            FROM migrant_stock s WHERE {' AND '.join(filters)}
            ORDER BY s.value DESC, s.origin, s.destination {limit}
        ),
        revs AS (
            SELECT p.origin, p.destination, map_from_entries(list((r.edition, o.value)
                       ORDER BY r.edition)) AS revisions
            FROM picked p
            JOIN (SELECT s.* FROM migrant_stock s WHERE {' AND '.join(corridor)}
                  AND list_contains($stock_releases, s.release_id)) o
                 ON o.origin = p.origin AND o.destination = p.destination
            JOIN releases r ON r.release_id = o.release_id
            GROUP BY p.origin, p.destination
        ),
        refs AS (
            SELECT o.origin, o.destination, max(o.year) AS year, arg_max(o.value, o.year) AS value,
                   arg_max(o.release_id, o.year) AS release
            FROM migrant_stock o
            WHERE o.sex = $sex AND list_contains($reference_releases, o.release_id)
            GROUP BY o.origin, o.destination
        )
        SELECT p.*, revs.revisions, refs.year AS ref_year, refs.value AS ref_value,
               refs.release AS ref_release
        FROM picked p LEFT JOIN revs USING (origin, destination)
        LEFT JOIN refs USING (origin, destination)
        ORDER BY p.value DESC, p.origin, p.destination
    """, params)
    records = []
    for record in fetch_records(cursor):
        ref_year, ref_value, ref_release = (record.pop(k) for k in ("ref_year", "ref_value",
                                                                      "ref_release"))
        record["year"] = int(record["year"])
        record["revisions"] = dict(record["revisions"] or {})
        record["reference"] = (
            {"year": int(ref_year), "value": ref_value, "release": ref_release}
            if ref_value is not None else None)
        records.append(record)
    return records
