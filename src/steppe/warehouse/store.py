"""The DuckDB warehouse file: opening it, migrating it, and atomic writer sessions.

Readers open the file read-only. Writers never touch the live file: a writer
session copies it, works on the copy and, only when everything succeeded, swaps
the copy in with one atomic rename. So a failed or interrupted load leaves the
warehouse exactly as it was, and a server reading the file keeps answering from
the old release until the new one is complete.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from steppe.errors import NotLoadedError, WarehouseError, WarehouseLockedError
from steppe.warehouse.schema import MIGRATIONS, SCHEMA_VERSION

_DUCKDB_MAGIC = b"DUCK"


class Warehouse:
    """One DuckDB warehouse file.

    Parameters
    ----------
    path
        The ``.duckdb`` file. Created, with its folder, by the first writer session.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path).expanduser()
        self._lock_path = self.path.with_name(self.path.name + ".lock")
        self._next_path = self.path.with_name(self.path.name + ".next")

    # -- checks ---------------------------------------------------------------
    def exists(self) -> bool:
        """Whether the warehouse file has been created."""
        return self.path.is_file()

    def _check_is_duckdb(self, path: Path) -> None:
        if not path.is_file():
            return
        with path.open("rb") as handle:
            header = handle.read(16)
        if len(header) < 12 or header[8:12] != _DUCKDB_MAGIC:
            raise WarehouseError(
                f"{path} is not a DuckDB database file. Point --db (or STEPPE_DB) at a "
                "steppe warehouse, or at a path that does not exist yet to create one.",
                path=path,
            )

    def generation(self) -> tuple[int, int]:
        """(inode, mtime) of the live file: changes whenever a writer swaps in a copy."""
        stat = self.path.stat()
        return stat.st_ino, stat.st_mtime_ns

    # -- sessions -------------------------------------------------------------
    @contextlib.contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection on the live file."""
        if not self.exists():
            raise NotLoadedError(f"the warehouse {self.path}")
        self._check_is_duckdb(self.path)
        try:
            con = duckdb.connect(str(self.path), read_only=True)
        except duckdb.IOException as exc:
            raise WarehouseError(
                f"cannot open {self.path} for reading: {exc}. Another program may hold it "
                "open for writing; steppe's own writers never do.",
                path=self.path,
            ) from exc
        try:
            yield con
        finally:
            con.close()

    @contextlib.contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """An exclusive writer session, swapped in atomically when it ends without error.

        Raises
        ------
        WarehouseLockedError
            Another steppe process holds the writer lock.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._check_is_duckdb(self.path)
        lock = self._lock_path.open("a+")
        try:
            try:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise WarehouseLockedError(
                    f"the warehouse {self.path} is being written by another process "
                    f"(lock file {self._lock_path}). Wait for that load to finish and try again.",
                    path=self.path,
                ) from None
            self._next_path.unlink(missing_ok=True)
            if self.exists():
                shutil.copyfile(self.path, self._next_path)
            try:
                con = duckdb.connect(str(self._next_path))
            except duckdb.Error as exc:
                self._next_path.unlink(missing_ok=True)
                raise WarehouseError(f"cannot open {self.path}: {exc}", path=self.path) from exc
            try:
                migrate(con)
                yield con
                con.execute("CHECKPOINT")
            except BaseException:
                con.close()
                self._next_path.unlink(missing_ok=True)
                raise
            con.close()
            os.replace(self._next_path, self.path)
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
            lock.close()


def fetch_records(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The rows of an executed query as dicts keyed by column name."""
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of an open warehouse (0 for an empty file)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the schema forward to :data:`SCHEMA_VERSION`; returns the version reached."""
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise WarehouseError(
            f"the warehouse has schema version {current}, newer than this steppe "
            f"({SCHEMA_VERSION}); upgrade steppe."
        )
    if current == 0:
        con.execute("CREATE TABLE schema_version (version INTEGER, applied_at TIMESTAMP)")
    else:  # before the migrations: migration 4 maps stored area ids to the areas' M49 codes
        con.execute("BEGIN")
        _sync_areas(con)
        con.execute("COMMIT")
    for version in range(current + 1, SCHEMA_VERSION + 1):
        con.execute("BEGIN")
        con.execute(MIGRATIONS[version - 1])
        if version == 1:
            _sync_areas(con)
        con.execute(
            "INSERT INTO schema_version VALUES (?, ?)", [version, datetime.now(UTC).replace(tzinfo=None)]
        )
        con.execute("COMMIT")
    return SCHEMA_VERSION


def _sync_areas(con: duckdb.DuckDBPyConnection) -> None:
    """Make ``areas`` and ``area_groups`` hold this steppe's area registry.

    Areas are only added or updated, never removed, so rows loaded by an older steppe
    keep their area.
    """
    import pyarrow as pa

    from steppe.areas.registry import registry

    table = registry()
    fields = ("area_id", "m49", "iso3", "kind", "name_en", "name_ru", "name_kk")
    areas = pa.table({f: [getattr(a, f) for a in table.areas] for f in fields})
    groups = pa.table({"group_id": [g for g, m in table.groups.items() for _ in m],
                       "area_id": [a for m in table.groups.values() for a in m]})
    con.register("_areas", areas)
    con.register("_groups", groups)
    con.execute("INSERT OR REPLACE INTO areas SELECT * FROM _areas")
    con.execute("DELETE FROM area_groups")
    con.execute("INSERT INTO area_groups SELECT * FROM _groups")
    con.unregister("_areas")
    con.unregister("_groups")
