"""Administrative microdata at scale: record schemas and validation, a synthetic
generator, the Ibis aggregation pipeline (DuckDB or Spark), statistical disclosure
control and access control. See docs/microdata.md."""
