"""Every dated change: memberships, agreement steps and national rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from steppe.governance.engine import Engine
from steppe.governance.models import Citation
from steppe.governance.periods import ONE_DAY


@dataclass(frozen=True)
class Event:
    """One change on one day.

    ``uncertain_until`` is set when the sources only place the change somewhere in
    ``[day, uncertain_until)``; ``reliable`` is False for rows graded unverified.
    """

    day: dt.date
    country: str | None
    kind: str  # 'membership' | 'agreement' | 'rule'
    subject: str
    before: str
    after: str
    cite: tuple[Citation, ...]
    uncertain_until: dt.date | None = None
    reliable: bool = True

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {
            "date": self.day.isoformat(), "country": self.country, "kind": self.kind,
            "subject": self.subject, "before": self.before, "after": self.after,
            "uncertain_until": self.uncertain_until.isoformat() if self.uncertain_until else None,
            "reliable": self.reliable,
            "cite": [c.model_dump(mode="json", exclude_none=True) for c in self.cite],
        }


def _membership_events(engine: Engine, country: str | None) -> list[Event]:
    events = []
    for m in engine.kb.memberships:
        if country is not None and m.country != country:
            continue
        reliable = m.grade != "unverified"
        before = engine.status(m.org, m.country, m.start - ONE_DAY)
        events.append(Event(m.start, m.country, "membership", m.org, before, m.status, m.cite,
                            m.sure_from, reliable))
        if m.ends is not None and not any(
            o.org == m.org and o.country == m.country and o.start == m.ends
            for o in engine.kb.memberships
        ):
            events.append(Event(m.ends, m.country, "membership", m.org, m.status,
                                engine.status(m.org, m.country, m.ends), m.cite, None, reliable))
    return events


def _agreement_events(engine: Engine, country: str | None) -> list[Event]:
    events = []
    for a in engine.agreements.values():
        if country is None and a.in_force is not None:
            events.append(Event(a.in_force, None, "agreement", a.id, "not in force", "in force",
                                a.cite, None, a.grade != "unverified"))
        for p in a.parties:
            if country is not None and p.country != country:
                continue
            steps = [("signed", p.signed), ("consented", p.consent), ("in_force", p.in_force),
                     ("withdrawn", p.left)]
            previous = "none"
            for name, day in steps:
                if day is None:
                    continue
                until = p.sure_from if name == "in_force" else None
                events.append(Event(day, p.country, "agreement", a.id, previous, name, p.cite,
                                    until, p.grade != "unverified"))
                previous = name
    return events


def _rule_events(engine: Engine, country: str | None) -> list[Event]:
    events = []
    for r in engine.kb.rules:
        hosts = r.host or ()
        if country is not None and country not in hosts:
            continue
        for host in hosts if country is None else (country,):
            label = f"{r.entitlement} = {r.value} ({r.id})"
            reliable = r.grade != "unverified"
            events.append(Event(r.start, host, "rule", r.id, "-", label, r.cite, r.sure_from,
                                reliable))
            if r.ends is not None:
                events.append(Event(r.ends, host, "rule", r.id, label, "-", r.cite, None, reliable))
    return events


def timeline(engine: Engine, country: str) -> list[Event]:
    """Every dated change for one country, oldest first."""
    events = (_membership_events(engine, country) + _agreement_events(engine, country)
              + _rule_events(engine, country))
    return sorted(events, key=lambda e: (e.day, e.kind, e.subject))


def changes_between(engine: Engine, first: dt.date, last: dt.date) -> list[Event]:
    """Every change of any country with ``first <= day <= last``, oldest first."""
    events = (_membership_events(engine, None) + _agreement_events(engine, None)
              + _rule_events(engine, None))
    return sorted((e for e in events if first <= e.day <= last),
                  key=lambda e: (e.day, e.kind, e.subject, e.country or ""))
