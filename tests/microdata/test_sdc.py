"""Disclosure control: an adversary with every published number recovers no withheld cell."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steppe.microdata.audit import audit
from steppe.microdata.sdc import Structure, bridges, primary, protect


def two_way(n_rows: int, n_cols: int, per: int) -> Structure:
    row = np.repeat(np.arange(n_rows), n_cols * per)
    col = np.tile(np.repeat(np.arange(n_cols), per), n_rows)
    return Structure(row, col, n_rows, n_cols)


def test_margins_are_consistent() -> None:
    s = two_way(3, 4, 2)
    cells = np.arange(24, dtype=float).reshape(24, 1)
    values = s.expand(cells)
    assert values[-1, 0] == cells.sum()
    assert np.abs(s.incidence() @ values).max() == 0


def test_primary_only_is_broken_by_the_adversary() -> None:
    """A lone small cell in a 2x2 table is recovered from its margins: the check works."""
    s = two_way(2, 2, 1)
    cells = np.array([[3.0], [40.0], [50.0], [60.0]])
    values = s.expand(cells)
    first = primary(values, 10)
    assert first.tolist()[:4] == [True, False, False, False]
    result = audit(s, values, first)
    assert result.recovered == [(0, 0)]
    assert result.lower[0] == pytest.approx(3) and result.upper[0] == pytest.approx(3)


def test_textbook_pattern() -> None:
    s = two_way(2, 2, 1)
    cells = np.array([[3.0], [40.0], [50.0], [60.0]])
    p = protect(s, cells, k=10)
    assert p.suppressed[:4].all()  # all four interior cells: the only safe pattern here
    assert not p.suppressed[4:].any()  # margins stay published
    result = audit(s, s.expand(cells), p.suppressed)
    assert result.recovered == []
    assert result.upper[0] - result.lower[0] >= 40  # 3 hides in [0, 43]


def test_linked_series_differencing_fails() -> None:
    """Stock(m) = stock(m-1) + inflow(m) - outflow(m) links two published tables.

    Withholding only the small values, even with a margin-safe pattern in each month,
    lets the adversary difference the stock table against the flow tables; steppe's
    pattern (a cell's whole series) leaves every withheld value undetermined.
    """
    s = two_way(2, 2, 1)
    inflow = np.array([[50.0, 3.0], [60.0, 45.0], [55.0, 40.0], [70.0, 52.0]])
    outflow = np.array([[20.0, 30.0], [25.0, 35.0], [22.0, 33.0], [28.0, 30.0]])
    stock = np.array([[100.0], [90.0], [80.0], [120.0]]) + np.cumsum(inflow - outflow, axis=1)
    cells = np.hstack([inflow, outflow, stock])  # series: in0, in1, out0, out1, st0, st1
    links = [{5: 1.0, 4: -1.0, 1: -1.0, 3: 1.0}]
    values = s.expand(cells)
    # naive: inflow of month 1 withheld in all four cells (margins cannot solve them)
    naive = np.zeros(values.shape, dtype=bool)
    naive[:4, 1] = True
    assert audit(s, values, naive).recovered == []  # safe table by table...
    leaked = audit(s, values, naive, links).recovered
    assert (0, 1) in leaked  # ...but the small inflow 3 follows from stocks and outflows
    p = protect(s, cells, k=10)
    result = audit(s, values, p.suppressed, links)
    assert p.suppressed[0] and result.recovered == []
    assert (result.upper - result.lower).min() >= 1


@st.composite
def tables(draw: st.DrawFn) -> tuple[Structure, np.ndarray]:
    n_rows, n_cols = draw(st.integers(2, 5)), draw(st.integers(2, 4))
    per = draw(st.integers(1, 2))
    n_series = draw(st.integers(1, 3))
    s = two_way(n_rows, n_cols, per)
    scale = draw(st.lists(st.sampled_from([0, 2, 6, 30, 200]), min_size=s.n_cells, max_size=s.n_cells))
    seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    cells = rng.poisson(np.repeat(np.array(scale, float)[:, None], n_series, axis=1))
    return s, cells.astype(float)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from([3, 5, 10]))
def test_no_suppressed_cell_is_recoverable(table: tuple[Structure, np.ndarray], k: int) -> None:
    s, cells = table
    p = protect(s, cells, k)
    values = s.expand(cells)
    assert (p.suppressed | ~p.primary).all()  # primaries are always withheld
    u, v = s.ends()
    assert bridges(u, v, p.suppressed, s.n_nodes) == []
    result = audit(s, values, p.suppressed)
    assert result.recovered == []
    published = values[~p.suppressed]
    assert not ((published > 0) & (published < k)).any()  # nothing below k is shown


def test_bad_k() -> None:
    with pytest.raises(ValueError, match="positive"):
        protect(two_way(2, 2, 1), np.ones((4, 1)), k=0)


@settings(max_examples=40, deadline=None)
@given(tables(), st.sampled_from([3, 5, 10]))
def test_controlled_rounding_keeps_tables_additive(table: tuple[Structure, np.ndarray], base: int) -> None:
    from steppe.microdata.rounding import controlled_round

    s, cells = table
    values = s.expand(cells)
    rounded = controlled_round(s, values, base)
    assert (rounded % base == 0).all()
    assert (np.abs(rounded - values) < base).all()
    assert np.abs(s.incidence() @ rounded).max() == 0  # cells add up to the rounded margins
    exact = values % base == 0
    assert (rounded[exact] == values[exact]).all()
