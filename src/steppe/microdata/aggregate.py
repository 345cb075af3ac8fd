"""One call from a folder of records to protected tables (used by the CLI and the API)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from steppe.microdata import backends, pipeline
from steppe.microdata.limits import resolve_max_stay
from steppe.microdata.publish import protect_results


@dataclass(frozen=True)
class Aggregation:
    """Protected tables plus what produced them."""

    tables: dict[str, pd.DataFrame]
    """protected tables, safe to publish"""
    unprotected: dict[str, pd.DataFrame]
    """raw aggregates: restricted (analyst role only)"""
    records: int
    cells: int
    suppressed: int
    """withheld cells and margins (each withheld in every series)"""
    limits_source: str


def _span(con: Any, t: Any) -> tuple[date, date, int, list[Any]]:
    stats = t.aggregate(
        first=t.registration_date.min(), last=t.registration_date.max(),
        last_out=t.deregistration_date.max(), n=t.count(),
    )
    row = con.to_pyarrow(stats).to_pylist()[0]
    origins = con.to_pyarrow(t.select("citizenship").distinct()).column(0).to_pylist()
    last = max(d for d in (row["last"], row["last_out"]) if d is not None)
    return row["first"], last, int(row["n"]), sorted(origins)


def unprotected(
    root: Path | str, backend: str = "duckdb", *, host: str = "KAZ", as_of: date | None = None,
    con: Any = None, max_stay: pipeline.MaxStay | None = None,
) -> tuple[dict[str, pd.DataFrame], int, str]:
    """Run the pipeline on the records under ``root``; returns tables, record count and
    where the stay limits came from. ``as_of`` defaults to the last date in the data."""
    con = con if con is not None else backends.connect(backend)
    t = backends.read_registrations(con, root)
    codes = backends.read_codes(root)
    first, last, n, origins = _span(con, t)
    end = as_of or last
    window = pipeline.Window.from_dates(first, end)
    if max_stay is None:
        max_stay, source = resolve_max_stay()
    else:
        source = getattr(max_stay, "__qualname__", "caller-supplied")
    lim_first = first.year * 12 + first.month - 1
    limits = pipeline.limits_table(origins, host, window, max_stay, first=lim_first, codes=codes)
    events = backends.materialize(con, pipeline.flow_events(t, codes))
    return pipeline.run(pipeline.build(t, window, limits, events, codes), con), n, source


def aggregate(
    root: Path | str, backend: str = "duckdb", *, k: int = 10, host: str = "KAZ",
    as_of: date | None = None, con: Any = None, max_stay: pipeline.MaxStay | None = None,
    round_base: int = 0,
) -> Aggregation:
    """Pipeline then disclosure control: see :mod:`steppe.microdata.publish`."""
    raw, n, source = unprotected(root, backend, host=host, as_of=as_of, con=con, max_stay=max_stay)
    tables, lay, prot = protect_results(raw, k, round_base)
    return Aggregation(tables, raw, n, lay.structure.n_cells, int(prot.suppressed.sum()), source)
