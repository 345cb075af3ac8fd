"""Governance knowledge base and dated rights engine.

The knowledge base is YAML under ``rules/`` (one file per organisation or
instrument, every item dated and cited, see :mod:`steppe.governance.models`).
The engine answers for a day and says ``unknown`` where the sources cannot.

>>> rights("KGZ", "KAZ", on="2016-01-01").entitlements["work_permit_required"].value
False
"""

from __future__ import annotations

import datetime as dt

from steppe.governance.answers import Answer
from steppe.governance.engine import UNKNOWN, Engine
from steppe.governance.errors import KnowledgeBaseError, Problem
from steppe.governance.events import Event
from steppe.governance.loader import KnowledgeBase, load
from steppe.governance.models import ENTITLEMENTS
from steppe.governance.queries import (
    Rights,
    agreements_between,
    check_day,
    default_engine,
    entitlement,
    legal_max_stay_days,
    membership_intervals,
    memberships,
    memberships_json,
    rights,
    visa_free,
)
from steppe.governance.snapshot import entitlement_matrix, visa_free_matrix

__all__ = [
    "ENTITLEMENTS",
    "UNKNOWN",
    "Answer",
    "Engine",
    "Event",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Problem",
    "Rights",
    "agreements_between",
    "changes_between",
    "check_day",
    "default_engine",
    "entitlement",
    "entitlement_matrix",
    "legal_max_stay_days",
    "load",
    "membership_intervals",
    "memberships",
    "memberships_json",
    "rights",
    "timeline",
    "visa_free",
    "visa_free_matrix",
]


def timeline(country: str, *, engine: Engine | None = None) -> list[Event]:
    """Every dated change for ``country`` (memberships, agreements, national rules)."""
    from steppe.governance import events as tl
    from steppe.governance.queries import country_code

    return tl.timeline(engine or default_engine(), country_code(country))


def changes_between(d1: str | dt.date, d2: str | dt.date, *,
                    engine: Engine | None = None) -> list[Event]:
    """Every change of any country from ``d1`` to ``d2`` inclusive."""
    from steppe.governance import events as tl

    eng = engine or default_engine()
    first, last = check_day(d1, eng), check_day(d2, eng)
    if last < first:
        from steppe.errors import InvalidOptionError

        raise InvalidOptionError("d2", last.isoformat(), f"a date on or after d1={first}")
    return tl.changes_between(eng, first, last)
