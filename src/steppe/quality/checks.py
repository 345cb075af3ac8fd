"""The result types of every quality check: a :class:`Check` with a stable code."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["ok", "warn", "fail", "info"]


@dataclass(frozen=True)
class Check:
    """One finding about one country or corridor.

    ``code`` is stable (``mirror-discrepancy``, ``revision``, ``bilateral-vs-total``,
    ``sex-sum``, ``remittance-matrix-vs-inflows``, ``series-jump``,
    ``registered-vs-estimated``, ``coverage-gap``, ``coverage-missing``, ``coverage-thin``,
    ``coverage-stale``, and ``…-ok``/``mirror-agree``/``series-smooth`` for passes);
    ``subject`` says what it is about (``KAZ``, ``UZB→KAZ``); ``sources`` names the
    releases compared; ``details`` holds the numbers.
    """

    code: str
    subject: str
    status: Status
    message: str
    sources: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["sources"] = list(self.sources)
        return out


def ratio(a: float, b: float) -> float | None:
    """a / b, or ``None`` when b is zero."""
    return a / b if b else None


def beyond(a: float, b: float, threshold: float) -> bool:
    """Whether a and b differ by more than ``threshold`` relative to the larger."""
    top = max(abs(a), abs(b))
    return top > 0 and abs(a - b) / top > threshold
