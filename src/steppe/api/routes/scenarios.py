"""``/scenarios``: gravity-model scenarios (:mod:`steppe.gravity`), as ``steppe scenario``.

Fitting the PPML model takes seconds (about 15 s on the full UN DESA 2020 panel on
two cores, well under a second on ``subset=central_asia``), so each answer is kept
per release fingerprint: the same scenario is fitted once per loaded set of
releases, and concurrent identical requests wait for that one fit.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from steppe.api.deps import Cache, Format, Limit, Offset, Reader, Sort, area_of
from steppe.api.errors import bad_parameter
from steppe.api.responses import Rows, etag_for, not_modified, page_response
from steppe.api.routes._common import TABULAR
from steppe.api.schemas_analysis import ScenarioPage, ScenarioRow
from steppe.errors import InvalidOptionError

router = APIRouter(tags=["scenarios"])
ORGS = ("EEU", "CIS")


@router.get("/scenarios", response_model=ScenarioPage, responses=TABULAR)
def get_scenario(
    request: Request, snap: Reader, cache: Cache,
    join: Annotated[list[str], Query(max_length=20, description=(
        "COUNTRY:ORG joins, e.g. UZB:EEU (repeat); ORG is EEU or CIS"))] = [],  # noqa: B006
    gdp: Annotated[list[str], Query(max_length=20, description=(
        "COUNTRY:PERCENT change of GDP per capita, e.g. RUS:-10 (repeat)"))] = [],  # noqa: B006
    start: Annotated[int, Query(alias="from", ge=1990, le=2100,
                                description="first year of the change")] = 2020,
    subset: Annotated[str, Query(pattern="^(all|central_asia)$",
                                 description="corridors the model is fitted on")] = "all",
    level: Annotated[float, Query(gt=0.5, lt=1.0, description="confidence level")] = 0.95,
    sort: Sort = None, limit: Limit = 1000, offset: Offset = 0, format: Format = "json",
) -> Response:
    """Predicted change of migrant stocks by corridor under a scenario, with intervals.

    The rows are those of ``steppe scenario --format json``: origin, destination, year,
    baseline, scenario, change, lower, upper (persons; lower/upper bound the change).
    The first request for a scenario fits the model (seconds); later ones, until the
    next release is loaded, come from memory.
    """
    etag = etag_for(snap.fingerprint, request)
    if (cached := not_modified(request, etag)) is not None:
        return cached
    if not join and not gdp:
        raise bad_parameter("join", "give at least one change: join=COUNTRY:ORG (e.g. UZB:EEU) "
                            "or gdp=COUNTRY:PERCENT (e.g. RUS:-10).")
    join = [_checked("join", text) for text in join]
    gdp = [_checked("gdp", text) for text in gdp]
    key = (snap.fingerprint, f"scenario|{sorted(join)}|{sorted(gdp)}|{start}|{subset}|{level}")
    # RowCache is single-flight: concurrent identical requests wait for this one fit
    rows = cache.get_or_build(key, lambda: _fit(request, join, gdp, start, subset, level))
    return page_response(request, snap.con, rows, etag=etag, fmt=format, limit=limit,
                         offset=offset, sort=sort, sortable=ScenarioRow.model_fields)


def _checked(name: str, text: str) -> str:
    """``COUNTRY:ORG`` or ``COUNTRY:PERCENT`` checked before any fitting, normalised."""
    left, sep, right = text.partition(":")
    if not sep or not left.strip() or not right.strip():
        raise bad_parameter(name, f"{text!r} is not COUNTRY:VALUE; e.g. join=UZB:EEU or "
                            "gdp=RUS:-10.")
    country = area_of(left.strip(), name, countries_only=True).area_id
    if name == "join":
        if right.strip().upper() not in ORGS:
            raise bad_parameter(name, f"{text!r}: a country can join {' or '.join(ORGS)}; "
                                "e.g. join=UZB:EEU.")
        return f"{country}:{right.strip().upper()}"
    try:
        percent = float(right)
    except ValueError:
        percent = float("nan")
    if not -100 < percent <= 1000:
        raise bad_parameter(name, f"{text!r}: the change is a percentage above -100 and at "
                            "most 1000, e.g. gdp=RUS:-10.")
    return f"{country}:{percent:g}"


def _fit(request: Request, join: list[str], gdp: list[str], start: int, subset: str,
         level: float) -> Rows:
    from steppe.gravity.service import scenario_from_warehouse

    try:
        result: dict[str, Any] = scenario_from_warehouse(
            request.app.state.pool.warehouse, joins=join, gdp=gdp, start_year=start,
            subset=subset, level=level)
    except InvalidOptionError as exc:
        raise bad_parameter("gdp" if "gdp" in str(exc) else "join", str(exc)) from None
    model = result["model"]
    return Rows(result["corridors"], releases=list(model.get("sources", [])),
                sources=[(f"{result['scenario']}; PPML with {model['fixed_effects']} fixed "
                          "effects (steppe.gravity; see docs/gravity.md)")])
