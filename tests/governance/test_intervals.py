"""Properties of answers over time (hypothesis): the interval reported is exact."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from steppe.governance import ENTITLEMENTS, Engine, default_engine
from steppe.governance.answers import answer
from steppe.governance.engine import and3
from steppe.governance.matrix import MATRIX_COUNTRIES
from steppe.governance.periods import ONE_DAY, Span

ENGINE: Engine = default_engine()
DAYS = st.dates(min_value=dt.date(1991, 1, 1), max_value=ENGINE.kb.reviewed)
COUNTRIES = st.sampled_from(MATRIX_COUNTRIES + ("FRA", "UKR", "GEO", "MDA"))


def _key(e: str, c: str, h: str, d: dt.date) -> tuple:
    value, rules = ENGINE.decide(e, c, h, d)
    return (type(value).__name__, value, tuple(sorted(r.id for r in rules)))


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(ENTITLEMENTS), COUNTRIES, COUNTRIES, DAYS)
def test_answer_holds_over_its_interval_and_changes_at_its_ends(e: str, c: str, h: str, d: dt.date) -> None:
    a = answer(ENGINE, e, c, h, d)
    key = _key(e, c, h, d)
    assert a.start is None or a.start <= d
    assert a.end is None or d <= a.end
    if a.start is not None:
        assert _key(e, c, h, a.start) == key
        assert _key(e, c, h, a.start - ONE_DAY) != key
    if a.end is not None:
        assert _key(e, c, h, a.end) == key
        assert _key(e, c, h, a.end + ONE_DAY) != key


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(ENTITLEMENTS), COUNTRIES, COUNTRIES, DAYS, st.integers(0, 400))
def test_constant_between_edges(e: str, c: str, h: str, d: dt.date, step: int) -> None:
    edges = ENGINE.edges(e, c, h)
    later = min(d + dt.timedelta(days=step), ENGINE.kb.reviewed)
    if not any(d < x <= later for x in edges):
        assert _key(e, c, h, d) == _key(e, c, h, later)


@given(st.lists(st.sampled_from([True, False, None]), max_size=6))
def test_and3_is_kleene_conjunction(values: list[bool | None]) -> None:
    result = and3(values)
    if False in values:
        assert result is False
    elif None in values:
        assert result is None
    else:
        assert result is True


@given(DAYS, st.integers(1, 3000), st.integers(0, 100))
def test_span_holds_exactly_inside(start: dt.date, length: int, offset: int) -> None:
    span = Span(start, start + dt.timedelta(days=length))
    assert span.holds(start) is True
    assert span.holds(start - ONE_DAY) is False
    assert span.holds(start + dt.timedelta(days=length)) is False
    inside = start + dt.timedelta(days=min(offset, length - 1))
    assert span.holds(inside) is True


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(ENTITLEMENTS + ("visa_free_entry",)), DAYS)
def test_vectorised_matrix_equals_decide(e: str, day: dt.date) -> None:
    from steppe.governance.snapshot import entitlement_matrix

    codes = list(MATRIX_COUNTRIES) + ["FRA", "UKR", "GEO", "MDA", "CUB"]
    grid = entitlement_matrix(ENGINE, e, day, codes, codes)
    for i, host in enumerate(codes):
        for j, cit in enumerate(codes):
            expected = ENGINE.decide(e, cit, host, day)[0]
            assert (type(grid[i, j]), grid[i, j]) == (type(expected), expected), (host, cit)


def test_visa_free_matrix_matches_scalar() -> None:
    from steppe.governance.queries import fast_visa_free
    from steppe.governance.snapshot import visa_free_matrix

    codes = list(MATRIX_COUNTRIES)
    day = dt.date(2016, 1, 1)
    grid = visa_free_matrix(ENGINE, day, codes, codes)
    for i, host in enumerate(codes):
        for j, cit in enumerate(codes):
            assert grid[i, j] == fast_visa_free(ENGINE, cit, host, day)


@settings(max_examples=60, deadline=None)
@given(COUNTRIES, COUNTRIES, DAYS)
def test_rights_json_shape_is_stable(c: str, h: str, day: dt.date) -> None:
    from steppe.governance import rights

    data = rights(c, h, day, engine=ENGINE).to_json(ENGINE)
    assert list(data) == ["citizenship", "host", "on", "entitlements"]
    assert tuple(data["entitlements"]) == ENTITLEMENTS
    for entry in data["entitlements"].values():
        assert list(entry) == ["value", "basis", "from", "to"]
        value = entry["value"]
        assert isinstance(value, bool | int) or value in ("contract_term", "unknown")
        assert not isinstance(value, int) or isinstance(value, bool) or value >= 0
        assert all(set(b) == {"document", "article", "url"} for b in entry["basis"])
        assert (value == "unknown") == (not entry["basis"])
