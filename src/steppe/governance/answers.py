"""Answers of the engine with their legal basis and the interval they hold over."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from steppe.governance.engine import UNKNOWN, Decision, Engine, Value, _value_key
from steppe.governance.models import Rule
from steppe.governance.periods import ONE_DAY


@dataclass(frozen=True)
class Answer:
    """One entitlement for one pair on one day.

    Attributes
    ----------
    value : bool, int, ``"contract_term"`` or ``"unknown"``
    rules : rules the value rests on (for ``unknown``: the rules that could not decide)
    start, end : first and last day (inclusive) the same value and basis hold; None = open
    """

    entitlement: str
    value: Value
    rules: tuple[Rule, ...]
    start: dt.date | None
    end: dt.date | None


def basis(engine: Engine, rules: tuple[Rule, ...]) -> list[dict[str, str | None]]:
    """``[{"document", "article", "url"}]`` for the rules of an answer."""
    out: list[dict[str, str | None]] = []
    for r in rules:
        agreement = engine.agreements[r.agreement]
        url = next((c.url for c in r.cite if c.url), None) or next(
            (c.url for c in agreement.cite if c.url), None)
        entry = {"document": agreement.title, "article": "; ".join(r.articles) or None, "url": url}
        if entry not in out:
            out.append(entry)
    return out


def _key(decision: Decision) -> tuple[tuple[str, Value], tuple[str, ...]]:
    value, rules = decision
    return _value_key(value), tuple(sorted(r.id for r in rules))


def answer(engine: Engine, entitlement: str, cit: str, host: str, day: dt.date) -> Answer:
    """Decide one entitlement and find the interval over which the decision holds."""
    decision = engine.decide(entitlement, cit, host, day)
    key = _key(decision)
    edges = engine.edges(entitlement, cit, host)
    start: dt.date | None = None
    for edge in reversed([e for e in edges if e <= day]):
        if _key(engine.decide(entitlement, cit, host, edge - ONE_DAY)) != key:
            start = edge
            break
    end: dt.date | None = None
    for edge in (e for e in edges if e > day):
        if _key(engine.decide(entitlement, cit, host, edge)) != key:
            end = edge - ONE_DAY
            break
    return Answer(entitlement, decision[0], decision[1], start, end)


def answer_json(engine: Engine, a: Answer) -> dict[str, Any]:
    """The stable JSON shape of one entitlement."""
    return {
        "value": a.value,
        "basis": basis(engine, a.rules) if a.value != UNKNOWN else [],
        "from": a.start.isoformat() if a.start else None,
        "to": a.end.isoformat() if a.end else None,
    }
