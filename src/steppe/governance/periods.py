"""Dated intervals: does an item hold on a day, with its uncertainty windows.

Intervals are half-open, ``[start, ends)``; ``ends=None`` is open. A start known only
to lie in ``[start, sure_from)`` or a status not verified from ``sure_until`` on
gives ``None`` ("unknown") inside those windows, never a guess.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ONE_DAY = dt.timedelta(days=1)
EARLIEST = dt.date(1991, 1, 1)
"""The first day the engine answers for (the knowledge base covers the post-Soviet era)."""


@dataclass(frozen=True, slots=True)
class Span:
    """A status over ``[start, ends)`` with optional uncertainty windows."""

    start: dt.date
    ends: dt.date | None
    sure_from: dt.date | None = None
    sure_until: dt.date | None = None
    reliable: bool = True

    def holds(self, day: dt.date) -> bool | None:
        """True inside, False outside, None where the sources cannot tell."""
        if day < self.start or (self.ends is not None and day >= self.ends):
            return False
        if not self.reliable:
            return None
        if self.sure_from is not None and day < self.sure_from:
            return None
        if self.sure_until is not None and day >= self.sure_until:
            return None
        return True

    def overlaps(self, other: Span) -> bool:
        """Whether two spans share at least one day."""
        a_end = self.ends or dt.date.max
        b_end = other.ends or dt.date.max
        return self.start < b_end and other.start < a_end

    def edges(self) -> tuple[dt.date, ...]:
        """Every day on which ``holds`` may change value."""
        days = (self.start, self.ends, self.sure_from, self.sure_until)
        return tuple(d for d in days if d is not None)

    def label(self) -> str:
        """``[2015-08-12, open)`` for messages."""
        return f"[{self.start}, {self.ends or 'open'})"


def day_before(day: dt.date) -> dt.date:
    """The previous calendar day."""
    return day - ONE_DAY


def parse_day(value: str | dt.date) -> dt.date:
    """A ``YYYY-MM-DD`` string (or a date) as a date; ``ValueError`` otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2016-01-01") from None
