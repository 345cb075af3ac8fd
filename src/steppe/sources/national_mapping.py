"""Declarative mapping files for national administrative tables (YAML, validated by pydantic).

A mapping says which sheet, header rows, data rows and columns of a published table
hold which indicator, in which unit, for which year, and which side of the corridor
the row label (a country name, often in Russian) is. See
``src/steppe/sources/mappings/*.yaml`` for shipped examples. Every problem in a
mapping is reported with the mapping file and the field (``values[2].unit``).

Users add their own mappings either per file (``steppe ingest national_tables --from
TABLE.xlsx --mapping MAPPING.yaml``) or by putting them in a folder named by the
environment variable ``STEPPE_MAPPINGS`` (several folders separated by ``os.pathsep``),
searched besides the shipped folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from steppe.errors import SourceFileError

#: accepted units and their factor to the stored unit
UNITS: dict[str, tuple[str, float]] = {
    "persons": ("persons", 1.0),
    "thousand_persons": ("persons", 1000.0),
    "usd": ("usd", 1.0),
    "million_usd": ("usd", 1e6),
}
Unit = Literal["persons", "thousand_persons", "usd", "million_usd"]


class ValueColumn(BaseModel):
    """One column of values: which indicator and year it holds."""

    model_config = ConfigDict(extra="forbid")

    column: str  #: a column letter ('C') or the flattened header label ('2022 / Прибыло')
    indicator: str = Field(pattern=r"^[a-z][a-z0-9_]*$")  #: steppe indicator name
    year: int = Field(ge=1900, le=2100)
    partner: Literal["origin", "destination"]  #: the row's country is this side
    unit: Unit | None = None  #: defaults to the mapping's unit


class TableMapping(BaseModel):
    """How to read one published national table."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    publisher: str
    url: str
    citation: str
    licence: str = "as published by the national authority"
    file_name: str  #: the file name this mapping applies to
    sha256: str | None = None
    edition: str
    sheet: str | None = None  #: None for CSV files
    csv_delimiter: str = ","
    encoding: str = "utf-8-sig"
    header_rows: list[int] = Field(min_length=1)  #: 1-based rows of the (merged) header
    data_start: int = Field(ge=1)  #: first data row, 1-based
    area_column: str  #: letter or header label of the country-name column
    reporter: str  #: the country publishing the table (ISO3 or name)
    unit: Unit
    values: list[ValueColumn] = Field(min_length=1)
    skip_labels: list[str] = []  #: totals and groupings in the row labels
    footnote_markers: list[str] = ["*", "Примечание", "Источник", "Note", "Source", "1)", "2)"]
    #: cells meaning "no data" (CIS statistical convention: 'н/д', '…'; 'х' = not applicable)
    missing_markers: list[str] = ["н/д", "нет данных", "…", "...", "..", "х", "x"]
    #: cells meaning "none" (Rosstat/BNS convention: a dash is a zero, not a gap)
    zero_markers: list[str] = ["-", "–", "—"]

    @field_validator("header_rows")
    @classmethod
    def _ascending(cls, rows: list[int]) -> list[int]:
        if rows != sorted(set(rows)) or rows[0] < 1:
            raise ValueError("header rows must be distinct 1-based row numbers in order")
        return rows


def load_mapping(path: Path) -> TableMapping:
    """Read and validate one mapping file.

    Raises
    ------
    SourceFileError
        Unreadable YAML or invalid fields; the message names the file and each field.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SourceFileError(f"mapping {path.name} cannot be read: {exc}", path=path) from exc
    try:
        mapping = TableMapping.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{_where(err['loc'])}: {err['msg']}"
            + (f" (got {err['input']!r})" if err["type"] != "missing" else "")
            for err in exc.errors())
        raise SourceFileError(f"mapping {path.name} is invalid: {problems}", path=path) from None
    if mapping.data_start <= mapping.header_rows[-1]:
        raise SourceFileError(f"mapping {path.name} is invalid: data_start ({mapping.data_start})"
                              f" must come after the header rows {mapping.header_rows}", path=path)
    return mapping


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "mapping"


SHIPPED = Path(__file__).with_name("mappings")
ENV_VAR = "STEPPE_MAPPINGS"


def shipped_mappings() -> list[Path]:
    """The mapping files shipped with steppe."""
    return sorted(SHIPPED.glob("*.yaml"))


def mapping_folders() -> tuple[Path, ...]:
    """The shipped folder, then every folder listed in ``STEPPE_MAPPINGS``.

    Raises
    ------
    SourceFileError
        A folder named in ``STEPPE_MAPPINGS`` does not exist.
    """
    extra = [Path(p).expanduser() for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p]
    for folder in extra:
        if not folder.is_dir():
            raise SourceFileError(f"{ENV_VAR} names {folder}, which is not a folder; create it or "
                                  f"fix {ENV_VAR} (folders separated by {os.pathsep!r})",
                                  path=folder)
    return (SHIPPED, *extra)


def mapping_files(folders: tuple[Path, ...] | None = None) -> list[Path]:
    """Every ``*.yaml``/``*.yml`` mapping file in ``folders`` (default :func:`mapping_folders`)."""
    return [p for folder in (folders or mapping_folders())
            for p in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])]


@dataclass(frozen=True)
class MappingProblem:
    """A mapping file that cannot be used, why, and the table file name it names (if any)."""

    path: Path
    error: SourceFileError
    file_name: str | None


def collect_mappings(paths: list[Path]) -> tuple[dict[str, TableMapping], list[MappingProblem]]:
    """The valid mappings by id, and a problem for each invalid or duplicated-id file."""
    found: dict[str, tuple[Path, TableMapping]] = {}
    problems: list[MappingProblem] = []
    for path in paths:
        try:
            mapping = load_mapping(path)
        except SourceFileError as exc:
            problems.append(MappingProblem(path, exc, _raw_file_name(path)))
            continue
        if mapping.id in found:
            error = SourceFileError(f"mappings {found[mapping.id][0]} and {path} both have id "
                                    f"{mapping.id!r}; give the user mapping another id", path=path)
            problems.append(MappingProblem(path, error, mapping.file_name))
            continue
        found[mapping.id] = (path, mapping)
    return {key: m for key, (_, m) in found.items()}, problems


def load_mappings(paths: list[Path]) -> dict[str, TableMapping]:
    """Validate every mapping file, by id.

    Raises
    ------
    SourceFileError
        An invalid file (see :func:`load_mapping`) or two files with the same ``id``.
    """
    mappings, problems = collect_mappings(paths)
    if problems:
        raise problems[0].error
    return mappings


def _raw_file_name(path: Path) -> str | None:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    name = data.get("file_name") if isinstance(data, dict) else None
    return str(name) if name else None
