"""Write the knowledge base into DuckDB tables prefixed ``gov_``.

Called by ``steppe ingest`` inside a warehouse writer session; it drops and
recreates its own tables only. Citations are stored as JSON text in ``cite``;
every row carries ``source_file`` and ``kb_digest`` (sha256 of the rules files).
"""

from __future__ import annotations

import json
from typing import Any

from steppe.governance import loader
from steppe.governance.loader import KnowledgeBase
from steppe.governance.models import Citation

TABLES: dict[str, str] = {
    "gov_organisations": "id VARCHAR PRIMARY KEY, name VARCHAR, kind VARCHAR, established DATE, "
    "roster VARCHAR, grade VARCHAR, note VARCHAR",
    "gov_memberships": "org VARCHAR, country VARCHAR, status VARCHAR, start_date DATE, end_date DATE, "
    "sure_from DATE, sure_until DATE, grade VARCHAR, note VARCHAR",
    "gov_agreements": "id VARCHAR PRIMARY KEY, title VARCHAR, kind VARCHAR, organisation VARCHAR, "
    "signed DATE, in_force DATE, in_force_rule VARCHAR, binding BOOLEAN, grade VARCHAR, note VARCHAR",
    "gov_agreement_parties": "agreement VARCHAR, country VARCHAR, party_status VARCHAR, signed DATE, "
    "consent DATE, consent_kind VARCHAR, in_force DATE, sure_from DATE, left_on DATE, "
    "start_date DATE, end_date DATE, grade VARCHAR, note VARCHAR",
    "gov_articles": "agreement VARCHAR, article VARCHAR, title VARCHAR, summary VARCHAR, "
    "number_verified BOOLEAN, grade VARCHAR",
    "gov_rules": "id VARCHAR PRIMARY KEY, entitlement VARCHAR, value VARCHAR, hosts VARCHAR, "
    "citizenships VARCHAR, conditions VARCHAR, priority INTEGER, start_date DATE, end_date DATE, "
    "sure_from DATE, sure_until DATE, agreement VARCHAR, articles VARCHAR, grade VARCHAR, note VARCHAR",
    "gov_claims": "id VARCHAR PRIMARY KEY, subject VARCHAR, claim VARCHAR, claimed_by VARCHAR, "
    "contradicted_by VARCHAR, engine_uses VARCHAR, reason VARCHAR, grade VARCHAR",
}
_TAIL = "cite VARCHAR, source_file VARCHAR, kb_digest VARCHAR"


def _cite(cites: tuple[Citation, ...]) -> str:
    return json.dumps([c.model_dump(mode="json", exclude_none=True) for c in cites], ensure_ascii=False)


def rows(kb: KnowledgeBase) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of every ``gov_`` table, in column order (pure; no database)."""
    out: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLES}
    for f in kb.files:
        tail = (kb.sources[f.id], kb.digest)
        for o in f.organisations:
            out["gov_organisations"].append(
                (o.id, o.name, o.kind, o.established, o.roster, o.grade, o.note, _cite(o.cite), *tail))
        for m in f.memberships:
            out["gov_memberships"].append((m.org, m.country, m.status, m.start, m.ends, m.sure_from,
                                           m.sure_until, m.grade, m.note, _cite(m.cite), *tail))
        for a in f.agreements:
            out["gov_agreements"].append((a.id, a.title, a.kind, a.organisation, a.signed, a.in_force,
                                          a.in_force_rule, a.binding, a.grade, a.note, _cite(a.cite),
                                          *tail))
            for p in a.parties:
                out["gov_agreement_parties"].append((
                    a.id, p.country, "party", p.signed, p.consent, p.consent_kind, p.in_force,
                    p.sure_from, p.left, None, None, p.grade, p.note, _cite(p.cite), *tail))
            for n in a.non_parties:
                out["gov_agreement_parties"].append((
                    a.id, n.country, "non_party", None, None, None, None, n.sure_from, None,
                    n.start, n.ends, n.grade, n.note, _cite(n.cite), *tail))
            for art in a.articles:
                out["gov_articles"].append((a.id, art.id, art.title, art.summary, art.number_verified,
                                            art.grade, _cite(art.cite), *tail))
        for r in f.rules:
            out["gov_rules"].append((
                r.id, r.entitlement, json.dumps(r.value), json.dumps(r.host), json.dumps(r.citizenship),
                r.when.model_dump_json(exclude_none=True), r.priority, r.start, r.ends, r.sure_from,
                r.sure_until, r.agreement, json.dumps(r.articles), r.grade, r.note, _cite(r.cite), *tail))
        for c in f.claims:
            out["gov_claims"].append((c.id, c.subject, c.claim, _cite(c.claimed_by),
                                      _cite(c.contradicted_by), c.engine_uses, c.reason, c.grade,
                                      _cite(c.claimed_by + c.contradicted_by), *tail))
    return out


def write_knowledge_base(con: Any, kb: KnowledgeBase | None = None) -> dict[str, int]:
    """(Re)write every ``gov_`` table in the DuckDB connection ``con``; row counts per table.

    The knowledge base is validated before anything is written, so a broken file
    leaves the warehouse untouched.
    """
    base = kb if kb is not None else loader.load()
    data = rows(base)
    counts = {}
    for name, columns in TABLES.items():
        con.execute(f"DROP TABLE IF EXISTS {name}")
        con.execute(f"CREATE TABLE {name} ({columns}, {_TAIL})")
        if data[name]:
            _insert(con, name, data[name])
        counts[name] = len(data[name])
    return counts


def _insert(con: Any, name: str, records: list[tuple[Any, ...]]) -> None:
    """Insert rows column-wise through Arrow (row-by-row executemany is ~100x slower)."""
    import pyarrow as pa

    try:
        table = pa.table({f"c{i}": pa.array(column) for i, column in enumerate(zip(*records))})
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # a column mixing types: let DuckDB cast
        marks = ", ".join("?" * len(records[0]))
        con.executemany(f"INSERT INTO {name} VALUES ({marks})", records)
        return
    con.register("_gov_rows", table)
    try:
        con.execute(f"INSERT INTO {name} SELECT * FROM _gov_rows")
    finally:
        con.unregister("_gov_rows")
