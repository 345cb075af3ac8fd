"""The provenance-tracked warehouse on embedded DuckDB."""

from steppe.warehouse.store import Warehouse, migrate, schema_version

__all__ = ["Warehouse", "migrate", "schema_version"]
