"""Keys are stored hashed; roles are checked; the audit log keeps who, when, what."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from steppe.errors import InvalidOptionError
from steppe.microdata.access import AccessStore


def test_keys_are_hashed_and_verified(tmp_path: Path) -> None:
    store = AccessStore(tmp_path / "a.sqlite")
    key = store.add_key("alice", "analyst")
    _, key_id, secret = key.split("_", 2)
    raw = (tmp_path / "a.sqlite").read_bytes()
    assert secret.encode() not in raw and key.encode() not in raw
    with sqlite3.connect(tmp_path / "a.sqlite") as con:
        (stored,) = con.execute("SELECT key_hash FROM api_keys").fetchone()
    assert len(stored) == 64 and secret not in stored
    who = store.authenticate(key)
    assert who is not None and (who.key_id, who.name, who.role) == (key_id, "alice", "analyst")
    assert store.authenticate(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    assert store.authenticate(None) is None and store.authenticate("garbage") is None
    assert [k["key_id"] for k in store.list_keys()] == [key_id]
    assert "key_hash" not in store.list_keys()[0]


def test_unknown_role(tmp_path: Path) -> None:
    with pytest.raises(InvalidOptionError, match="analyst"):
        AccessStore(tmp_path / "a.sqlite").add_key("x", "admin")


def test_audit_log_records_who_when_what(tmp_path: Path) -> None:
    store = AccessStore(tmp_path / "a.sqlite")
    who = store.authenticate(store.add_key("alice", "analyst"))
    store.record(who, "GET /records", {"citizenship": "TJK"}, "ok", 12)
    store.record(None, "GET /records", {}, "denied: missing or invalid key")
    last, first = store.log()
    assert first["name"] == "alice" and first["rows"] == 12 and first["query"] == '{"citizenship": "TJK"}'
    assert last["key_id"] is None and last["outcome"].startswith("denied")
