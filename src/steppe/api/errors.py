"""RFC 9457 problem details: one JSON shape for every error, mapped in one place.

Invalid parameters are 4xx with a ``pointer`` at the offending parameter, never 500.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from steppe.errors import (
    InvalidOptionError,
    NotLoadedError,
    SteppeError,
    UnknownAreaError,
    WarehouseError,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://steppe.example/problems/"


class ApiProblem(Exception):
    """An error answered as a problem document."""

    def __init__(self, status: int, title: str, detail: str, *, slug: str = "",
                 errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail
        self.slug = slug or title.lower().replace(" ", "-")
        self.errors = errors or []


def bad_parameter(name: str, detail: str) -> ApiProblem:
    """A 422 problem pointing at one query or path parameter."""
    return ApiProblem(422, "Invalid parameter", detail, slug="invalid-parameter",
                      errors=[{"pointer": f"#/{name}", "detail": detail}])


def from_steppe_error(exc: SteppeError, parameter: str | None = None) -> ApiProblem:
    """The problem a domain error becomes (status chosen here, and only here)."""
    if isinstance(exc, UnknownAreaError):
        if parameter is None:
            return ApiProblem(404, "Unknown area", str(exc), slug="unknown-area")
        return bad_parameter(parameter, str(exc))
    if isinstance(exc, InvalidOptionError):
        return bad_parameter(parameter or exc.name.lstrip("-"), str(exc))
    if isinstance(exc, NotLoadedError):
        return ApiProblem(404, "Not loaded", f"{exc} (not loaded yet: run `steppe ingest`)",
                          slug="not-loaded")
    if isinstance(exc, WarehouseError):
        return ApiProblem(503, "Warehouse unavailable", str(exc), slug="warehouse-unavailable")
    if isinstance(exc, (ValueError, LookupError)):
        return ApiProblem(422, "Invalid request", str(exc), slug="invalid-request")
    return ApiProblem(500, "Internal error", str(exc), slug="internal-error")


def problem_response(problem: ApiProblem, instance: str) -> JSONResponse:
    body: dict[str, Any] = {"type": TYPE_BASE + problem.slug, "title": problem.title,
                            "status": problem.status, "detail": problem.detail,
                            "instance": instance}
    if problem.errors:
        body["errors"] = problem.errors
    return JSONResponse(body, status_code=problem.status, media_type=PROBLEM_MEDIA_TYPE)


def install(app: FastAPI) -> None:
    """Register the exception handlers of the API on ``app``."""

    @app.exception_handler(ApiProblem)
    async def _problem(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem_response(exc, request.url.path)

    @app.exception_handler(SteppeError)
    async def _steppe(request: Request, exc: SteppeError) -> JSONResponse:
        return problem_response(from_steppe_error(exc), request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body")]
            errors.append({"pointer": "#/" + "/".join(loc), "detail": str(err.get("msg", ""))})
        detail = "; ".join(f"{e['pointer'][2:] or 'request'}: {e['detail']}" for e in errors)
        return problem_response(ApiProblem(422, "Invalid parameter", detail,
                                           slug="invalid-parameter", errors=errors),
                                request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = {401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
                 406: "Not acceptable"}.get(
            exc.status_code, "HTTP error")
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no resource at {request.url.path}; see /api/v1/docs for the API."
        return problem_response(ApiProblem(exc.status_code, title, detail), request.url.path)
