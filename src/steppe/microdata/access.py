"""API keys with roles, stored hashed, and the audit log of restricted queries.

A key looks like ``stp_<key_id>_<secret>``: the ``key_id`` (public, 8 hex digits)
finds the row, the 256-bit secret is checked against ``sha256(salt + secret)`` with a
constant-time comparison. Secrets are random, so a fast hash is enough; only the hash
is stored and the full key is shown once, when created. Keys and the audit log live in
one SQLite file (safe for concurrent appends from several API workers).

Roles: ``analyst`` may read record-level and unprotected tables; ``public`` keys (or
no key) see only protected aggregates.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from steppe.errors import InvalidOptionError

ROLES: tuple[str, ...] = ("analyst", "public")
_DDL = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_id     TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    salt       TEXT NOT NULL,
    key_hash   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS audit_log (
    at       TEXT NOT NULL,   -- UTC ISO timestamp
    key_id   TEXT,            -- NULL when no usable key was given
    name     TEXT,            -- key owner
    role     TEXT,
    action   TEXT NOT NULL,   -- endpoint or command, e.g. 'GET /records'
    query    TEXT NOT NULL,   -- parameters as JSON
    outcome  TEXT NOT NULL,   -- 'ok', 'denied: <why>'
    rows     INTEGER
);
"""


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's id, owner name and role."""

    key_id: str
    name: str
    role: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _digest(salt: str, secret: str) -> str:
    return hashlib.sha256((salt + secret).encode()).hexdigest()


class AccessStore:
    """Keys and audit log in the SQLite file ``path`` (created on first use)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.executescript(_DDL)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=30)
        try:
            with con:
                yield con
        finally:
            con.close()

    def add_key(self, name: str, role: str) -> str:
        """Create a key for ``name`` with ``role``; returns the full key (shown once)."""
        if role not in ROLES:
            raise InvalidOptionError("role", role, ROLES)
        key_id, secret, salt = secrets.token_hex(4), secrets.token_urlsafe(32), secrets.token_hex(16)
        with self._connect() as con:
            con.execute(
                "INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, ?, NULL)",
                (key_id, name, role, salt, _digest(salt, secret), _now()),
            )
        return f"stp_{key_id}_{secret}"

    def revoke(self, key_id: str) -> bool:
        """Revoke a key; returns False if no active key has that id."""
        with self._connect() as con:
            cur = con.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                (_now(), key_id),
            )
        return cur.rowcount == 1

    def list_keys(self) -> list[dict[str, Any]]:
        """Every key's id, owner, role and dates (never the hash)."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT key_id, name, role, created_at, revoked_at FROM api_keys ORDER BY created_at"
            ).fetchall()
        cols = ("key_id", "name", "role", "created_at", "revoked_at")
        return [dict(zip(cols, r, strict=True)) for r in rows]

    def authenticate(self, key: str | None) -> Principal | None:
        """The principal owning ``key``, or None if it is missing, malformed, wrong or revoked."""
        if not key or not key.startswith("stp_") or key.count("_") < 2:
            return None
        _, key_id, secret = key.split("_", 2)
        with self._connect() as con:
            row = con.execute(
                "SELECT name, role, salt, key_hash FROM api_keys WHERE key_id = ? AND revoked_at IS NULL",
                (key_id,),
            ).fetchone()
        if row is None or not hmac.compare_digest(_digest(row[2], secret), row[3]):
            return None
        return Principal(key_id, row[0], row[1])

    def record(
        self,
        who: Principal | None,
        action: str,
        query: dict[str, Any],
        outcome: str,
        rows: int | None = None,
    ) -> None:
        """Append one entry to the audit log."""
        with self._connect() as con:
            con.execute(
                "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _now(),
                    who.key_id if who else None,
                    who.name if who else None,
                    who.role if who else None,
                    action,
                    json.dumps(query, sort_keys=True, default=str),
                    outcome,
                    rows,
                ),
            )

    def log(self, limit: int = 100) -> list[dict[str, Any]]:
        """The latest ``limit`` audit entries, newest first."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT * FROM audit_log ORDER BY rowid DESC LIMIT ?", (limit,)
            ).fetchall()
        cols = ("at", "key_id", "name", "role", "action", "query", "outcome", "rows")
        return [dict(zip(cols, r, strict=True)) for r in rows]
