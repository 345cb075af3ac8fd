"""Response models of the analysis resources: scenarios, quality, flows, bilateral rows."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from steppe.api.schemas import Envelope


class ScenarioRow(BaseModel):
    """One corridor of a scenario, as ``steppe scenario --format json`` prints it."""

    origin: str
    destination: str
    year: int
    baseline: float = Field(description="predicted stock without the change (persons)")
    scenario: float = Field(description="predicted stock with the change (persons)")
    change: float = Field(description="scenario - baseline")
    lower: float = Field(description="lower bound of the change")
    upper: float = Field(description="upper bound of the change")


class ScenarioPage(Envelope):
    data: list[ScenarioRow]


class QualityReport(BaseModel):
    """The data-quality report of one area (``steppe quality``)."""

    area: str
    score: float | None = Field(description="0-100, higher is better")
    reasons: list[Any]
    checks: list[Any]
    releases: list[Any] = Field(default_factory=list)


class BilateralRow(BaseModel):
    """A corridor indicator (remittances, refugees) from ``bilateral_indicator``."""

    origin: str
    destination: str
    year: int | None = None
    indicator: str
    value: float | None = None
    unit: str | None = None
    release: str


class BilateralPage(Envelope):
    data: list[BilateralRow]


class FlowRow(BaseModel):
    """An estimated flow between two areas over a period (``steppe flows estimate``)."""

    run_id: str
    origin: str
    destination: str
    period_start: int | None = None
    period_end: int | None = None
    value: float | None = None
    lower: float | None = None
    upper: float | None = None
    method: str | None = None
    revision: str | None = None
    releases: list[str] = Field(default_factory=list)


class FlowPage(Envelope):
    data: list[FlowRow]
