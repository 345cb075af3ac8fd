"""Read-only DuckDB connections that follow the warehouse across atomic swaps.

A writer session (:meth:`steppe.warehouse.Warehouse.writer`) builds the next
release on a copy and swaps it in with one ``os.replace``. The pool keeps one
read-only DuckDB instance per *generation* of the file (inode, mtime) and hands
each request a cursor on the instance that was current when the request began.
A request therefore sees the old file or the new one, never a half-loaded one:
the old inode stays readable (POSIX keeps unlinked files open) until its last
request ends, and only then is its instance closed.

DuckDB caches database instances by (real) path inside a process, so
``duckdb.connect(path)`` after a swap would return the *old* instance, symbolic
links included. Each generation is therefore an in-memory instance that ATTACHes
the file read-only (``USE wh``); attached files are not shared between instances.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from steppe.errors import NotLoadedError, WarehouseError
from steppe.warehouse import Warehouse


@dataclass
class _Generation:
    key: tuple[int, int]
    con: duckdb.DuckDBPyConnection
    fingerprint: str
    users: int = 0
    retired: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass(frozen=True)
class Snapshot:
    """A cursor on one generation and that generation's release fingerprint."""

    con: duckdb.DuckDBPyConnection
    fingerprint: str  #: sha256 over the loaded release ids: changes with every release


class ReaderPool:
    """Hands out read-only cursors on the current generation of a warehouse file.

    Parameters
    ----------
    warehouse
        The warehouse to read. It need not exist yet: requests fail with
        :class:`NotLoadedError` until the first ingest creates it.
    """

    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse
        self._current: _Generation | None = None
        self._lock = threading.Lock()

    def _open(self, key: tuple[int, int]) -> _Generation:
        link = self.warehouse.path.resolve()
        try:
            con = duckdb.connect(":memory:")
            con.execute(f"ATTACH '{_quoted(link)}' AS wh (READ_ONLY)")
            con.execute("USE wh")
        except duckdb.Error as exc:
            raise WarehouseError(f"cannot open {self.warehouse.path} for reading: {exc}",
                                 path=self.warehouse.path) from exc
        rows = con.execute("SELECT release_id FROM releases ORDER BY release_id").fetchall() \
            if _has_table(con, "releases") else []
        digest = hashlib.sha256("\n".join(r[0] for r in rows).encode()).hexdigest()[:20]
        return _Generation(key, con, digest)

    def _acquire(self) -> _Generation:
        if not self.warehouse.exists():
            raise NotLoadedError(f"the warehouse {self.warehouse.path}")
        key = self.warehouse.generation()
        with self._lock:
            gen = self._current
            if gen is None or gen.key != key:
                fresh = self._open(key)
                if gen is not None:
                    gen.retired = True
                    self._maybe_close(gen)
                self._current = gen = fresh
            gen.users += 1
            return gen

    def _maybe_close(self, gen: _Generation) -> None:
        if gen.retired and gen.users == 0:
            gen.con.close()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """A cursor on the current generation, valid for the ``with`` block."""
        gen = self._acquire()
        cursor = gen.con.cursor()
        cursor.execute("USE wh")
        try:
            yield Snapshot(cursor, gen.fingerprint)
        finally:
            cursor.close()
            with self._lock:
                gen.users -= 1
                self._maybe_close(gen)

    def close(self) -> None:
        """Close the current instance once idle (the pool stays usable: it reopens)."""
        with self._lock:
            if self._current is not None:
                self._current.retired = True
                if self._current.users == 0:
                    self._maybe_close(self._current)
            self._current = None


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                      [name]).fetchone()
    return bool(row and row[0])
