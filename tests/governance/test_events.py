"""timeline and changes_between."""

from __future__ import annotations

import datetime as dt

from steppe.governance import Engine, changes_between, timeline


def test_timeline_uzb(engine: Engine) -> None:
    events = timeline("UZB", engine=engine)
    days = [e.day for e in events]
    assert days == sorted(days)
    iom = [e for e in events if e.subject == "IOM"]
    assert iom and iom[0].day == dt.date(2018, 11, 27) and iom[0].after == "member"
    assert all(e.cite for e in events)


def test_changes_between_2015(engine: Engine) -> None:
    events = changes_between("2015-01-01", "2015-12-31", engine=engine)
    keys = {(e.day, e.country, e.subject, e.after) for e in events}
    assert (dt.date(2015, 8, 12), "KGZ", "EEU", "member") in keys
    assert (dt.date(2015, 1, 2), "ARM", "EEU", "member") in keys
    assert all(dt.date(2015, 1, 1) <= e.day <= dt.date(2015, 12, 31) for e in events)
