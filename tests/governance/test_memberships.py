"""Every membership change: the day before and the day of."""

from __future__ import annotations

import datetime as dt

import pytest

from steppe.governance import Engine, membership_intervals, memberships_json
from steppe.governance.periods import EARLIEST, ONE_DAY

from .conftest import load_cases

BOUNDARIES = load_cases("membership_boundaries.yaml")


@pytest.mark.parametrize("row", BOUNDARIES, ids=[f"{r[0]}-{r[1]}-{r[2]}" for r in BOUNDARIES])
def test_day_before_and_day_of(row: list, engine: Engine) -> None:
    org, country, day, before, after = row
    assert engine.status(org, country, day - ONE_DAY) == before
    assert engine.status(org, country, day) == after


def test_every_change_in_the_knowledge_base_is_tested(engine: Engine) -> None:
    tested = {(r[0], r[1], r[2]) for r in BOUNDARIES}
    missing = []
    for m in engine.kb.memberships:
        if m.grade == "unverified":
            continue
        for day in (m.start, m.sure_from, m.ends, m.sure_until):
            in_range = day is not None and EARLIEST <= day <= engine.kb.reviewed
            if in_range and (m.org, m.country, day) not in tested:
                missing.append(f"{m.org} {m.country} {day}")
    assert not missing, "membership changes without a boundary case: " + ", ".join(missing)


def test_memberships_json_shape(engine: Engine) -> None:
    data = memberships_json("KAZ", "2010-01-01", engine=engine)
    assert data["country"] == "KAZ" and data["on"] == "2010-01-01"
    assert data["memberships"]["CIS"] == "founding_member"
    assert data["memberships"]["EEU"] == "none"


def test_membership_intervals_for_panels(engine: Engine) -> None:
    rows = membership_intervals("EEU", engine=engine)
    assert ("KGZ", "member", dt.date(2015, 8, 12), None) in rows
    assert ("MDA", "observer", dt.date(2018, 5, 14), dt.date(2021, 1, 1)) in rows
    geo = [r for r in membership_intervals("CIS", engine=engine) if r[0] == "GEO" and r[1] == "member"]
    assert geo == [("GEO", "member", dt.date(1994, 1, 1), dt.date(2009, 8, 18))]
