"""The public questions: rights, memberships, agreements, visa-free entry, stay limits.

Inputs are checked once here: a country is any code or name :mod:`steppe.areas`
resolves; a day must lie in ``[1991-01-01, last review date of the knowledge base]``.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from steppe.areas import resolve
from steppe.errors import InvalidOptionError, UnknownAreaError
from steppe.governance import loader
from steppe.governance.answers import Answer, answer, answer_json
from steppe.governance.engine import UNKNOWN, Engine
from steppe.governance.models import ENTITLEMENTS
from steppe.governance.periods import EARLIEST, parse_day


@functools.cache
def default_engine(directory: Path | None = None) -> Engine:
    """The engine over the bundled knowledge base (loaded and validated once)."""
    return Engine(loader.load(directory))


def country_code(text: str) -> str:
    """ISO3 code of a country given by code or name; :class:`UnknownAreaError` otherwise."""
    area = resolve(text)
    if area.kind != "country":
        raise UnknownAreaError([str(text)], context="countries (aggregates have no rights)")
    return area.area_id


def check_day(day: str | dt.date, engine: Engine) -> dt.date:
    """A day inside the knowledge base's range, or :class:`InvalidOptionError`."""
    try:
        parsed = parse_day(day)
    except ValueError:
        raise InvalidOptionError("on", day, "a date written YYYY-MM-DD, e.g. 2016-01-01") from None
    last = engine.kb.reviewed
    if not EARLIEST <= parsed <= last:
        raise InvalidOptionError(
            "on", parsed.isoformat(),
            f"a date from {EARLIEST} to {last} (the knowledge base was last reviewed on {last}; "
            "later dates need a review of the rules files first)")
    return parsed


@dataclass(frozen=True)
class Rights:
    """Every entitlement of a citizen of ``citizenship`` in ``host`` on ``on``."""

    citizenship: str
    host: str
    on: dt.date
    entitlements: dict[str, Answer]

    def to_json(self, engine: Engine | None = None) -> dict[str, Any]:
        """The stable JSON shape (see docs/governance.md)."""
        eng = engine or default_engine()
        return {
            "citizenship": self.citizenship,
            "host": self.host,
            "on": self.on.isoformat(),
            "entitlements": {k: answer_json(eng, a) for k, a in self.entitlements.items()},
        }


def rights(citizenship: str, host: str, on: str | dt.date, *, engine: Engine | None = None) -> Rights:
    """Every known entitlement of a ``citizenship`` national in ``host`` on day ``on``."""
    eng = engine or default_engine()
    cit, hst, day = country_code(citizenship), country_code(host), check_day(on, eng)
    return Rights(cit, hst, day, {e: answer(eng, e, cit, hst, day) for e in ENTITLEMENTS})


def entitlement(name: str, citizenship: str, host: str, on: str | dt.date,
                *, engine: Engine | None = None) -> Answer:
    """One entitlement (faster than :func:`rights` when only one is needed)."""
    eng = engine or default_engine()
    if name not in ENTITLEMENTS and name != "visa_free_entry":
        raise InvalidOptionError("entitlement", name, ENTITLEMENTS)
    cit, hst, day = country_code(citizenship), country_code(host), check_day(on, eng)
    return answer(eng, name, cit, hst, day)


def memberships(country: str, on: str | dt.date, *, engine: Engine | None = None) -> dict[str, str]:
    """Status of ``country`` in every organisation with a membership roster on ``on``."""
    eng = engine or default_engine()
    code, day = country_code(country), check_day(on, eng)
    orgs = sorted({m.org for m in eng.kb.memberships})
    return {org: eng.status(org, code, day) for org in orgs}


def memberships_json(country: str, on: str | dt.date, *, engine: Engine | None = None) -> dict[str, Any]:
    """``{"country", "on", "memberships"}``, the stable JSON shape."""
    eng = engine or default_engine()
    code, day = country_code(country), check_day(on, eng)
    return {"country": code, "on": day.isoformat(), "memberships": memberships(code, day, engine=eng)}


def agreements_between(a: str, b: str, on: str | dt.date, *,
                       engine: Engine | None = None) -> list[dict[str, Any]]:
    """Agreements to which both countries are at least signatories on ``on``."""
    eng = engine or default_engine()
    ca, cb, day = country_code(a), country_code(b), check_day(on, eng)
    out = []
    for ag in sorted(eng.agreements.values(), key=lambda x: (x.signed or EARLIEST, x.id)):
        sa, sb = eng.party_status(ag.id, ca, day), eng.party_status(ag.id, cb, day)
        if sa in ("none", UNKNOWN, "withdrawn") or sb in ("none", UNKNOWN, "withdrawn"):
            continue
        out.append({"agreement": ag.id, "title": ag.title, "signed": ag.signed,
                    "in_force_for_both": sa == sb == "in_force", ca: sa, cb: sb})
    return out


def visa_free(citizenship: str, host: str, on: str | dt.date, *,
              engine: Engine | None = None) -> bool | None:
    """Whether ``citizenship`` nationals enter ``host`` without a visa; None if unknown."""
    eng = engine or default_engine()
    cit, hst, day = country_code(citizenship), country_code(host), check_day(on, eng)
    return fast_visa_free(eng, cit, hst, day)


def fast_visa_free(eng: Engine, cit: str, host: str, day: dt.date) -> bool | None:
    """:func:`visa_free` on checked ISO3 codes and day (for panels of many pairs)."""
    value, _ = eng.decide("visa_free_entry", cit, host, day)
    if value != UNKNOWN:
        return bool(value)
    stay, _ = eng.decide("max_stay_days_visa_free", cit, host, day)
    if stay == UNKNOWN:
        return None
    return stay == "contract_term" or (isinstance(stay, int) and stay > 0)


def legal_max_stay_days(citizenship: str, host: str, on: str | dt.date, *,
                        engine: Engine | None = None) -> int | None:
    """Longest lawful visa-free stay per entry in days, for overstay detection.

    Returns None when the law sets no fixed visa-free limit that the knowledge base
    can cite: the answer is unknown, a visa is needed (the visa sets the term), or
    the stay follows an EEU employment contract (Treaty Art. 97(5)).
    """
    eng = engine or default_engine()
    cit, hst, day = country_code(citizenship), country_code(host), check_day(on, eng)
    value, _ = eng.decide("max_stay_days_visa_free", cit, hst, day)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def membership_intervals(org: str, *, engine: Engine | None = None
                         ) -> list[tuple[str, str, dt.date, dt.date | None]]:
    """``(country, status, start, end)`` of every verified interval; ``end`` exclusive.

    Uncertain parts are cut off: a start known only to the month begins at
    ``sure_from``; an interval not verified after ``sure_until`` ends there.
    Intervals graded ``unverified`` are left out. Use it to build panel variables.
    """
    eng = engine or default_engine()
    if org not in eng.orgs:
        raise InvalidOptionError("org", org, sorted(eng.orgs))
    out = []
    for (o, country), spans in sorted(eng.member.items()):
        if o != org:
            continue
        for span, status in spans:
            if not span.reliable:
                continue
            start = span.sure_from or span.start
            ends = span.ends
            if span.sure_until is not None and (ends is None or span.sure_until < ends):
                ends = span.sure_until
            out.append((country, status, start, ends))
    return out
