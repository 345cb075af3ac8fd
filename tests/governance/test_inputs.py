"""Bad input: unknown countries, dates outside the knowledge base's range."""

from __future__ import annotations

import pytest

from steppe.errors import InvalidOptionError, UnknownAreaError
from steppe.governance import Engine, changes_between, entitlement, memberships, rights, timeline


def test_unknown_country_is_named(engine: Engine) -> None:
    with pytest.raises(UnknownAreaError, match="'Atlantis'"):
        rights("Atlantis", "KAZ", "2016-01-01", engine=engine)


def test_aggregate_is_not_a_country(engine: Engine) -> None:
    with pytest.raises(UnknownAreaError, match="aggregates have no rights"):
        memberships("M49:900", "2016-01-01", engine=engine)


def test_names_in_russian_and_english_resolve(engine: Engine) -> None:
    by_name = rights("Киргизия", "Kazakhstan", "2016-01-01", engine=engine)
    assert (by_name.citizenship, by_name.host) == ("KGZ", "KAZ")


@pytest.mark.parametrize("day", ["1990-12-31", "2026-11-24", "2100-01-01"])
def test_date_outside_range(day: str, engine: Engine) -> None:
    with pytest.raises(InvalidOptionError, match="from 1991-01-01 to 2026-11-23"):
        rights("KGZ", "KAZ", day, engine=engine)


def test_first_and_last_day_are_accepted(engine: Engine) -> None:
    assert rights("KGZ", "KAZ", "1991-01-01", engine=engine).on.isoformat() == "1991-01-01"
    assert rights("KGZ", "KAZ", engine.kb.reviewed, engine=engine).on == engine.kb.reviewed


def test_malformed_date(engine: Engine) -> None:
    with pytest.raises(InvalidOptionError, match="YYYY-MM-DD"):
        memberships("KAZ", "01/01/2016", engine=engine)


def test_unknown_entitlement(engine: Engine) -> None:
    with pytest.raises(InvalidOptionError, match="work_permit_required"):
        entitlement("free_lunch", "KGZ", "KAZ", "2016-01-01", engine=engine)


def test_changes_between_order(engine: Engine) -> None:
    with pytest.raises(InvalidOptionError, match="on or after"):
        changes_between("2016-01-01", "2015-01-01", engine=engine)


def test_timeline_unknown_country(engine: Engine) -> None:
    with pytest.raises(UnknownAreaError):
        timeline("ZZZ", engine=engine)
