"""The dated rules engine: statuses, party status and entitlement decisions for a day.

Three-valued throughout: ``True``/``False`` where the cited sources settle it,
``None`` (reported as ``"unknown"``) where they do not. A rule graded
``unverified`` or a date inside an uncertainty window never decides; it makes the
answer ``unknown`` instead of letting a lower-priority rule guess.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from steppe.governance.checks import party_spans
from steppe.governance.errors import KnowledgeBaseError, Problem
from steppe.governance.loader import KnowledgeBase
from steppe.governance.models import MEMBER_STATUSES, Condition, Party, Rule
from steppe.governance.periods import Span

UNKNOWN = "unknown"
Value = bool | int | str
Decision = tuple[Value, tuple[Rule, ...]]


def and3(values: Iterable[bool | None]) -> bool | None:
    """Kleene conjunction: False wins, then None, else True."""
    result: bool | None = True
    for value in values:
        if value is False:
            return False
        if value is None:
            result = None
    return result


def _value_key(value: Value) -> tuple[str, Value]:
    return (type(value).__name__, value)


class Engine:
    """Indexes over one :class:`KnowledgeBase` for fast dated look-ups."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.orgs = kb.organisations
        self.agreements = kb.agreements
        self.member: dict[tuple[str, str], list[tuple[Span, str]]] = defaultdict(list)
        for m in kb.memberships:
            span = Span(m.start, m.ends, m.sure_from, m.sure_until, m.grade != "unverified")
            self.member[(m.org, m.country)].append((span, m.status))
        for spans in self.member.values():
            spans.sort(key=lambda s: s[0].start)
        self.party: dict[tuple[str, str], tuple[Party, list[tuple[str, Span]]]] = {}
        self.non_party: dict[tuple[str, str], list[Span]] = defaultdict(list)
        for a in self.agreements.values():
            for p in a.parties:
                self.party[(a.id, p.country)] = (p, party_spans(p))
            for n in a.non_parties:
                reliable = n.grade != "unverified"
                self.non_party[(a.id, n.country)].append(
                    Span(n.start, n.ends, n.sure_from, n.sure_until, reliable))
        self.rule_span = {
            r.id: Span(r.start, r.ends, r.sure_from, r.sure_until, r.grade != "unverified")
            for r in kb.rules
        }
        self.rule_file = {r.id: kb.sources[f.id] for f in kb.files for r in f.rules}
        self._by_ent_host: dict[str, dict[str, list[Rule]]] = defaultdict(lambda: defaultdict(list))
        for r in kb.rules:
            for host in r.host or ("*",):
                self._by_ent_host[r.entitlement][host].append(r)
        self._groups: dict[tuple[str, str], list[tuple[int, list[Rule]]]] = {}

    # -- statuses ---------------------------------------------------------------
    def status(self, org: str, country: str, day: dt.date) -> str:
        """Membership status of ``country`` in ``org`` on ``day``, or ``unknown``."""
        o = self.orgs[org]
        if o.established is not None and day < o.established:
            return "none"
        for span, status in self.member.get((org, country), ()):
            held = span.holds(day)
            if held:
                return status
            if held is None:
                return UNKNOWN
        return "none" if o.roster == "complete" else UNKNOWN

    def is_member(self, org: str, country: str, day: dt.date) -> bool | None:
        """``member`` or ``founding_member``; None when unknown."""
        status = self.status(org, country, day)
        return None if status == UNKNOWN else status in MEMBER_STATUSES

    def party_status(self, agreement: str, country: str, day: dt.date) -> str:
        """``signatory``, ``consented``, ``in_force``, ``withdrawn``, ``none`` or ``unknown``."""
        entry = self.party.get((agreement, country))
        if entry is not None:
            party, spans = entry
            for status, span in spans:
                held = span.holds(day)
                if held:
                    if status in ("signatory", "consented") and party.in_force is None:
                        return f"{status} (entry into force not found)"
                    return status
                if held is None:
                    return UNKNOWN
            if spans and day < spans[0][1].start and party.grade != "unverified":
                return "none"
        for span in self.non_party.get((agreement, country), ()):
            held = span.holds(day)
            if held:
                return "none"
            if held is None:
                return UNKNOWN
        return "none" if self.agreements[agreement].roster == "complete" else UNKNOWN

    def in_force_for(self, agreement: str, country: str, day: dt.date) -> bool | None:
        """Whether the agreement binds ``country`` on ``day``."""
        status = self.party_status(agreement, country, day)
        if status == UNKNOWN or "not found" in status:
            return None
        return status == "in_force"

    # -- decisions --------------------------------------------------------------
    def condition(self, when: Condition, cit: str, host: str, day: dt.date) -> bool | None:
        """Whether a rule's extra conditions hold for the pair on ``day``."""
        parts: list[bool | None] = []
        if when.both_members:
            parts.append(and3((self.is_member(when.both_members, cit, day),
                               self.is_member(when.both_members, host, day))))
        if when.citizenship_not_member:
            member = self.is_member(when.citizenship_not_member, cit, day)
            parts.append(None if member is None else not member)
        if when.both_parties:
            parts.append(and3((self.in_force_for(when.both_parties, cit, day),
                               self.in_force_for(when.both_parties, host, day))))
        if when.host_party:
            parts.append(self.in_force_for(when.host_party, host, day))
        if when.host_non_party:
            bound = self.in_force_for(when.host_non_party, host, day)
            parts.append(None if bound is None else not bound)
        return and3(parts)

    def applies(self, rule: Rule, cit: str, host: str, day: dt.date) -> bool | None:
        """Whether one rule applies to the pair on ``day``."""
        if rule.citizenship is not None and cit not in rule.citizenship:
            return False
        held = self.rule_span[rule.id].holds(day)
        if held is False:
            return False
        met = self.condition(rule.when, cit, host, day)
        if met is False:
            return False
        return None if (held is None or met is None) else True

    def groups(self, entitlement: str, host: str) -> list[tuple[int, list[Rule]]]:
        """Candidate rules for a host, grouped by priority, highest first."""
        key = (entitlement, host)
        if key not in self._groups:
            index = self._by_ent_host[entitlement]
            rules = index.get(host, []) + index.get("*", [])
            by_prio: dict[int, list[Rule]] = defaultdict(list)
            for r in rules:
                by_prio[r.priority].append(r)
            self._groups[key] = sorted(by_prio.items(), key=lambda kv: -kv[0])
        return self._groups[key]

    def decide(self, entitlement: str, cit: str, host: str, day: dt.date) -> Decision:
        """The value of one entitlement and the rules it rests on."""
        for _prio, rules in self.groups(entitlement, host):
            hits: list[Rule] = []
            doubtful: list[Rule] = []
            for r in rules:
                applied = self.applies(r, cit, host, day)
                if applied:
                    hits.append(r)
                elif applied is None:
                    doubtful.append(r)
            if doubtful:
                return UNKNOWN, tuple(doubtful)
            if hits:
                if len({_value_key(r.value) for r in hits}) > 1:
                    raise KnowledgeBaseError([Problem(
                        self.rule_file[hits[0].id], "rules " + ", ".join(r.id for r in hits),
                        f"give different {entitlement} values for {cit} in {host} on {day} "
                        "at the same priority; set priorities or narrow their conditions")])
                return hits[0].value, tuple(hits)
        return UNKNOWN, ()

    def edges(self, entitlement: str, cit: str, host: str) -> list[dt.date]:
        """Every day on which the pair's decision for ``entitlement`` may change."""
        days: set[dt.date] = set()
        for _prio, rules in self.groups(entitlement, host):
            for r in rules:
                if r.citizenship is not None and cit not in r.citizenship:
                    continue
                days.update(self.rule_span[r.id].edges())
                w = r.when
                for org in (w.both_members, w.citizenship_not_member):
                    if org:
                        days.update(self._member_edges(org, (cit, host)))
                for ag in (w.both_parties, w.host_party, w.host_non_party):
                    if ag:
                        days.update(self._party_edges(ag, (cit, host)))
        return sorted(days)

    def _member_edges(self, org: str, countries: tuple[str, ...]) -> set[dt.date]:
        days: set[dt.date] = set()
        established = self.orgs[org].established
        if established is not None:
            days.add(established)
        for c in countries:
            for span, _status in self.member.get((org, c), ()):
                days.update(span.edges())
        return days

    def _party_edges(self, agreement: str, countries: tuple[str, ...]) -> set[dt.date]:
        days: set[dt.date] = set()
        for c in countries:
            entry = self.party.get((agreement, c))
            if entry is not None:
                for _status, span in entry[1]:
                    days.update(span.edges())
            for span in self.non_party.get((agreement, c), ()):
                days.update(span.edges())
        return days
