"""Benchmark the dated rights engine against a naive scan of every rule.

Run: .venv/bin/python benchmarks/governance.py

1. all host x citizenship pairs over every country in steppe.areas (~250) for one date,
   one entitlement (the matrix) and all twelve entitlements;
2. one full `rights()` query (12 entitlements with their exact date intervals);
compared with the obvious alternative: for each question, scan every rule and every
membership/party row of the knowledge base (no indexes). Both give the same answers
(checked on a sample before timing).
"""

from __future__ import annotations

import datetime as dt
import platform
import random
import statistics
import time

from steppe.areas import countries
from steppe.governance import ENTITLEMENTS, UNKNOWN, default_engine, rights
from steppe.governance.checks import party_spans
from steppe.governance.engine import Engine, and3
from steppe.governance.models import MEMBER_STATUSES, Rule
from steppe.governance.periods import Span
from steppe.governance.snapshot import entitlement_matrix

DAY = dt.date(2016, 1, 1)


class NaiveScan:
    """Answer by scanning every rule and every membership/party row each time."""

    def __init__(self, engine: Engine) -> None:
        self.kb = engine.kb
        self.orgs = engine.orgs
        self.agreements = engine.agreements

    def status(self, org: str, country: str, day: dt.date) -> str:
        o = self.orgs[org]
        if o.established is not None and day < o.established:
            return "none"
        for m in self.kb.memberships:
            if m.org == org and m.country == country:
                held = Span(m.start, m.ends, m.sure_from, m.sure_until, m.grade != "unverified").holds(day)
                if held:
                    return m.status
                if held is None:
                    return UNKNOWN
        return "none" if o.roster == "complete" else UNKNOWN

    def member(self, org: str, country: str, day: dt.date) -> bool | None:
        s = self.status(org, country, day)
        return None if s == UNKNOWN else s in MEMBER_STATUSES

    def in_force(self, ag: str, country: str, day: dt.date) -> bool | None:
        a = self.agreements[ag]
        for p in a.parties:
            if p.country == country:
                spans = party_spans(p)
                for status, span in spans:
                    held = span.holds(day)
                    if held:
                        if status in ("signatory", "consented") and p.in_force is None:
                            return None
                        return status == "in_force"
                    if held is None:
                        return None
                if spans and day < spans[0][1].start and p.grade != "unverified":
                    return False
        for n in a.non_parties:
            if n.country == country:
                held = Span(n.start, n.ends, n.sure_from, n.sure_until, n.grade != "unverified").holds(day)
                if held:
                    return False
                if held is None:
                    return None
        return False if a.roster == "complete" else None

    def applies(self, r: Rule, cit: str, host: str, day: dt.date) -> bool | None:
        if r.host is not None and host not in r.host:
            return False
        if r.citizenship is not None and cit not in r.citizenship:
            return False
        held = Span(r.start, r.ends, r.sure_from, r.sure_until, r.grade != "unverified").holds(day)
        if held is False:
            return False
        w = r.when
        parts: list[bool | None] = []
        if w.both_members:
            parts.append(and3((self.member(w.both_members, cit, day), self.member(w.both_members, host, day))))
        if w.citizenship_not_member:
            m = self.member(w.citizenship_not_member, cit, day)
            parts.append(None if m is None else not m)
        if w.both_parties:
            parts.append(and3((self.in_force(w.both_parties, cit, day), self.in_force(w.both_parties, host, day))))
        if w.host_party:
            parts.append(self.in_force(w.host_party, host, day))
        if w.host_non_party:
            b = self.in_force(w.host_non_party, host, day)
            parts.append(None if b is None else not b)
        met = and3(parts)
        if met is False:
            return False
        return None if (held is None or met is None) else True

    def decide(self, entitlement: str, cit: str, host: str, day: dt.date) -> object:
        best: dict[int, list[tuple[Rule, bool | None]]] = {}
        for r in self.kb.rules:
            if r.entitlement != entitlement:
                continue
            got = self.applies(r, cit, host, day)
            if got is not False:
                best.setdefault(r.priority, []).append((r, got))
        for prio in sorted(best, reverse=True):
            if any(got is None for _r, got in best[prio]):
                return UNKNOWN
            return best[prio][0][0].value
        return UNKNOWN


def timed(func, repeat: int = 3) -> float:
    """Best wall time of ``repeat`` runs, seconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    t0 = time.perf_counter()
    engine = default_engine()
    load_s = time.perf_counter() - t0
    naive = NaiveScan(engine)
    codes = [a.area_id for a in countries()]
    pairs = [(c, h) for h in codes for c in codes]
    rng = random.Random(4)
    sample = rng.sample(pairs, 3000)
    for e in ENTITLEMENTS:
        for c, h in sample[:300]:
            assert engine.decide(e, c, h, DAY)[0] == naive.decide(e, c, h, DAY), (e, c, h)
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"knowledge base: {len(engine.kb.rules)} rules, {len(engine.kb.memberships)} memberships; "
          f"load+validate {load_s * 1000:.0f} ms")
    print(f"{len(codes)} countries -> {len(pairs)} ordered pairs, date {DAY}")

    def matrix() -> None:
        for c, h in pairs:
            engine.decide("work_permit_required", c, h, DAY)

    def matrix_naive() -> None:
        for c, h in sample:
            naive.decide("work_permit_required", c, h, DAY)

    def all12() -> None:
        for e in ENTITLEMENTS:
            for c, h in pairs:
                engine.decide(e, c, h, DAY)

    def vector_one() -> None:
        entitlement_matrix(engine, "work_permit_required", DAY, codes, codes)

    def vector_all() -> None:
        for e in ENTITLEMENTS:
            entitlement_matrix(engine, e, DAY, codes, codes)

    s_vec1 = timed(vector_one)
    s_vec12 = timed(vector_all)
    s_matrix = timed(matrix)
    s_naive = timed(matrix_naive, 1) * len(pairs) / len(sample)
    s_all = timed(all12, 1)
    print(f"all pairs, 1 entitlement : steppe {s_matrix:.3f} s | naive scan {s_naive:.3f} s "
          f"(extrapolated from {len(sample)} pairs)")
    print(f"all pairs, 12 entitlements (no intervals): steppe per-pair {s_all:.3f} s")
    print(f"vectorised day snapshot (numpy): 1 entitlement {s_vec1:.3f} s, 12 entitlements {s_vec12:.3f} s")

    queries = [("KGZ", "KAZ"), ("UZB", "RUS"), ("ARM", "RUS"), ("TJK", "KAZ"), ("AFG", "KAZ")]
    for c, h in queries:  # warm the per-host rule groups once
        rights(c, h, DAY, engine=engine)
    times = []
    for _ in range(40):
        for c, h in queries:
            q0 = time.perf_counter()
            rights(c, h, DAY, engine=engine)
            times.append(time.perf_counter() - q0)
    naive_times = []
    for c, h in queries * 4:
        q0 = time.perf_counter()
        for e in ENTITLEMENTS:
            naive.decide(e, c, h, DAY)
        naive_times.append(time.perf_counter() - q0)
    print(f"one rights() query (12 entitlements + exact intervals): median {statistics.median(times) * 1000:.2f} ms, "
          f"p95 {sorted(times)[int(0.95 * len(times))] * 1000:.2f} ms, max {max(times) * 1000:.2f} ms | naive scan, values only: median "
          f"{statistics.median(naive_times) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
