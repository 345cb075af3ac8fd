"""Settings, read once from the environment and passed down."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_db() -> Path:
    return Path(platformdirs.user_data_dir("steppe")) / "steppe.duckdb"


def _default_cache() -> Path:
    return Path(platformdirs.user_cache_dir("steppe"))


class Settings(BaseSettings):
    """Where steppe keeps its warehouse, its download cache and local data copies.

    Environment variables: ``STEPPE_DB``, ``STEPPE_CACHE``, ``STEPPE_DATA``.
    """

    model_config = SettingsConfigDict(env_prefix="STEPPE_", extra="ignore")

    db: Path = Field(default_factory=_default_db, description="DuckDB warehouse file")
    cache: Path = Field(default_factory=_default_cache, description="download cache directory")
    data: Path | None = Field(default=None, description="folder with local copies of sources")

    @field_validator("db")
    @classmethod
    def _db_not_a_directory(cls, value: Path) -> Path:
        if value.is_dir():
            raise ValueError(f"STEPPE_DB={value} is a directory; give a file path such as {value}/steppe.duckdb")
        return value
