"""One estimation run: a method, its parameters and the inputs it used (pure, no I/O)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from steppe import __version__
from steppe.errors import InvalidOptionError
from steppe.flows.checks import Array
from steppe.flows.demographic import demographic_accounting
from steppe.flows.differencing import stock_differencing
from steppe.flows.uncertainty import flows_with_uncertainty

#: parameters of each method as steppe publishes its estimates; any may be overridden
DEFAULTS: dict[str, dict[str, Any]] = {
    "demographic-accounting": {
        "stayer_assumption": True, "match_global": "before-demo-adjust",
        "match_birthplace_tot_method": "rescale", "birth_method": "native",
        "birth_non_negative": True, "death_method": "proportion", "tolerance": 1e-6,
    },
    "stock-differencing": {"decrease": "return", "include_native_born": False},
    "pseudo-bayes": {"draws": 200, "level": 0.9, "cv_stock": 0.1, "cv_population": 0.01,
                     "cv_events": 0.02, "random_state": 20190101, "tolerance": 1e-6,
                     "smoothing": None},
}
METHODS = tuple(DEFAULTS)


@dataclass(frozen=True)
class FlowInputs:
    """Everything a flow estimator needs for one period, with where it came from."""

    areas: tuple[str, ...]
    """Area ids of the regions, in the order of every array."""
    period: tuple[int, int]
    revision: str
    """UN DESA stock revision (edition), e.g. '2020'."""
    wpp_edition: str
    stock_start: Array
    """(n, n) rows = place of birth, columns = residence; diagonal = native-born."""
    stock_end: Array
    births: Array
    deaths: Array
    releases: tuple[str, ...]
    """Release ids of every input row used."""
    messages: tuple[str, ...] = ()


@dataclass(frozen=True)
class FlowRun:
    """Origin–destination flows of one period estimated by one method."""

    run_id: str
    """Hash of method, period, revision, parameters, input releases and code version."""
    method: str
    inputs: FlowInputs
    parameters: Mapping[str, Any]
    od: Array
    """(n, n) flows ``[orig, dest]`` in the order of ``inputs.areas``; zero diagonal."""
    lower: Array | None = None
    upper: Array | None = None
    messages: tuple[str, ...] = ()
    code_version: str = __version__
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Method-specific results; pseudo-bayes: ``total`` (point, lower, upper), ``level``,
    ``draws`` and the smoothing ``weights`` per birthplace."""


def estimate(inputs: FlowInputs, method: str = "demographic-accounting",
             parameters: Mapping[str, Any] | None = None) -> FlowRun:
    """Run ``method`` on ``inputs`` with steppe's defaults updated by ``parameters``."""
    if method not in DEFAULTS:
        raise InvalidOptionError("--method", method, METHODS)
    unknown = sorted(set(parameters or {}) - set(DEFAULTS[method]))
    if unknown:
        raise InvalidOptionError("parameters", unknown, sorted(DEFAULTS[method]))
    params = {**DEFAULTS[method], **(parameters or {})}
    runner: dict[str, Callable[[FlowInputs, dict[str, Any]], tuple[Any, ...]]] = {
        "demographic-accounting": _demographic, "stock-differencing": _differencing,
        "pseudo-bayes": _pseudo_bayes}
    od, lower, upper, messages, extra = runner[method](inputs, params)
    np.fill_diagonal(od, 0.0)
    return FlowRun(run_id(method, inputs, params), method, inputs, params, od, lower, upper,
                   inputs.messages + messages, extra=extra)


def run_id(method: str, inputs: FlowInputs, params: Mapping[str, Any]) -> str:
    """A stable id: the same method, inputs, parameters and code give the same id."""
    key = json.dumps([method, inputs.period, inputs.revision, inputs.wpp_edition,
                      dict(sorted(params.items())), inputs.releases, __version__],
                     sort_keys=True, default=str)
    return "flows-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def _demographic(inputs: FlowInputs, params: dict[str, Any]) -> tuple[Any, ...]:
    res = demographic_accounting(inputs.stock_start, inputs.stock_end, inputs.births,
                                 inputs.deaths, **params)
    return res.od(), None, None, tuple(res.messages), {}


def _differencing(inputs: FlowInputs, params: dict[str, Any]) -> tuple[Any, ...]:
    s0, s1 = inputs.stock_start.copy(), inputs.stock_end.copy()
    np.fill_diagonal(s0, np.maximum(np.diag(s0), 0.0))
    np.fill_diagonal(s1, np.maximum(np.diag(s1), 0.0))
    return stock_differencing(s0, s1, **params), None, None, (), {}


def _pseudo_bayes(inputs: FlowInputs, params: dict[str, Any]) -> tuple[Any, ...]:
    res = flows_with_uncertainty(inputs.stock_start, inputs.stock_end, inputs.births,
                                 inputs.deaths, **params)
    point, low, high = res.total
    message = (f"world total {point:,.0f} movers, {res.level:.0%} interval {low:,.0f} to "
               f"{high:,.0f} ({res.draws} bootstrap draws)")
    return (res.od.copy(), res.lower, res.upper, (message,),
            {"total": res.total, "level": res.level, "draws": res.draws, "weights": res.weights})
