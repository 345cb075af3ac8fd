"""Connecting the Ibis pipeline to DuckDB or to Spark (pyspark local mode or a cluster)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, Literal, get_args

import ibis

from steppe.errors import InvalidOptionError, SourceFileError
from steppe.microdata.codes import CodeTable

Backend = Literal["duckdb", "spark"]
BACKENDS: tuple[str, ...] = get_args(Backend)


def check_backend(name: str) -> Backend:
    """Return ``name`` if it is a known backend; raise :class:`InvalidOptionError` otherwise."""
    if name not in BACKENDS:
        raise InvalidOptionError("backend", name, BACKENDS)
    return name  # type: ignore[return-value]


def spark_session(master: str = "local[2]", shuffle_partitions: int = 4, **conf: str) -> Any:
    """A SparkSession for the pipeline (UI off, UTC dates, few shuffle partitions).

    Parameters
    ----------
    master : Spark master URL: ``local[N]`` on one machine, ``spark://host:7077`` or
        ``yarn`` on a cluster. Ignored when a session already exists.
    shuffle_partitions : ``spark.sql.shuffle.partitions``; raise it on a cluster.
    conf : further Spark settings, e.g. ``{"spark.executor.memory": "8g"}``.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise InvalidOptionError(
            "backend", "spark", "duckdb, or install the extra: pip install 'steppe[spark]'"
        ) from exc
    builder = (
        SparkSession.builder.appName("steppe-microdata")
        .master(master)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    for key, value in conf.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def connect(backend: str, *, threads: int | None = None, session: Any = None) -> ibis.BaseBackend:
    """An Ibis connection to ``backend``.

    Parameters
    ----------
    backend : ``duckdb`` or ``spark``.
    threads : DuckDB worker threads (default: all cores).
    session : an existing SparkSession (default: :func:`spark_session`).
    """
    if check_backend(backend) == "duckdb":
        con = ibis.duckdb.connect()
        if threads:
            con.raw_sql(f"SET threads = {int(threads)}")
        return con
    return ibis.pyspark.connect(session if session is not None else spark_session())


def read_registrations(con: ibis.BaseBackend, root: Path | str) -> ibis.Table:
    """The registrations under ``root`` (a synth/validate output folder or its
    ``registrations`` subfolder), as an Ibis table on ``con``. URLs such as
    ``hdfs://…`` or ``s3a://…`` are passed to the backend unchecked."""
    if "://" in str(root):
        url = str(root).rstrip("/")
        if con.name == "duckdb":
            return con.read_parquet(f"{url}/**/*.parquet", hive_partitioning=True)
        return con.read_parquet(url)
    root = Path(root)
    if (root / "registrations").is_dir():
        root = root / "registrations"
    if not root.is_dir() or not any(root.rglob("*.parquet")):
        raise SourceFileError(
            f"no Parquet files under {root}; create some with "
            "`steppe microdata synth --rows 100000 --out DIR` or `steppe microdata validate`.",
            path=root,
        )
    if con.name == "duckdb":
        return con.read_parquet(str(root / "**" / "*.parquet"), hive_partitioning=True)
    return con.read_parquet(str(root))


def read_codes(root: Path | str) -> CodeTable | None:
    """The code table of the registrations under ``root`` (``None``: text columns).

    For a URL (``hdfs://``, ``s3a://``) pass the code table yourself: it is only looked
    for on the local file system."""
    if "://" in str(root):
        return None
    root = Path(root)
    if (root / "registrations").is_dir():
        root = root / "registrations"
    return CodeTable.read(root)


def materialize(con: ibis.BaseBackend, expr: ibis.Table) -> ibis.Table:
    """Compute a small intermediate table once and keep it on the backend.

    DuckDB: a temporary table (dropped with the connection). Spark: ``Table.cache``.
    (Ibis 12's ``cache`` cannot drop its tables on DuckDB 2.0, hence the temp table.)
    """
    if con.name == "duckdb":
        return con.create_table(f"_steppe_{uuid.uuid4().hex}", expr, temp=True)
    return expr.cache()
