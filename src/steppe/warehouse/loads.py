"""Loading a source file into the warehouse: atomic, idempotent, recorded.

A release is one file's bytes of one dataset edition (``dataset``, ``sha256``).
Loading the same bytes again adds nothing. Each load runs in one transaction
inside a writer session: on any error it is rolled back, a ``failed`` row is
written to ``load_runs`` with the message, and the error is raised again.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from steppe import __version__
from steppe.errors import SourceFileError
from steppe.sources.base import KnownFile, Parsed, Source, sha256_of
from steppe.sources.un_desa_codes import SEX_CODE


@dataclass(frozen=True)
class LoadResult:
    """What one file's load did."""

    dataset: str
    edition: str
    file_name: str
    release_id: str
    status: str  #: 'loaded' | 'already-loaded'
    rows: int
    counts: dict[str, int]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def release_id_for(dataset: str, edition: str, sha256: str) -> str:
    """The stable id of a release: ``<dataset>@<edition>#<first 12 hex of sha256>``."""
    return f"{dataset}@{edition}#{sha256[:12]}"


def load_file(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    path: Path,
    known: KnownFile | None = None,
    *,
    sha256: str | None = None,
    parse: Callable[[], Parsed] | None = None,
) -> LoadResult:
    """Parse ``path`` with ``source`` and load it in one transaction.

    ``con`` is a writer-session connection (:meth:`Warehouse.writer`). ``parse``, when
    given, returns the parsed file (e.g. from a parse started earlier in a thread); it is
    called only when the release is not loaded yet.
    """
    path = Path(path)
    if not path.is_file():
        raise SourceFileError(
            f"{path} does not exist or is not a file. Check the path, or run "
            "`steppe ingest --from ../shared/data` to load every file found there.",
            path=path,
            source_id=source.info.id,
        )
    digest = sha256 or sha256_of(path)
    known = known or source.recognise(path, digest)
    if known is None:
        raise SourceFileError(
            f"{path.name} is not a known file of {source.info.id}; expected one of: "
            + ", ".join(sorted({k.file_name for k in source.info.files})),
            path=path,
            source_id=source.info.id,
        )
    release_id = release_id_for(source.info.id, known.edition, digest)
    existing = con.execute(
        "SELECT release_id FROM releases WHERE dataset = ? AND sha256 = ?", [source.info.id, digest]
    ).fetchone()
    if existing:
        rows = con.execute(
            "SELECT coalesce(sum(rows), 0) FROM load_runs WHERE release_id = ? AND status = 'loaded'",
            [existing[0]],
        ).fetchone()
        return LoadResult(source.info.id, known.edition, path.name, existing[0], "already-loaded",
                          int(rows[0]) if rows else 0, {})

    load_id = uuid.uuid4().hex
    started = _now()
    try:
        parsed = parse() if parse is not None else source.read(path, known)
        problems = source.validate(parsed)
        if problems:
            raise SourceFileError(
                f"{path.name} failed validation for {source.info.id}: " + "; ".join(problems),
                path=path,
                source_id=source.info.id,
            )
        con.execute("BEGIN TRANSACTION")
        try:
            _write_release(con, source, path, known, digest, release_id)
            load_key = new_load_key(con, load_id, release_id)
            for table, rows in parsed.tables.items():
                _append(con, table, rows, release_id, load_id, load_key)
            con.execute(
                "INSERT INTO load_runs VALUES (?, ?, ?, ?, ?, ?, ?, 'loaded', ?)",
                [load_id, release_id, source.info.id, path.name, started, _now(), parsed.rows,
                 json.dumps(parsed.counts, sort_keys=True)],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    except Exception as exc:
        con.execute(
            "INSERT INTO load_runs VALUES (?, NULL, ?, ?, ?, ?, 0, 'failed', ?)",
            [load_id, source.info.id, path.name, started, _now(), str(exc)],
        )
        raise
    return LoadResult(source.info.id, known.edition, path.name, release_id, "loaded",
                      parsed.rows, parsed.counts)


def _write_release(con: duckdb.DuckDBPyConnection, source: Source, path: Path, known: KnownFile,
                   digest: str, release_id: str) -> None:
    info = source.info
    con.execute(
        "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?)",
        [info.id, info.publisher, info.title, info.licence, info.url, info.citation],
    )
    retrieved = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
    con.execute(
        "INSERT INTO releases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [release_id, info.id, known.edition, path.name, digest, path.stat().st_size, retrieved,
         known.url, _now(), __version__],
    )


_ROW_GROUP = 122_880  # DuckDB's row-group size
_PROVENANCE = ("release_id", "load_id", "load_key")


def new_load_key(con: duckdb.DuckDBPyConnection, load_id: str, release_id: str) -> int:
    """Register a load in ``fact_loads``; its key goes on the compact fact rows it writes."""
    row = con.execute("INSERT INTO fact_loads SELECT coalesce(max(load_key), 0) + 1, ?, ? "
                      "FROM fact_loads RETURNING load_key", [load_id, release_id]).fetchone()
    return int(row[0])


def _append(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table, release_id: str,
            load_id: str, load_key: int) -> None:
    columns = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall()]
    data_columns = [c for c in columns if c not in _PROVENANCE]
    missing = set(data_columns) - set(rows.column_names)
    if missing:
        raise SourceFileError(f"the parser gave no column(s) {sorted(missing)} for table {table}")
    provenance = {"release_id": release_id, "load_id": load_id, "load_key": load_key}
    # DuckDB scans an Arrow table in parallel by record batch: slices of one row group each
    # (zero-copy) let both cores insert; one big batch is scanned by a single thread
    rows = rows.select(data_columns)
    rows = pa.Table.from_batches(rows.to_batches(max_chunksize=_ROW_GROUP), schema=rows.schema)
    con.register("_incoming", rows)
    try:
        names = [c for c in columns if c in provenance]
        con.execute(f"INSERT INTO {table} ({', '.join(data_columns + names)}) "
                    f"SELECT *, {', '.join('?' for _ in names)} FROM _incoming",
                    [provenance[n] for n in names])
    finally:
        con.unregister("_incoming")


def append_stock_rows(con: duckdb.DuckDBPyConnection, rows: object, release_id: str,
                      load_id: str) -> int:
    """Append bilateral stock rows given with area ids and sex names; returns the row count.

    ``rows`` is anything DuckDB scans (a pandas DataFrame, an Arrow table) with columns
    ``year, origin, destination, sex, value``. Every area id must be in ``areas``.
    """
    con.register("_stock_rows", rows)
    con.register("_sexes", pa.table({"name": list(SEX_CODE), "code": pa.array(
        list(SEX_CODE.values()), pa.uint8())}))
    try:
        unknown = [r[0] for r in con.execute(
            "SELECT DISTINCT id FROM (SELECT origin AS id FROM _stock_rows UNION "
            "SELECT destination FROM _stock_rows) WHERE id NOT IN (SELECT area_id FROM areas) "
            "ORDER BY id").fetchall()]
        if unknown:
            raise SourceFileError(f"unknown area ids in stock rows: {unknown}; use the ids of "
                                  "steppe.areas (ISO3, M49:<code>, OTHER)")
        load_key = new_load_key(con, load_id, release_id)
        con.execute("""
            INSERT INTO migrant_stock_facts
            SELECT s.year, o.m49, d.m49, x.code, s.value, ?
            FROM _stock_rows s JOIN areas o ON o.area_id = s.origin
            JOIN areas d ON d.area_id = s.destination LEFT JOIN _sexes x ON x.name = s.sex
        """, [load_key])
        return len(rows)  # type: ignore[arg-type]
    finally:
        con.unregister("_stock_rows")
        con.unregister("_sexes")


def latest_release(con: duckdb.DuckDBPyConnection, dataset: str, edition: str | None = None) -> str | None:
    """The release a query reads by default: the newest edition, then the newest load."""
    where = "dataset = ?" + (" AND edition = ?" if edition else "")
    params = [dataset] + ([edition] if edition else [])
    row = con.execute(
        f"SELECT release_id FROM releases WHERE {where} ORDER BY edition DESC, loaded_at DESC LIMIT 1",
        params,
    ).fetchone()
    return row[0] if row else None
