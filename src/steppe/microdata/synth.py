"""Synthetic administrative records of real size and shape.

Registrations are drawn chunk by chunk with vectorised numpy, so 100 million rows
need only one chunk of memory at a time; each chunk gets its own seeded generator
(``default_rng([seed, chunk])``), so output depends only on ``seed`` and ``chunk_rows``.

Shape
-----
* Corridor shares: the host's bilateral migrant stock by origin (``migrant_stock``,
  latest release and year in the warehouse; sex ratios from the male/female rows).
  Without a warehouse, :data:`FALLBACK_CORRIDORS` holds the 20 largest origins in
  Kazakhstan from UN DESA International Migrant Stock 2024 (mid-2024).
* Seasonality: labour registrations peak in March-May; seasonal workers leave in
  October-December (:data:`MONTH_WEIGHTS`, :data:`SEASONAL_RETURN`); students arrive
  in August-September.
* Stays: log-normal durations by purpose; stays still running at ``as_of`` (31
  December of the last year) have no deregistration date.

Files are hive-partitioned Parquet: ``registrations/reg_year=YYYY/reg_month=M/``; with
``coded=True`` the categorical columns are integer codes and ``registrations/_codes.json``
holds their code table (:mod:`steppe.microdata.codes`).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from steppe.errors import InvalidOptionError, NotLoadedError
from steppe.microdata.codes import CELL_COLUMN, CODE_TYPES, CodeTable
from steppe.microdata.schema import AGE_GROUPS, PURPOSES, REGISTRATIONS, SEXES, region_codes

# origin ISO3: (persons, male share), UN DESA IMS 2024, destination Kazakhstan, mid-2024
FALLBACK_CORRIDORS: dict[str, tuple[float, float]] = {
    "UZB": (744161, 0.526), "RUS": (552258, 0.308), "CHN": (196398, 0.468),
    "TKM": (117117, 0.115), "KGZ": (100242, 0.371), "MNG": (75801, 0.468),
    "UKR": (74585, 0.117), "TJK": (27922, 0.496), "BLR": (23013, 0.182),
    "AZE": (18451, 0.628), "GEO": (12026, 0.637), "AFG": (8919, 0.470),
    "MDA": (6912, 0.293), "ARM": (6889, 0.503), "TUR": (6713, 0.469),
    "IRN": (3012, 0.468), "DEU": (2608, 0.469), "LTU": (1391, 0.468),
    "EST": (1346, 0.556), "IND": (1190, 0.555),
}
# registration month weights (Jan..Dec) by purpose
MONTH_WEIGHTS: dict[str, tuple[float, ...]] = {
    "work": (4, 6, 12, 15, 13, 10, 8, 7, 7, 7, 6, 5),
    "study": (5, 4, 4, 4, 4, 5, 8, 25, 25, 6, 5, 5),
    "family": (7, 7, 8, 9, 9, 9, 9, 9, 9, 8, 8, 8),
    "other": (8, 8, 8, 8, 9, 9, 9, 9, 8, 8, 8, 8),
}
PURPOSE_SHARES: tuple[float, ...] = (0.62, 0.08, 0.2, 0.1)  # work, study, family, other
# age group weights by purpose (0-17 .. 65+)
AGE_WEIGHTS: dict[str, tuple[float, ...]] = {
    "work": (0.0, 18, 36, 26, 14, 6, 0.0),
    "study": (8, 80, 10, 2, 0.0, 0.0, 0.0),
    "family": (25, 10, 20, 18, 12, 9, 6),
    "other": (8, 12, 22, 20, 16, 12, 10),
}
# log-normal stay durations (median days, sigma) by purpose
DURATION: dict[str, tuple[float, float]] = {
    "work": (150, 0.7), "study": (300, 0.5), "family": (600, 0.9), "other": (40, 0.8),
}
SEASONAL_RETURN = 0.6  # share of labour migrants registered Jan-Sep who leave in Oct-Dec
RETURN_MONTHS: tuple[float, ...] = (0.4, 0.35, 0.25)  # Oct, Nov, Dec
# population-weighted pull of Kazakhstan's regions (cities of republican significance first)
KAZ_REGION_WEIGHTS: dict[str, float] = {"KZ-75": 22, "KZ-71": 14, "KZ-79": 9, "KZ-61": 7, "KZ-19": 6}


@dataclass(frozen=True)
class Corridors:
    """Origins of the synthetic population."""

    origins: tuple[str, ...]
    """ISO3 of each citizenship"""
    shares: np.ndarray
    """share of records, sums to 1"""
    male_share: np.ndarray
    """share of men among each origin's migrants"""
    source: str
    """where the shares come from (release id or 'built-in UN DESA IMS 2024')"""


def fallback_corridors() -> Corridors:
    """The built-in corridors (Kazakhstan, UN DESA IMS 2024)."""
    origins = tuple(FALLBACK_CORRIDORS)
    values = np.array([FALLBACK_CORRIDORS[o][0] for o in origins])
    male = np.array([FALLBACK_CORRIDORS[o][1] for o in origins])
    return Corridors(origins, values / values.sum(), male, "built-in UN DESA IMS 2024 (KAZ)")


def corridors_from_warehouse(db: Path, host: str, top: int = 40) -> Corridors:
    """Corridor shares for ``host`` from the warehouse's latest migrant stock.

    Parameters
    ----------
    db : warehouse file.
    host : ISO3 of the destination.
    top : number of largest origins kept.
    """
    from steppe.warehouse import Warehouse

    sql = """
        WITH latest AS (
            SELECT s.release_id, max(s.year) AS year FROM migrant_stock s
            JOIN releases r USING (release_id)
            WHERE s.destination = ? GROUP BY s.release_id, r.loaded_at
            ORDER BY r.loaded_at DESC LIMIT 1)
        SELECT origin,
               sum(value) FILTER (WHERE sex = 'total') AS total,
               sum(value) FILTER (WHERE sex = 'male') AS male, any_value(latest.release_id)
        FROM migrant_stock JOIN latest USING (release_id, year)
        WHERE destination = ? AND length(origin) = 3 AND origin <> 'OTHER'
        GROUP BY origin HAVING total > 0 ORDER BY total DESC LIMIT ?
    """
    with Warehouse(db).reader() as con:
        rows = con.execute(sql, [host, host, top]).fetchall()
    if not rows:
        raise NotLoadedError(
            f"migrant stock for destination {host}",
            "run `steppe ingest` first, or pass --builtin to use the built-in KAZ corridors",
        )
    total = np.array([r[1] for r in rows], dtype=float)
    male = np.array([r[2] if r[2] is not None else 0.5 * r[1] for r in rows], dtype=float) / total
    return Corridors(tuple(r[0] for r in rows), total / total.sum(), male, str(rows[0][3]))


def region_weights(host: str) -> tuple[tuple[str, ...], np.ndarray]:
    """Host regions and the share of registrations each receives."""
    regions = region_codes(host)
    if not regions:
        raise InvalidOptionError("host", host, "a country with ISO 3166-2 regions")
    pull = KAZ_REGION_WEIGHTS if host.upper() == "KAZ" else {}
    w = np.array([pull.get(r, 2.5) for r in regions], dtype=float)
    return regions, w / w.sum()


def _draw(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    cum = np.cumsum(weights / np.sum(weights))
    return np.minimum(np.searchsorted(cum, rng.random(n), side="right"), len(weights) - 1)


def _days(y: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Epoch day of the first of month ``m`` (1-12) in year ``y``."""
    months = ((y - 1970) * 12 + (m - 1)).astype("datetime64[M]")
    return np.asarray(months.astype("datetime64[D]").astype(np.int64))


def code_table(corridors: Corridors, host: str) -> CodeTable:
    """The code table of coded synthetic files (origins in corridor order)."""
    regions, _ = region_weights(host)
    return CodeTable({"citizenship": corridors.origins, "sex": SEXES, "age_group": AGE_GROUPS,
                      "region": regions, "purpose": PURPOSES},
                     cell=("citizenship", "region", "sex", "age_group"))


def registrations_chunk(
    rng: np.random.Generator, n: int, corridors: Corridors, host: str, years: tuple[int, int],
    *, coded: bool = False,
) -> pa.Table:
    """Draw ``n`` registration records (see the module docstring for their shape).

    With ``coded`` the categorical columns hold the integer codes of
    :func:`code_table` (see :mod:`steppe.microdata.codes`) and a ``cell`` column packs
    the four cell codes; otherwise they are dictionary-encoded text."""
    regions, rweights = region_weights(host)
    cit = _draw(rng, corridors.shares, n).astype(np.int16)
    purpose = _draw(rng, np.array(PURPOSE_SHARES), n).astype(np.int8)
    is_work = purpose == 0
    p_male = corridors.male_share[cit]
    p_male = np.where(is_work, np.minimum(0.92, p_male + 0.3), p_male)
    sex = (rng.random(n) >= p_male).astype(np.int8)  # 0 male, 1 female
    age = np.empty(n, np.int8)
    month = np.empty(n, np.int64)
    median = np.empty(n)
    sigma = np.empty(n)
    for i, p in enumerate(PURPOSES):
        sel = purpose == i
        k = int(sel.sum())
        age[sel] = _draw(rng, np.array(AGE_WEIGHTS[p]), k)
        month[sel] = _draw(rng, np.array(MONTH_WEIGHTS[p]), k) + 1
        median[sel], sigma[sel] = DURATION[p]
    region = _draw(rng, rweights, n).astype(np.int16)
    year = rng.integers(years[0], years[1] + 1, n)
    first = _days(year, month)
    length = _days(year + (month == 12), month % 12 + 1) - first
    reg = first + (rng.random(n) * length).astype(np.int64)
    stay = np.maximum(1, np.rint(median * np.exp(sigma * rng.standard_normal(n)))).astype(np.int64)
    dereg = reg + stay
    seasonal = is_work & (month <= 9) & (rng.random(n) < SEASONAL_RETURN)
    ret_month = _draw(rng, np.array(RETURN_MONTHS), n) + 10
    ret_first = _days(year, ret_month)
    ret_day = ret_first + (rng.random(n) * 30).astype(np.int64)
    dereg = np.where(seasonal, ret_day, dereg)
    as_of = _days(np.array([years[1] + 1]), np.array([1]))[0] - 1
    open_stay = dereg > as_of
    keys = rng.integers(1, np.iinfo(np.int64).max, n, dtype=np.int64)

    def coded_(name: str, idx: np.ndarray, labels: tuple[str, ...]) -> pa.Array:
        if coded:
            return pa.array(idx, CODE_TYPES[name])
        return pa.DictionaryArray.from_arrays(pa.array(idx), pa.array(labels, pa.string()))

    cols = {
        "person_key": pa.array(keys),
        "citizenship": coded_("citizenship", cit, corridors.origins),
        "sex": coded_("sex", sex, SEXES),
        "age_group": coded_("age_group", age, AGE_GROUPS),
        "region": coded_("region", region, regions),
        "purpose": coded_("purpose", purpose, PURPOSES),
        "registration_date": pa.array(reg.astype(np.int32), pa.int32()).cast(pa.date32()),
        "deregistration_date": pa.array(dereg.astype(np.int32), pa.int32(), mask=open_stay).cast(pa.date32()),
    }
    if coded:
        table = code_table(corridors, host)
        codes: dict[str, np.ndarray] = {"citizenship": cit, "region": region, "sex": sex, "age_group": age}
        cols[CELL_COLUMN] = pa.array(table.pack(codes), pa.int32())
    return pa.table(cols)


def as_of_date(years: tuple[int, int]) -> date:
    """The extraction date of a synthetic set: 31 December of its last year."""
    return date(years[1], 12, 31)


def iter_chunks(rows: int, chunk_rows: int) -> Iterator[tuple[int, int]]:
    """(chunk index, rows in chunk) pairs covering ``rows``."""
    for i, start in enumerate(range(0, rows, chunk_rows)):
        yield i, min(chunk_rows, rows - start)


def write_partitioned(table: pa.Table, root: Path, part: str) -> int:
    """Write ``table`` under ``root/reg_year=Y/reg_month=M/<part>.parquet``; returns files written."""
    reg = table.column(REGISTRATIONS.partition_date).to_numpy(zero_copy_only=False).astype("datetime64[M]")
    ym = reg.astype(np.int64)
    order = np.argsort(ym, kind="stable")
    ym_sorted = ym[order]
    bounds = np.flatnonzero(np.diff(ym_sorted)) + 1
    table = table.take(pa.array(order))
    files = 0
    for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(ym_sorted)], strict=True):
        y, m = divmod(int(ym_sorted[lo]), 12)
        folder = root / f"reg_year={1970 + y}" / f"reg_month={m + 1}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table.slice(lo, hi - lo), folder / f"{part}.parquet", store_schema=False)
        files += 1
    return files


def synthesize(
    out: Path,
    rows: int,
    seed: int = 0,
    *,
    host: str = "KAZ",
    years: tuple[int, int] = (2019, 2024),
    corridors: Corridors | None = None,
    chunk_rows: int = 5_000_000,
    overwrite: bool = False,
    coded: bool = False,
) -> Corridors:
    """Write ``rows`` synthetic registrations to ``out/registrations``.

    Parameters
    ----------
    out : output folder (created).
    rows : number of records.
    seed : random seed; equal seeds give equal files.
    host : ISO3 of the host country.
    years : first and last registration year.
    corridors : origin shares; default :func:`fallback_corridors`.
    chunk_rows : records drawn per chunk (bounds memory).
    overwrite : replace an existing ``out/registrations`` folder.
    coded : store citizenship, sex, age group, region and purpose as small integer
        codes with the code table ``out/registrations/_codes.json`` (much faster to
        aggregate; see :mod:`steppe.microdata.codes`); default: text.
    """
    if rows < 1:
        raise InvalidOptionError("rows", rows, "a positive number of records")
    if years[0] > years[1]:
        raise InvalidOptionError("years", years, "(first, last) with first <= last")
    corridors = corridors or fallback_corridors()
    root = Path(out) / "registrations"
    if root.exists() and any(root.iterdir()):
        if not overwrite:
            raise InvalidOptionError(
                "out", str(out), "a folder without a 'registrations' subfolder (or pass overwrite)"
            )
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    if coded:
        code_table(corridors, host).write(root)
    for i, n in iter_chunks(rows, chunk_rows):
        rng = np.random.default_rng([seed, i])
        chunk = registrations_chunk(rng, n, corridors, host, years, coded=coded)
        write_partitioned(chunk, root, f"part-{i:05d}")
    return corridors
