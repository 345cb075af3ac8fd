"""The provenance-tracked warehouse on embedded DuckDB."""

from steppe.warehouse.store import Warehouse, fetch_records, migrate, schema_version

__all__ = ["Warehouse", "fetch_records", "migrate", "schema_version"]
