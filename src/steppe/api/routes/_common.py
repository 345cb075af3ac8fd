"""Documented responses shared by the routes (status codes and media types)."""

from __future__ import annotations

from typing import Any

from steppe.api.errors import PROBLEM_MEDIA_TYPE
from steppe.api.responses import PARQUET_MEDIA_TYPE
from steppe.api.schemas import Problem

_PROBLEM = {"model": Problem, "content": {PROBLEM_MEDIA_TYPE: {}}}

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {**_PROBLEM, "description": "unknown resource, or data not loaded yet"},
    422: {**_PROBLEM, "description": "invalid parameter (the problem points at it)"},
    503: {**_PROBLEM, "description": "the warehouse cannot be opened"},
}

TABULAR: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}},
                      PARQUET_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
          "description": "JSON by default; CSV or Parquet with format=csv|parquet"},
    304: {"description": "not modified: the releases behind this response are unchanged"},
    **ERRORS,
}

OBJECT: dict[int | str, dict[str, Any]] = {
    304: {"description": "not modified: the releases behind this response are unchanged"},
    **ERRORS,
}

GUARDED: dict[int | str, dict[str, Any]] = {
    401: {**_PROBLEM, "description": "an API key is needed"},
    403: {**_PROBLEM, "description": "the API key lacks the role"},
    **ERRORS,
}
