"""Vectorised answers for one day over many countries (numpy).

Every rule condition is a conjunction of a part about the citizenship and a part
about the host, so on a fixed day each rule is the Kleene conjunction of a
citizenship vector and a host vector. Codes: 2 = true, 1 = unknown, 0 = false;
conjunction is the minimum. This gives whole host x citizenship matrices at once,
with the same answers as :meth:`Engine.decide` (tested on samples).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from steppe.governance.engine import UNKNOWN, Engine, Value, _value_key
from steppe.governance.errors import KnowledgeBaseError, Problem
from steppe.governance.models import Rule

_CODE = {True: 2, None: 1, False: 0}


def _codes(values: list[bool | None]) -> np.ndarray:
    return np.fromiter((_CODE[v] for v in values), dtype=np.int8, count=len(values))


def _not(x: bool | None) -> bool | None:
    return None if x is None else not x


def _cit_part(engine: Engine, rule: Rule, c: str, day: dt.date) -> bool | None:
    if rule.citizenship is not None and c not in rule.citizenship:
        return False
    w, parts = rule.when, []
    if w.both_members:
        parts.append(engine.is_member(w.both_members, c, day))
    if w.citizenship_not_member:
        parts.append(_not(engine.is_member(w.citizenship_not_member, c, day)))
    if w.both_parties:
        parts.append(engine.in_force_for(w.both_parties, c, day))
    return min(parts, key=lambda v: _CODE[v]) if parts else True


def _host_part(engine: Engine, rule: Rule, h: str, day: dt.date) -> bool | None:
    if rule.host is not None and h not in rule.host:
        return False
    w, parts = rule.when, []
    if w.both_members:
        parts.append(engine.is_member(w.both_members, h, day))
    if w.both_parties:
        parts.append(engine.in_force_for(w.both_parties, h, day))
    if w.host_party:
        parts.append(engine.in_force_for(w.host_party, h, day))
    if w.host_non_party:
        parts.append(_not(engine.in_force_for(w.host_non_party, h, day)))
    return min(parts, key=lambda v: _CODE[v]) if parts else True


def entitlement_matrix(engine: Engine, entitlement: str, day: dt.date,
                       hosts: Sequence[str], citizenships: Sequence[str]) -> np.ndarray:
    """Object array ``[host, citizenship]`` of values (``"unknown"`` where undecided)."""
    shape = (len(hosts), len(citizenships))
    result = np.full(shape, UNKNOWN, dtype=object)
    decided = np.zeros(shape, dtype=bool)
    by_prio: dict[int, list[Rule]] = defaultdict(list)
    for r in engine.kb.rules:
        if r.entitlement == entitlement:
            by_prio[r.priority].append(r)
    for prio in sorted(by_prio, reverse=True):
        doubt = np.zeros(shape, dtype=bool)
        values: dict[tuple[str, Value], np.ndarray] = {}
        rule_of: dict[tuple[str, Value], Rule] = {}
        for r in by_prio[prio]:
            span = _CODE[engine.rule_span[r.id].holds(day)]
            if span == 0:
                continue
            host_vec = _codes([_host_part(engine, r, h, day) for h in hosts])
            cit_vec = _codes([_cit_part(engine, r, c, day) for c in citizenships])
            grid = np.minimum(np.minimum(host_vec[:, None], cit_vec[None, :]), span)
            doubt |= grid == 1
            key = _value_key(r.value)
            values[key] = values.get(key, np.zeros(shape, dtype=bool)) | (grid == 2)
            rule_of[key] = r
        open_cells = ~decided
        hit_any = np.zeros(shape, dtype=bool)
        if len(values) > 1:
            stacked = np.stack(list(values.values()))
            clash = (stacked.sum(axis=0) > 1) & open_cells & ~doubt
            if clash.any():
                i, j = map(int, np.argwhere(clash)[0])
                raise KnowledgeBaseError([Problem(
                    engine.rule_file[next(iter(rule_of.values())).id], f"rules at priority {prio}",
                    f"give different {entitlement} values for {citizenships[j]} in {hosts[i]} on {day}")])
        for key, mask in values.items():
            cells = mask & open_cells & ~doubt
            result[cells] = rule_of[key].value
            hit_any |= mask
        decided |= open_cells & (doubt | hit_any)
    return result


def visa_free_matrix(engine: Engine, day: dt.date, hosts: Sequence[str],
                     citizenships: Sequence[str]) -> np.ndarray:
    """Object array ``[host, citizenship]`` of True/False/None (visa-free entry)."""
    entry = entitlement_matrix(engine, "visa_free_entry", day, hosts, citizenships)
    stay = entitlement_matrix(engine, "max_stay_days_visa_free", day, hosts, citizenships)
    out = np.full(entry.shape, None, dtype=object)
    known = entry != UNKNOWN
    out[known] = entry[known].astype(bool)
    from_stay = ~known & (stay != UNKNOWN)
    for i, j in np.argwhere(from_stay):
        value = stay[i, j]
        out[i, j] = value == "contract_term" or (isinstance(value, int) and value > 0)
    return out
