"""A tiny warehouse with a simulated gravity panel (known EEU effect), built with SQL."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
from gravity.membership_cases import HAND_TABLE

from steppe.gravity.design import add_policy
from steppe.warehouse import Warehouse
from steppe.warehouse.loads import append_stock_rows

COUNTRIES = ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "UZB", "TKM", "DEU", "TUR", "USA", "UKR",
             "CHN", "AZE", "GEO", "MDA")
YEARS = (2000, 2005, 2010, 2015, 2020)
TRUE = {"ln_distance": -1.0, "contiguity": 0.5, "common_language_ethno": 0.8, "eeu": 0.6, "cis": 0.4}
REL = "un_desa_stock@2020#000000000000"


def build(path: Path, seed: int = 3) -> Warehouse:
    """Write the tiny warehouse at ``path`` and return it."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    lonlat = {c: (rng.uniform(20, 120), rng.uniform(30, 60)) for c in COUNTRIES}
    pairs = [(o, d) for o, d in itertools.permutations(COUNTRIES, 2)]
    dist = {p: 111 * np.hypot(*np.subtract(lonlat[p[0]], lonlat[p[1]])) + 50 for p in pairs}
    dist.update({(d, o): v for (o, d), v in dist.items()})
    contig = {p: float(dist[p] < 1500) for p in pairs}
    lang = {p: float(rng.random() < 0.4) for p in pairs}
    frame = pd.DataFrame([(o, d, y) for (o, d) in pairs for y in YEARS],
                         columns=["origin", "destination", "year"])
    frame = add_policy(frame, HAND_TABLE.is_member)
    frame["ln_distance"] = np.log([dist[(o, d)] for o, d in zip(frame.origin, frame.destination)])
    frame["contiguity"] = [contig[(o, d)] for o, d in zip(frame.origin, frame.destination)]
    frame["common_language_ethno"] = [lang[(o, d)] for o, d in zip(frame.origin, frame.destination)]
    fe_o = {(c, y): rng.normal() for c in COUNTRIES for y in YEARS}
    fe_d = {(c, y): rng.normal() for c in COUNTRIES for y in YEARS}
    eta = 14 + sum(frame[k] * v for k, v in TRUE.items())
    eta += [fe_o[(o, y)] + fe_d[(d, y)] for o, d, y in zip(frame.origin, frame.destination, frame.year)]
    frame["value"] = rng.poisson(np.exp(eta)).astype(float)
    absent = (frame.origin == "TKM") & (frame.destination == "USA")  # UN DESA omits empty pairs
    stock = frame[(frame.value > 0) & ~absent][["year", "origin", "destination", "value"]]
    wh = Warehouse(path)
    with wh.writer() as con:
        append_stock_rows(con, stock.assign(sex="total"), REL, "load-1")
        rows = [(o, d, None, ind, v, unit, "cepii_dist@2011#000000000000", "load-2")
                for (o, d) in pairs
                for ind, v, unit in (("distance_km", dist[(o, d)], "km"),
                                     ("contiguity", contig[(o, d)], "flag"),
                                     ("common_language_ethno", lang[(o, d)], "flag"))]
        con.executemany("INSERT INTO bilateral_indicator VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        gdp = [(c, y, "gdp_per_capita", "total", float(rng.uniform(1e3, 4e4)), "usd_2015", "wdi@1#0", "load-3")
               for c in COUNTRIES for y in YEARS]
        con.executemany("INSERT INTO area_indicator VALUES (?, ?, ?, ?, ?, ?, ?, ?)", gdp)
    return wh
