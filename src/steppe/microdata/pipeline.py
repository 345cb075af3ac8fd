"""The aggregation pipeline, written once in Ibis and run on DuckDB or Spark.

Every function here builds an Ibis expression from a registrations table; nothing
touches a backend until :func:`run` executes the expressions. Months are counted as
``year * 12 + month - 1`` so that windows and joins stay integer-valued everywhere.

Tables
------
``flows``     citizenship x region x sex x age_group x (year, month): ``inflow``
              (registrations in the month), ``outflow`` (deregistrations in the month)
              and ``stock_end`` (registered at the end of the month).
``stays``     the same cells x year of departure: completed stays (``departures``), total
              ``stay_days``, counts by length (``d_lt_90``, ``d_90_179``, ``d_180_364``,
              ``d_365_plus``) and ``overstays``: stays longer than the legal maximum for
              that citizenship and host on the first day of the registration month.
``open_overstays`` the cells: persons still registered at ``as_of`` beyond that maximum.

Coded files (:mod:`steppe.microdata.codes`): the cell columns are small integers, all
grouping, joining and windowing runs on them, and only the small results are decoded
(``codes``); text files give the same tables, just more slowly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from steppe.microdata.codes import CELL_COLUMN, CodeTable
from steppe.microdata.schema import REGISTRATIONS

CELL: tuple[str, ...] = ("citizenship", "region", "sex", "age_group")
NO_LIMIT = 10**7  # days; stands for "no legal maximum"
MaxStay = Callable[[str, str, date], int | None]


@dataclass(frozen=True)
class Window:
    """The months covered by a run, as month indices ``year * 12 + month - 1``."""

    start: int
    end: int
    as_of: date

    @classmethod
    def from_dates(cls, start: date, as_of: date) -> Window:
        """Window from the month of ``start`` to the month of ``as_of``."""
        return cls(start.year * 12 + start.month - 1, as_of.year * 12 + as_of.month - 1, as_of)

    def months(self) -> list[int]:
        """Every month index in the window."""
        return list(range(self.start, self.end + 1))


_EPOCH = date(1970, 1, 1)


def _month(d: ir.DateValue) -> ir.IntegerValue:
    # months since January 1970 (a month-boundary count: DuckDB date_diff, Spark
    # timestampdiff) is several times cheaper per row than extracting year and month
    return d.delta(ibis.literal(_EPOCH), unit="month").cast("int64") + 1970 * 12


PARTITION = ("reg_year", "reg_month")


def registrations(t: ir.Table) -> ir.Table:
    """Schema columns plus integer month indices ``reg_m`` and ``dereg_m``.

    When the files are hive-partitioned by month of registration (the layout ``synth``
    writes: ``reg_year=Y/reg_month=M``), ``reg_m`` is read from the partition columns,
    which are constant per file and much cheaper than date arithmetic on every row.
    """
    if all(c in t.columns for c in PARTITION):
        reg_m = t.reg_year.cast("int64") * 12 + t.reg_month.cast("int64") - 1
    else:
        reg_m = _month(t.registration_date)
    extra = [CELL_COLUMN] if CELL_COLUMN in t.columns else []
    return t.select(
        *REGISTRATIONS.names, *extra, reg_m=reg_m, dereg_m=_month(t.deregistration_date)
    )


def _calendar(expr: ir.Table, m: str = "m") -> ir.Table:
    year = (expr[m] // 12).cast("int64")
    return expr.mutate(year=year, month=(expr[m] - year * 12 + 1).cast("int64"))


def flow_events(t: ir.Table, codes: CodeTable | None = None) -> ir.Table:
    """Registrations (``kind = 'in'``) by cell and month of registration and
    deregistrations (``'out'``) by cell and month of deregistration: two scans without
    filters (cheaper than filtered ones), giving one small table.

    When the files carry the packed ``cell`` code (``codes.cell``), the records are
    grouped by that one integer and the small result is unpacked."""
    r = registrations(t)
    packed = codes is not None and tuple(codes.cell) == CELL and CELL_COLUMN in r.columns
    cells = [CELL_COLUMN] if packed else list(CELL)
    inflow = r.group_by([*cells, r.reg_m.name("m")]).agg(n=lambda x: x.count())
    left = r.filter(r.deregistration_date.notnull())
    outflow = left.group_by([*cells, left.dereg_m.name("m")]).agg(n=lambda x: x.count())
    parts = [
        x.select(*cells, m=x.m.cast("int64"), n=x.n.cast("int64"), kind=ibis.literal(k))
        for x, k in ((inflow, "in"), (outflow, "out"))
    ]
    events = ibis.union(*parts, distinct=False)
    return codes.unpack(events) if packed else events  # type: ignore[union-attr]


def _finish(expr: ir.Table, keys: list[str], codes: CodeTable | None) -> ir.Table:
    """Decode the cell columns of a small result (if coded), then order it."""
    if codes is not None:
        expr = codes.decode(expr)
    return expr.order_by(keys)


def flows(
    t: ir.Table, window: Window, *, events: ir.Table | None = None, codes: CodeTable | None = None
) -> ir.Table:
    """Monthly inflows, outflows and end-of-month stocks by cell (dense panel).

    The records are scanned once per kind of event (:func:`flow_events`). Pass that
    small table materialised on the backend as ``events``
    (:func:`steppe.microdata.backends.materialize`); otherwise backends that inline it
    scan the records once more for each of its three uses.
    """
    cells = list(CELL)
    ev = events if events is not None else flow_events(t, codes)
    inside = ev.filter(ev.m.between(window.start, window.end))
    by = inside.group_by([*cells, "m"]).agg(
        inflow=(inside.kind == "in").ifelse(inside.n, 0).sum().cast("int64"),
        outflow=(inside.kind == "out").ifelse(inside.n, 0).sum().cast("int64"),
    )
    # stock when the window opens: registered before it minus deregistered before it
    before = ev.filter(ev.m < window.start)
    base = before.group_by(cells).agg(
        stock_start=(before.kind == "in").ifelse(before.n, -before.n).sum().cast("int64")
    )
    grid = inside.select(*cells).union(base.select(*cells)).distinct()
    grid = grid.cross_join(ibis.memtable({"m": window.months()}))
    panel = grid.left_join(by, [*cells, "m"]).select(
        grid, inflow=by.inflow.fill_null(0), outflow=by.outflow.fill_null(0)
    )
    panel = panel.left_join(base, cells).select(panel, stock_start=base.stock_start.fill_null(0))
    w = ibis.window(group_by=cells, order_by="m", preceding=None, following=0)
    net = (panel.inflow - panel.outflow).sum().over(w)
    panel = panel.mutate(stock_end=(panel.stock_start + net).cast("int64"))
    out = _calendar(panel)
    out = out.select(*cells, "year", "month", "inflow", "outflow", "stock_end")
    return _finish(out, [*cells, "year", "month"], codes)


def limits_table(
    origins: list[str] | list[int], host: str, window: Window, max_stay: MaxStay,
    first: int | None = None, codes: CodeTable | None = None,
) -> ir.Table:
    """Legal maximum stay per citizenship and registration month, as a memtable.

    With ``codes`` the ``origins`` are citizenship codes and so is the table's key."""
    months = list(range(first if first is not None else window.start, window.end + 1))
    coded = codes is not None and "citizenship" in codes.columns
    label = (lambda o: codes.columns["citizenship"][int(o)]) if coded else str  # type: ignore[union-attr]
    rows = [
        (o, m, max_stay(label(o), host, date(m // 12, m % 12 + 1, 1)))
        for o in origins for m in months
    ]
    # "no limit" is stored as NO_LIMIT: Spark's memtable conversion loses nullable ints
    rows = [(o, m, NO_LIMIT if d is None else int(d)) for o, m, d in rows]
    cit, month, days = zip(*rows, strict=True) if rows else ((), (), ())
    table = pa.table(
        {
            "citizenship": pa.array(cit, pa.int64() if coded else pa.string()),
            "reg_m": pa.array(month, pa.int64()),
            "max_days": pa.array(days, pa.int64()),
        }
    )
    return ibis.memtable(table)


def _days(a: ir.DateValue, b: ir.DateValue) -> ir.IntegerValue:
    return a.delta(b, unit="day").cast("int64")


def stays(
    t: ir.Table, window: Window, limits: ir.Table, codes: CodeTable | None = None
) -> ir.Table:
    """Completed stays by cell and year of departure, with overstays."""
    r = registrations(t)
    done = r.filter(r.dereg_m.notnull() & r.dereg_m.between(window.start, window.end))
    done = done.left_join(limits, ["citizenship", "reg_m"]).select(done, max_days=limits.max_days)
    days = _days(done.deregistration_date, done.registration_date)
    done = done.mutate(days=days, dep_year=done.deregistration_date.year().cast("int64"))
    over = done.max_days.notnull() & (done.days > done.max_days)  # unknown citizenship: none

    def count(cond: ir.BooleanValue) -> ir.IntegerScalar:
        return cond.ifelse(1, 0).sum().cast("int64")

    out = done.group_by([*CELL, done.dep_year.name("year")]).agg(
        departures=done.count(),
        stay_days=done.days.sum().cast("int64"),
        d_lt_90=count(done.days < 90),
        d_90_179=count(done.days.between(90, 179)),
        d_180_364=count(done.days.between(180, 364)),
        d_365_plus=count(done.days >= 365),
        overstays=count(over),
    )
    return _finish(out, [*CELL, "year"], codes)


def open_overstays(
    t: ir.Table, window: Window, limits: ir.Table, codes: CodeTable | None = None
) -> ir.Table:
    """Persons registered at ``as_of`` for longer than the legal maximum, by cell."""
    r = registrations(t)
    as_of = ibis.literal(window.as_of)
    still = r.filter(
        (r.registration_date <= as_of)
        & (r.deregistration_date.isnull() | (r.deregistration_date > as_of))
    )
    still = still.inner_join(limits, ["citizenship", "reg_m"]).select(still, max_days=limits.max_days)
    still = still.filter(still.max_days.notnull() & (_days(as_of, still.registration_date) > still.max_days))
    out = still.group_by(list(CELL)).agg(overstaying=still.count())
    return _finish(out, list(CELL), codes)


def build(
    t: ir.Table, window: Window, limits: ir.Table, events: ir.Table | None = None,
    codes: CodeTable | None = None,
) -> dict[str, ir.Table]:
    """All pipeline tables as unexecuted Ibis expressions (``events``: see :func:`flows`;
    ``codes``: the code table of coded files, see :mod:`steppe.microdata.codes`)."""
    return {
        "flows": flows(t, window, events=events, codes=codes),
        "stays": stays(t, window, limits, codes),
        "open_overstays": open_overstays(t, window, limits, codes),
    }


def run(exprs: dict[str, ir.Table], con: ibis.BaseBackend) -> dict[str, pd.DataFrame]:
    """Execute the expressions on ``con`` and return pandas frames with plain dtypes."""
    out: dict[str, pd.DataFrame] = {}
    for name, expr in exprs.items():
        df = con.to_pyarrow(expr).to_pandas()
        for c in df.columns:
            if c not in CELL:
                df[c] = df[c].astype("int64")
            else:
                df[c] = df[c].astype(str)
        out[name] = df.reset_index(drop=True)
    return out
