"""Response models of the API (they document the OpenAPI schema)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Sex = Literal["total", "male", "female"]
Lang = Literal["en", "ru", "kk"]
Fmt = Literal["json", "csv", "parquet"]


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict[str, str]] | None = Field(
        default=None, description="one entry per offending parameter: pointer and detail")


class ReleaseRef(BaseModel):
    """A release a response was computed from, with its citation and licence."""

    release_id: str
    dataset: str
    edition: str
    title: str | None = None
    publisher: str | None = None
    licence: str | None = None
    citation: str | None = None
    url: str | None = None


class Envelope(BaseModel):
    """Common fields of every list response."""

    releases: list[ReleaseRef] = Field(description="the releases the rows come from")
    sources: list[str] = Field(default_factory=list, description="non-warehouse sources used")
    total: int = Field(description="rows matching the filters, before pagination")
    limit: int
    offset: int
    next: str | None = Field(default=None, description="URL of the next page, if any")


class Area(BaseModel):
    area_id: str
    m49: int | None
    iso3: str | None
    iso2: str | None
    kind: str
    name: str = Field(description="name in the requested language")
    name_en: str
    name_ru: str | None
    name_kk: str | None


class AreaPage(Envelope):
    data: list[Area]


class Release(BaseModel):
    release_id: str
    dataset: str
    edition: str
    file_name: str
    sha256: str
    size_bytes: int
    retrieved_at: str
    loaded_at: str
    url: str


class ReleasePage(Envelope):
    data: list[Release]


class Source(BaseModel):
    dataset: str
    publisher: str
    title: str
    licence: str
    url: str
    citation: str
    releases: list[str]


class SourcePage(Envelope):
    data: list[Source]


class Reference(BaseModel):
    year: int
    value: float
    release: str


class StockRow(BaseModel):
    origin: str
    destination: str
    year: int
    sex: Sex
    value: float
    release: str
    revisions: dict[str, float | None] = Field(
        description="the same corridor, year and sex in every loaded UN DESA revision")
    reference: Reference | None = None


class StockPage(Envelope):
    data: list[StockRow]


class IndicatorRow(BaseModel):
    area: str
    year: int
    indicator: str
    sex: str
    value: float
    unit: str
    release: str


class IndicatorPage(Envelope):
    data: list[IndicatorRow]


class Section(BaseModel):
    """One section of a country profile; ``status`` is ``ok`` or ``not_loaded``."""

    status: Literal["ok", "not_loaded"]
    message: str | None = None
    data: Any = None


class Profile(BaseModel):
    area: Area
    lang: Lang
    sections: dict[str, Section]
    releases: list[ReleaseRef]


class Corridor(BaseModel):
    a: Area
    b: Area
    sections: dict[str, Section]
    releases: list[ReleaseRef]


class RightsAnswer(BaseModel):
    citizenship: str
    host: str
    on: str
    entitlements: dict[str, Any]
    sources: list[str]
