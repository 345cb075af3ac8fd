"""Checks across items and files: ids, countries, links, overlaps, citations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from steppe.areas import try_resolve
from steppe.governance.errors import Problem
from steppe.governance.models import Agreement, KBFile, Party
from steppe.governance.periods import Span


def _country_problem(code: str) -> str | None:
    area = try_resolve(code)
    if area is None or area.kind != "country" or area.area_id != code:
        return f"unknown country code {code!r}; use an ISO3 code such as KAZ"
    return None


def party_spans(party: Party) -> list[tuple[str, Span]]:
    """The statuses a party passes through: signatory, consented, in_force, withdrawn."""
    reliable = party.grade not in ("unverified", "contradicted")
    steps = [("signatory", party.signed), ("consented", party.consent), ("in_force", party.in_force),
             ("withdrawn", party.left)]
    dated = [(name, day) for name, day in steps if day is not None]
    spans = []
    for i, (name, day) in enumerate(dated):
        ends = dated[i + 1][1] if i + 1 < len(dated) else None
        sure_from = party.sure_from if name == "in_force" else None
        sure_until = party.sure_until if name != "withdrawn" else None
        spans.append((name, Span(day, ends, sure_from, sure_until, reliable)))
    return spans


def cross_check(files: list[KBFile], names: dict[str, str]) -> list[Problem]:
    """Every problem that needs more than one item to see."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str], str] = {}

    def unique(kind: str, item_id: str, file_id: str) -> None:
        key = (kind, item_id)
        if key in seen:
            problems.append(Problem(names[file_id], f"{kind} {item_id}",
                                    f"duplicate id; already defined in {seen[key]}"))
        seen[key] = names[file_id]

    for f in files:
        for o in f.organisations:
            unique("organisation", o.id, f.id)
        for a in f.agreements:
            unique("agreement", a.id, f.id)
        for r in f.rules:
            unique("rule", r.id, f.id)
        for c in f.claims:
            unique("claim", c.id, f.id)
    orgs = {o.id: o for f in files for o in f.organisations}
    agreements = {a.id: a for f in files for a in f.agreements}

    def countries(file_id: str, item: str, codes: Iterable[str]) -> None:
        for code in codes:
            text = _country_problem(code)
            if text:
                problems.append(Problem(names[file_id], item, text))

    spans: dict[tuple[str, str], list[tuple[str, Span, str]]] = defaultdict(list)
    for f in files:
        for m in f.memberships:
            item = f"membership {m.org}/{m.country} from {m.start}"
            countries(f.id, item, [m.country])
            if m.org not in orgs:
                problems.append(Problem(names[f.id], item, f"organisation {m.org!r} is not defined"))
            span = Span(m.start, m.ends)
            for status, other, where in spans[(m.org, m.country)]:
                if span.overlaps(other):
                    problems.append(Problem(names[f.id], item, (
                        f"{m.status} {span.label()} overlaps {status} {other.label()} "
                        f"(in {where}); one country has one status at a time")))
            spans[(m.org, m.country)].append((m.status, span, names[f.id]))
        for a in f.agreements:
            problems.extend(_agreement_problems(a, names[f.id], orgs))
            for p in a.parties:
                countries(f.id, f"agreement {a.id} party {p.country}", [p.country])
            for n in a.non_parties:
                countries(f.id, f"agreement {a.id} non-party {n.country}", [n.country])
        for r in f.rules:
            item = f"rule {r.id}"
            countries(f.id, item, (r.host or ()) + (r.citizenship or ()))
            agreement = agreements.get(r.agreement)
            if agreement is None:
                problems.append(Problem(names[f.id], item,
                                        f"legal basis agreement {r.agreement!r} is not defined"))
            else:
                known = {a.id for a in agreement.articles}
                for art in r.articles:
                    if art not in known:
                        problems.append(Problem(names[f.id], item, (
                            f"article {art!r} does not exist in agreement {r.agreement!r} "
                            f"(its articles: {', '.join(sorted(known)) or 'none'})")))
            cond = r.when
            for org in (cond.both_members, cond.citizenship_not_member):
                if org is not None and org not in orgs:
                    problems.append(Problem(names[f.id], item, f"organisation {org!r} is not defined"))
            for ag in (cond.both_parties, cond.host_party, cond.host_non_party):
                if ag is not None and ag not in agreements:
                    problems.append(Problem(names[f.id], item, f"agreement {ag!r} is not defined"))
    return problems


def _agreement_problems(a: Agreement, file_name: str, orgs: Mapping[str, object]) -> list[Problem]:
    problems = []
    item = f"agreement {a.id}"
    if a.organisation is not None and a.organisation not in orgs:
        problems.append(Problem(file_name, item, f"organisation {a.organisation!r} is not defined"))
    article_ids = [x.id for x in a.articles]
    for dup in {x for x in article_ids if article_ids.count(x) > 1}:
        problems.append(Problem(file_name, f"{item} article {dup}", "duplicate article id"))
    party_codes = [p.country for p in a.parties]
    for dup in {x for x in party_codes if party_codes.count(x) > 1}:
        problems.append(Problem(file_name, f"{item} party {dup}", "listed twice"))
    for p in a.parties:
        days = [d for d in (p.signed, p.consent, p.in_force, p.left) if d is not None]
        if days != sorted(days):
            problems.append(Problem(file_name, f"{item} party {p.country}",
                                    "dates out of order: signed <= consent <= in_force <= left"))
        if p.sure_from is not None and (p.in_force is None or p.sure_from < p.in_force):
            problems.append(Problem(file_name, f"{item} party {p.country}",
                                    "sure_from needs in_force and must not precede it"))
        for n in a.non_parties:
            if n.country != p.country:
                continue
            for status, span in party_spans(p):
                if status == "in_force" and span.overlaps(Span(n.start, n.ends)):
                    problems.append(Problem(file_name, f"{item} party {p.country}", (
                        f"in force {span.label()} overlaps its non-party interval "
                        f"{Span(n.start, n.ends).label()}")))
    return problems
