"""No rule or fact without a citation; fact ids point at governance-sources.md."""

from __future__ import annotations

import re
from pathlib import Path

from steppe.governance import Engine
from steppe.governance.models import Citation

REFERENCE_DOCS = ("Delovarova (KazNU)", "Manejero (AVİM)", "governance-sources.md", "steppe task brief",
                  "FNS letter")


def _items(engine: Engine):
    kb = engine.kb
    for f in kb.files:
        for o in f.organisations:
            yield f"{f.id}: organisation {o.id}", o.cite
        for m in f.memberships:
            yield f"{f.id}: membership {m.org}/{m.country}/{m.start}", m.cite
        for a in f.agreements:
            yield f"{f.id}: agreement {a.id}", a.cite
            for p in a.parties:
                yield f"{f.id}: party {a.id}/{p.country}", p.cite
            for n in a.non_parties:
                yield f"{f.id}: non-party {a.id}/{n.country}", n.cite
            for art in a.articles:
                yield f"{f.id}: article {a.id}/{art.id}", art.cite
        for r in f.rules:
            yield f"{f.id}: rule {r.id}", r.cite
        for c in f.claims:
            yield f"{f.id}: claim {c.id}", c.claimed_by + c.contradicted_by


def _usable(cite: Citation) -> bool:
    return bool(cite.document.strip()) and (
        cite.url is not None or any(cite.document.startswith(d) for d in REFERENCE_DOCS))


def test_every_item_has_a_usable_citation(engine: Engine) -> None:
    bad = [label for label, cites in _items(engine) if not cites or not any(_usable(c) for c in cites)]
    assert not bad, "items without a usable citation (URL or named reference document): " + "; ".join(bad)


def test_every_relied_on_rule_has_a_url(engine: Engine) -> None:
    bad = [r.id for r in engine.kb.rules
           if r.grade not in ("unverified", "reference") and not any(c.url for c in r.cite)]
    assert not bad


def test_fact_ids_exist_in_the_sources_file(engine: Engine, sources_file: Path) -> None:
    known = set(re.findall(r"^\| (F\d{3}) \|", sources_file.read_text(encoding="utf-8"), re.MULTILINE))
    used = {fact for _label, cites in _items(engine) for c in cites for fact in c.facts}
    assert used and used <= known, sorted(used - known)


def test_unverified_facts_are_not_relied_on(engine: Engine, sources_file: Path) -> None:
    rows = re.findall(r"^\| (F\d{3}) \|.*\| ([^|]+) \|\s*$", sources_file.read_text(encoding="utf-8"), re.MULTILINE)
    memory_only = {fid for fid, grade in rows if grade.strip() == "from memory-unverified"}
    relied = [m for m in engine.kb.memberships if m.grade != "unverified"
              and all(set(c.facts) <= memory_only and c.facts for c in m.cite)]
    relied += [r for r in engine.kb.rules if r.grade != "unverified"
               and all(set(c.facts) <= memory_only and c.facts for c in r.cite)]
    assert not relied


def test_contradicted_claims_are_recorded(engine: Engine) -> None:
    claims = {c.id: c for c in engine.kb.claims}
    cis = claims["cis_illegal_migration_date"]
    assert "2003-08-01" in cis.claim and "1998-03-06" in cis.engine_uses and cis.reason
    assert engine.agreements["cis_illegal_migration_1998"].signed.isoformat() == "1998-03-06"
    assert "tjk_eeu_observer" in claims
