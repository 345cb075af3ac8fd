"""The knowledge base in DuckDB tables prefixed gov_."""

from __future__ import annotations

import json

import duckdb

from steppe.governance import Engine
from steppe.governance.store import TABLES, write_knowledge_base


def test_write_and_rewrite(engine: Engine) -> None:
    con = duckdb.connect()
    first = write_knowledge_base(con, engine.kb)
    second = write_knowledge_base(con, engine.kb)
    assert first == second
    assert set(first) == set(TABLES)
    assert first["gov_memberships"] == len(engine.kb.memberships)
    assert first["gov_rules"] == len(engine.kb.rules)
    for table in TABLES:
        uncited = con.execute(f"SELECT count(*) FROM {table} WHERE cite IS NULL OR cite = '[]'").fetchone()
        assert uncited == (0,), table


def test_membership_query_matches_engine(engine: Engine) -> None:
    con = duckdb.connect()
    write_knowledge_base(con, engine.kb)
    row = con.execute(
        "SELECT status, start_date FROM gov_memberships WHERE org = 'EEU' AND country = 'KGZ'").fetchone()
    assert row is not None and row[0] == "member" and row[1].isoformat() == "2015-08-12"
    cite = json.loads(con.execute("SELECT cite FROM gov_rules WHERE id = 'eeu_no_work_permit'").fetchone()[0])
    assert cite[0]["article"] == "Art. 97(1)"
