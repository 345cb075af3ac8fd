"""Time-varying policy variables, evaluated on the date of each observation.

A policy variable is 1 when a rule holds for an (origin, destination) pair on a
date: both countries members of the Eurasian Economic Union (EEU), both in the CIS,
both parties to an agreement. Membership comes from dated intervals: either a small
table given by hand (tests, scenarios) or the governance knowledge base
(:mod:`steppe.governance`). Annual stock observations are dated 1 July (UN DESA's
mid-year reference), so a country that joined on 12 August counts from the next year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

Interval = tuple[dt.date, dt.date | None]
"""Membership from ``start`` (inclusive) to ``end`` (exclusive; None = still a member)."""

MEMBER_STATUSES = frozenset({"member", "founding_member"})


def observation_date(year: int, month: int = 7, day: int = 1) -> dt.date:
    """Reference date of an annual observation (default: UN DESA's 1 July)."""
    return dt.date(int(year), month, day)


@dataclass(frozen=True)
class MembershipTable:
    """Dated memberships: ``intervals[org][country]`` is a list of intervals.

    Scenarios are made by :meth:`with_member`, which returns a changed copy, as
    OpenFisca's reforms change a baseline without touching it.
    """

    intervals: Mapping[str, Mapping[str, Sequence[Interval]]] = field(default_factory=dict)

    def is_member(self, org: str, country: str, on: dt.date) -> bool:
        """Whether ``country`` is a member of ``org`` on the date ``on``."""
        for start, end in self.intervals.get(org, {}).get(country, ()):
            if start <= on and (end is None or on < end):
                return True
        return False

    def with_member(self, org: str, country: str, start: dt.date) -> MembershipTable:
        """A copy in which ``country`` joins ``org`` on ``start`` (and stays)."""
        orgs = {o: dict(by_country) for o, by_country in self.intervals.items()}
        by_country = orgs.setdefault(org, {})
        by_country[country] = [*by_country.get(country, ()), (start, None)]
        return MembershipTable(orgs)

    def members(self, org: str, on: dt.date) -> list[str]:
        """Countries that are members of ``org`` on ``on``, sorted."""
        return sorted(c for c in self.intervals.get(org, {}) if self.is_member(org, c, on))


def both_members(
    is_member: Callable[[str, str, dt.date], bool],
    org: str,
    origin: ArrayLike,
    destination: ArrayLike,
    on: Sequence[dt.date],
) -> NDArray[np.float64]:
    """1.0 where origin and destination are both members of ``org`` on ``on``.

    Parameters
    ----------
    is_member : callable ``(org, country, date) -> bool``
        For example :meth:`MembershipTable.is_member` or :func:`governance_is_member`.
    org : str
        Organisation id, e.g. ``'EEU'`` or ``'CIS'``.
    origin, destination : array of str, shape (n,)
        Area ids of each observation.
    on : sequence of date, length n
        Date of each observation.

    Returns
    -------
    ndarray, shape (n,)
    """
    orig = np.asarray(origin, dtype=object)
    dest = np.asarray(destination, dtype=object)
    dates = list(on)
    cache: dict[tuple[str, dt.date], bool] = {}

    def member(country: str, day: dt.date) -> bool:
        key = (country, day)
        if key not in cache:
            cache[key] = bool(is_member(org, country, day))
        return cache[key]

    return np.fromiter(
        (member(o, d) and member(t, d) for o, t, d in zip(orig, dest, dates)),
        dtype=float,
        count=len(dates),
    )


def governance_is_member(org: str, country: str, on: dt.date) -> bool:
    """Membership read from :mod:`steppe.governance` (member or founding member)."""
    from steppe import governance

    status = governance.memberships(country, on=on).get(org)
    return str(getattr(status, "value", status)) in MEMBER_STATUSES


def governance_table(orgs: Iterable[str]) -> MembershipTable:
    """Membership intervals of ``orgs`` from the governance knowledge base.

    Reads ``steppe.governance.membership_intervals(org)`` (``(country, status,
    start, end)``, verified intervals only) and keeps members and founding members;
    observers are not members.
    """
    from steppe import governance

    table: dict[str, dict[str, list[Interval]]] = {}
    for org in orgs:
        by_country: dict[str, list[Interval]] = {}
        for country, status, start, end in governance.membership_intervals(org):
            if status in MEMBER_STATUSES:
                by_country.setdefault(country, []).append((start, end))
        table[org] = by_country
    return MembershipTable(table)


PairRule = Callable[[str, str, dt.date], "bool | None"]
"""``(origin, destination, date) -> True/False``, or None when the rule is unknown."""


def pair_variable(
    rule: PairRule, origin: ArrayLike, destination: ArrayLike, on: Sequence[dt.date]
) -> NDArray[np.float64]:
    """1.0 / 0.0 where ``rule`` holds / does not, NaN where the knowledge base says unknown.

    Rows with NaN leave a model that uses the variable, rather than being guessed.
    """
    cache: dict[tuple[str, str, dt.date], float] = {}

    def value(o: str, d: str, day: dt.date) -> float:
        key = (o, d, day)
        if key not in cache:
            answer = rule(o, d, day)
            cache[key] = np.nan if answer is None else float(bool(answer))
        return cache[key]

    dates = list(on)
    return np.fromiter(
        (value(o, d, day) for o, d, day in zip(np.asarray(origin, dtype=object),
                                               np.asarray(destination, dtype=object), dates)),
        dtype=float, count=len(dates),
    )


def governance_visa_free() -> PairRule:
    """Origin nationals enter the destination without a visa (steppe.governance)."""
    from steppe.governance.queries import default_engine, fast_visa_free

    engine = default_engine()
    return lambda o, d, day: fast_visa_free(engine, o, d, day)


def governance_agreement(agreement: str) -> PairRule:
    """Both countries are bound by ``agreement`` (in force for each) on the date."""
    from steppe.errors import InvalidOptionError
    from steppe.governance.queries import default_engine

    engine = default_engine()
    if agreement not in engine.agreements:
        raise InvalidOptionError("agreement", agreement, sorted(engine.agreements))

    def both(o: str, d: str, day: dt.date) -> bool | None:
        a, b = engine.in_force_for(agreement, o, day), engine.in_force_for(agreement, d, day)
        if a is False or b is False:
            return False
        return None if a is None or b is None else True

    return both


def add_pair_rule(
    frame: pd.DataFrame,
    column: str,
    rule: Callable[[str, str, dt.date], bool | None],
    *,
    month: int = 7,
    day: int = 1,
) -> pd.DataFrame:
    """Add a 1/0 column from a dated pair rule (visa-free entry, an agreement in force);
    NaN where the knowledge base cannot answer, so those rows leave models using it."""
    out = frame.copy()
    dates = [observation_date(y, month, day) for y in out["year"]]
    out[column] = pair_variable(rule, out["origin"], out["destination"], dates)
    return out
