"""``/rights``, ``/memberships``, ``/agreements``: the dated rules engine (steppe.governance)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from steppe.api.deps import area_of
from steppe.api.errors import from_steppe_error
from steppe.api.responses import etag_for, not_modified, object_response
from steppe.api.routes._common import OBJECT
from steppe.api.schemas import RightsAnswer
from steppe.errors import SteppeError

router = APIRouter(tags=["rights"])
Country = Annotated[str, Query(min_length=1, max_length=100, description="ISO3, M49 code or name")]
Day = Annotated[str | None, Query(max_length=30, description="YYYY-MM-DD; default the review date")]
SOURCE = "steppe.governance knowledge base (dated, cited rules)"


def _engine() -> Any:
    from steppe import governance

    return governance, governance.default_engine()


def _call(parameter: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except SteppeError as exc:
        raise from_steppe_error(exc, parameter) from None


@router.get("/rights", response_model=RightsAnswer, responses=OBJECT)
def get_rights(request: Request, citizenship: Country, host: Country, on: Day = None) -> Response:
    """Entitlements of a ``citizenship`` national in ``host`` on a day, with the articles."""
    gov, engine = _engine()
    etag = etag_for(f"rules-{engine.kb.reviewed}", request)
    if (cached := not_modified(request, etag)) is not None:
        return cached
    cit = area_of(citizenship, "citizenship", countries_only=True).area_id
    hst = area_of(host, "host", countries_only=True).area_id
    answer = _call("on", gov.rights, cit, hst, on or engine.kb.reviewed, engine=engine)
    return object_response({**answer.to_json(engine), "sources": [SOURCE]}, etag)


@router.get("/memberships/{country}", responses=OBJECT)
def get_memberships(request: Request, country: str, on: Day = None) -> Response:
    """Status of a country in every organisation on a day, and its membership timeline."""
    gov, engine = _engine()
    etag = etag_for(f"rules-{engine.kb.reviewed}", request)
    if (cached := not_modified(request, etag)) is not None:
        return cached
    code = area_of(country, countries_only=True).area_id
    body = _call("on", gov.memberships_json, code, on or engine.kb.reviewed, engine=engine)
    body["timeline"] = [{"day": e.day.isoformat(), "subject": e.subject, "before": e.before,
                         "after": e.after} for e in gov.timeline(code, engine=engine)
                        if e.kind == "membership"]
    body["sources"] = [SOURCE]
    return object_response(body, etag)


@router.get("/agreements", responses=OBJECT)
def get_agreements(request: Request, a: Country, b: Country, on: Day = None) -> Response:
    """Agreements both countries had at least signed on a day."""
    gov, engine = _engine()
    etag = etag_for(f"rules-{engine.kb.reviewed}", request)
    if (cached := not_modified(request, etag)) is not None:
        return cached
    ca = area_of(a, "a", countries_only=True).area_id
    cb = area_of(b, "b", countries_only=True).area_id
    rows = _call("on", gov.agreements_between, ca, cb, on or engine.kb.reviewed, engine=engine)
    data = [{**r, "signed": r["signed"].isoformat() if r["signed"] else None} for r in rows]
    return object_response({"a": ca, "b": cb, "data": data, "sources": [SOURCE]}, etag)
