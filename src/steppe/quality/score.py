"""A 0–100 quality score per country and per corridor, with the reasons behind it.

The score starts at 100 and loses points per kind of problem found, each kind capped
so that no single kind dominates (:data:`PENALTIES`). Reasons list every deduction,
largest first, in words a reader can check against the named sources.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from steppe.quality.checks import Check

#: code -> (points per non-ok check, cap, what it means for a reader)
PENALTIES: dict[str, tuple[float, float, str]] = {
    "coverage-missing": (6, 30, "indicators no source provides"),
    "coverage-thin": (2, 8, "indicators with fewer than three years"),
    "coverage-gap": (2, 8, "series with years no source covers"),
    "coverage-stale": (2, 8, "series that stop before 2020"),
    "mirror-discrepancy": (2, 20, "corridor figures on which sources disagree by more than 25%"),
    "bilateral-vs-total": (1, 8, "years in which bilateral stocks do not add up to the total"),
    "sex-sum": (2, 8, "years in which male + female differs from the total"),
    "remittance-matrix-vs-inflows": (1.5, 10, ("years in which the KNOMAD corridors do not add "
                                               "up to WDI remittances received (>15%)")),
    "series-jump": (1, 8, "year-on-year jumps beyond 50% (annual) or 100% (5-year)"),
    "refugees-vs-wdi": (1, 6, ("years in which UNHCR's current figures of refugees from the "
                              "country differ from WDI's by more than 10%")),
    "registered-vs-estimated": (1, 8, ("years in which registered net migration differs from "
                                      "WPP's estimate by more than 50%")),
}
#: revisions are scored by the share of corridor-years revised: share × this, capped
REVISION_WEIGHT = 25.0


@dataclass(frozen=True)
class Score:
    """A score with its reasons and the checks it was computed from."""

    subject: str
    score: int
    reasons: list[str]
    checks: list[Check] = field(default_factory=list)


def score_checks(subject: str, checks: list[Check]) -> Score:
    """Score a list of checks (pure)."""
    bad: dict[str, list[Check]] = defaultdict(list)
    for check in checks:
        if check.status in ("warn", "fail"):
            bad[check.code].append(check)
    deductions: list[tuple[float, str]] = []
    for code, found in bad.items():
        if code == "revision":
            for check in found:
                points = min(REVISION_WEIGHT, REVISION_WEIGHT * float(check.details["share"]))
                deductions.append((points, check.message))
            continue
        per, cap, meaning = PENALTIES.get(code, (1, 5, code))
        points = min(cap, per * len(found))
        example = found[0].message
        deductions.append((points, f"{len(found)} {meaning} (e.g. {example})"))
    deductions.sort(key=lambda d: -d[0])
    total = sum(p for p, _ in deductions)
    score = max(0, min(100, round(100 - total)))
    reasons = [f"-{p:.0f}: {text}" for p, text in deductions if round(p) > 0]
    if not reasons:
        reasons = ["no problem found by the checks run"]
    return Score(subject, score, reasons, checks)
