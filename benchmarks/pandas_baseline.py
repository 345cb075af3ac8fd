"""The obvious alternative to ``steppe ingest`` for the UN DESA files, written with pandas.

What an analyst would write to reach the same warehouse with the same checks: pandas
``read_csv``/``read_excel`` (its default xlsx engine, openpyxl), vectorised ``map`` for
code and name resolution (each distinct name resolved once), ``melt`` for the wide
tables, ``duplicated`` for duplicate keys, and one DuckDB insert per file and table.

Each check steppe's loaders make is made here too, so both sides do the same work:
sex codes, unknown codes or names (one error listing them), identical duplicates kept
once and conflicting ones refused, missing and aggregate cells counted, negative stocks
refused, non-numeric cells refused; every row carries ``release_id`` and ``load_id``,
and the release and its load are recorded. The end state has the same rows in
``migrant_stock`` and ``area_indicator`` as steppe's warehouse (checked by the benchmark).
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from steppe.areas import resolve_many
from steppe.areas.registry import registry
from steppe.sources.un_desa_codes import SEX_CODES as SEX

KEYS = ["dest", "org", "year", "sex"]
BILATERAL = {"ms2024org.csv.gz": "2024", "ms2020org.csv.gz": "2020"}
TOTALS = {"ms2024.csv.gz": ("2024", "migrant_stock_total"),
          "ms2020.csv.gz": ("2020", "migrant_stock_total"),
          "ms2020rfg.csv.gz": ("2020", "refugee_stock")}
WORKBOOKS = {"undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx": "2020",
             "UN_MigrantStockTotal_2019.xlsx": "2019"}
SHEETS = {"Table 1": ("migrant_stock_total", 1.0), "Table 2": ("population", 1000.0),
          "Table 6": ("refugee_stock", 1.0)}
WIDE_2019 = "UN_MigrantStockByOriginAndDestination_2019_clean.csv"


class Baseline:
    """One pandas load session on a DuckDB file."""

    def __init__(self, db: Path, insert: bool = True, compact: bool = False) -> None:
        table = registry()
        self.area_of = {m49: a.area_id for m49, a in table.by_m49.items()}
        self.m49_of = {m49: a.m49 for m49, a in table.by_m49.items()}
        self.compact = compact  #: bilateral rows with steppe's integer keys instead of text
        stock = ("year SMALLINT, origin_m49 SMALLINT, destination_m49 SMALLINT, sex UTINYINT, "
                 "value DOUBLE, load_key INTEGER" if compact else
                 "year SMALLINT, origin VARCHAR, destination VARCHAR, sex VARCHAR, value DOUBLE, "
                 "release_id VARCHAR, load_id VARCHAR")
        self.aggregate = {m49 for m49, a in table.by_m49.items() if a.kind == "aggregate"}
        self.con = duckdb.connect(str(db))
        self.con.execute(f"""
            CREATE TABLE releases (release_id VARCHAR, dataset VARCHAR, edition VARCHAR,
                                   file_name VARCHAR, sha256 VARCHAR);
            CREATE TABLE load_runs (load_id VARCHAR, release_id VARCHAR, rows BIGINT,
                                    counts VARCHAR, load_key INTEGER);
            CREATE TABLE migrant_stock ({stock});
            CREATE TABLE area_indicator (area VARCHAR, year SMALLINT, indicator VARCHAR,
                sex VARCHAR, value DOUBLE, unit VARCHAR, release_id VARCHAR, load_id VARCHAR);
        """)
        self.rows = self.loads = 0
        self.insert = insert  #: False times the parsing alone (no DuckDB inserts)

    def areas(self, codes: pd.Series, context: str, compact: bool = False) -> pd.Series:
        unknown = sorted(set(codes.unique()) - self.area_of.keys())
        if unknown:
            raise ValueError(f"{context}: unknown location codes {unknown}")
        return codes.map(self.m49_of if compact else self.area_of)

    def save(self, table: str, frame: pd.DataFrame, dataset: str, edition: str, path: Path,
             counts: dict[str, int]) -> None:
        self.rows += len(frame)
        if not self.insert:
            return
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        release_id, load_id = f"{dataset}@{edition}#{digest[:12]}", uuid.uuid4().hex
        self.loads += 1
        load_key = self.loads
        if self.compact and table == "migrant_stock":
            frame = frame.assign(load_key=load_key)
        else:
            frame = frame.assign(release_id=release_id, load_id=load_id)
        self.con.execute("BEGIN")
        self.con.execute("INSERT INTO releases VALUES (?, ?, ?, ?, ?)",
                         [release_id, dataset, edition, path.name, digest])
        self.con.execute(f"INSERT INTO {table} SELECT * FROM frame")
        self.con.execute("INSERT INTO load_runs VALUES (?, ?, ?, ?, ?)",
                         [load_id, release_id, len(frame), str(counts), load_key])
        self.con.execute("COMMIT")

    def bilateral(self, raw: pd.DataFrame, context: str) -> tuple[pd.DataFrame, dict[str, int]]:
        """Raw (dest, org, year, sex, value) rows → canonical rows and counts."""
        if not raw["sex"].isin(SEX).all():
            raise ValueError(f"{context}: sex codes other than 0, 1, 2")
        destination = self.areas(raw["dest"], context, self.compact)
        origin = self.areas(raw["org"], context, self.compact)
        repeated = raw.duplicated(KEYS, keep=False)
        duplicates = 0
        if repeated.any():
            spread = raw[repeated].groupby(KEYS)["value"].agg(["min", "max", "size"])
            if (spread["min"] != spread["max"]).any():
                raise ValueError(f"{context}: keys repeated with different values")
            duplicates = int((spread["size"] - 1).sum())
            keep = ~raw.duplicated(KEYS)
            raw, destination, origin = raw[keep], destination[keep], origin[keep]
        if (raw["value"] < 0).any():
            raise ValueError(f"{context}: negative stock values")
        present = raw["value"].notna()
        counts = {"rows_read": len(raw) + duplicates, "missing_value": int((~present).sum()),
                  "duplicate_identical_rows": duplicates,
                  "aggregate_rows": int((raw["dest"].isin(self.aggregate)
                                         | raw["org"].isin(self.aggregate)).sum())}
        frame = pd.DataFrame({"year": np.floor(raw["year"][present]).astype("int16"),
                              "origin": origin[present], "destination": destination[present],
                              "sex": (raw["sex"][present].astype("uint8") if self.compact
                                      else raw["sex"][present].map(SEX)),
                              "value": raw["value"][present].astype(float)})
        return frame, counts

    def indicator(self, codes: pd.Series, year: pd.Series, indicator: str, sex: pd.Series,
                  value: pd.Series, context: str) -> pd.DataFrame:
        return pd.DataFrame({"area": self.areas(codes, context).to_numpy(),
                             "year": np.floor(year.to_numpy(float)).astype("int16"),
                             "indicator": indicator, "sex": sex.map(SEX).to_numpy(),
                             "value": value.to_numpy(float), "unit": "persons"})


def run_pandas(data: Path, db: Path, insert: bool = True, compact: bool = False) -> int:
    """Load every UN DESA file under ``data/undesa`` into ``db``; returns rows loaded.

    ``compact`` stores the bilateral rows as steppe does (M49 codes, sex codes, a load key).
    """
    base = Baseline(db, insert, compact)
    undesa, shiny = data / "undesa", data / "undesa/ims_msShiny"
    for name, edition in BILATERAL.items():
        raw = pd.read_csv(shiny / name, dtype={"LocIDdest": "int32", "LocIDorg": "int32",
                                                "year": float, "sex": "int8", "value": float})
        raw = raw.rename(columns={"LocIDdest": "dest", "LocIDorg": "org"})
        frame, counts = base.bilateral(raw[KEYS + ["value"]], name)
        base.save("migrant_stock", frame, "un_desa_stock", edition, shiny / name, counts)
    frame, counts = wide_2019(base, undesa / WIDE_2019)
    base.save("migrant_stock", frame, "un_desa_stock", "2019", undesa / WIDE_2019, counts)
    for name, (edition, indicator) in TOTALS.items():
        raw = pd.read_csv(shiny / name).dropna(subset=["value"])
        frame = base.indicator(raw["LocID"], raw["year"], indicator, raw["sex"], raw["value"], name)
        base.save("area_indicator", frame, "un_desa_stock_totals", edition, shiny / name, {})
    for name, edition in WORKBOOKS.items():
        frame = pd.concat([workbook_sheet(base, undesa / name, sheet, *spec)
                           for sheet, spec in SHEETS.items()], ignore_index=True)
        base.save("area_indicator", frame, "un_desa_stock_totals", edition, undesa / name, {})
    base.con.execute("CHECKPOINT")
    base.con.close()
    return base.rows


def wide_2019(base: Baseline, path: Path) -> tuple[pd.DataFrame, dict[str, int]]:
    wide = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    if list(wide.columns[:2]) != ["Year", "Dest"]:
        raise ValueError(f"{path.name}: expected columns Year, Dest first")
    long = wide.melt(id_vars=["Year", "Dest"], var_name="origin", value_name="cell").dropna()
    names = {name: area.m49 for name, area in resolve_many(
        set(long["origin"]) | set(long["Dest"]), context=path.name).items()}
    cell = long["cell"].str.strip()
    missing = cell.isin(["..", "-", ""])
    value = pd.to_numeric(cell[~missing].str.replace(",", ""), errors="coerce")
    if value.isna().any():
        raise ValueError(f"{path.name}: cells that are neither numbers nor '..'/'-'")
    long = long[~missing]
    raw = pd.DataFrame({"dest": long["Dest"].map(names), "org": long["origin"].map(names),
                        "year": long["Year"].astype(float), "sex": 0, "value": value})
    frame, counts = base.bilateral(raw, path.name)
    counts["missing_value"] += int(missing.sum())
    return frame, counts


def workbook_sheet(base: Baseline, path: Path, sheet: str, indicator: str,
                   factor: float) -> pd.DataFrame:
    """One destination table of the 2019/2020 totals workbooks, in long form."""
    grid = pd.read_excel(path, sheet_name=sheet, header=None, engine="openpyxl")
    labels = ("Location code", "Country code", "Code")
    at, code_col = next((i, j) for i, row in enumerate(grid.head(40).itertuples(index=False))
                        for j, c in enumerate(row) if str(c).strip() in labels)
    header = grid.iloc[at].tolist()
    years = [(j, int(float(h))) for j, h in enumerate(header) if _is_year(h)]
    if not years:  # the 2019 layout puts the years on a second header row
        at += 1
        years = [(j, int(float(h))) for j, h in enumerate(grid.iloc[at].tolist()) if _is_year(h)]
    n_years = len({y for _, y in years})
    blocks = len(years) // n_years
    body = grid.iloc[at + 1:]
    body = body[pd.to_numeric(body[code_col], errors="coerce").notna()]
    frames = []
    for k, (j, year) in enumerate(years):
        if blocks != 3 and k >= n_years:  # Table 6: the second block is a percentage
            break
        value = pd.to_numeric(body[j], errors="coerce")
        kept = value.notna()
        index = body.index[kept]
        sex = k // n_years if blocks == 3 else 0
        frames.append(base.indicator(body[code_col][kept].astype(int), pd.Series(year, index=index),
                                     indicator, pd.Series(sex, index=index), value[kept] * factor,
                                     f"{path.name} {sheet}"))
    return pd.concat(frames, ignore_index=True)


def _is_year(cell: object) -> bool:
    text = str(cell).replace(".0", "")
    return text.isdigit() and 1950 <= int(text) <= 2100
