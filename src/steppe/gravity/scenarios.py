"""Scenarios: named changes to a fitted baseline, with confidence intervals.

A scenario changes regressors of some corridor-years (a country joins the EEU; a
country's GDP per capita falls 10%) and keeps everything else, the fixed effects
included, as fitted. For a row with fitted baseline ``m`` and regressor change
``dx`` the scenario value is ``m * exp(dx'b)``. The interval comes from the delta
method on the coefficient covariance, on the log scale (so it never crosses zero):
``m * (exp(dx'b ± z * sqrt(dx' V dx)) - 1)``. It reflects uncertainty in the
coefficients only, not in the baseline or the model itself (see docs/gravity.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from steppe.errors import InvalidOptionError
from steppe.gravity.design import DEFAULT_ORGS
from steppe.gravity.model import GravityModel
from steppe.gravity.policy import both_members, observation_date

SCENARIO_COLUMNS = ("origin", "destination", "year", "baseline", "scenario", "change", "lower", "upper")


@dataclass(frozen=True)
class Scenario:
    """A named change: new regressor values for some rows of the model frame.

    Attributes
    ----------
    name : str
        Human-readable description, e.g. ``"UZB joins EEU from 2020"``.
    new_values : DataFrame
        Same index as ``model.frame`` (a subset of rows), columns = changed regressors.
    """

    name: str
    new_values: pd.DataFrame


def join(
    model: GravityModel,
    country: str,
    org: str,
    start: dt.date,
    is_member: Callable[[str, str, dt.date], bool],
    *,
    month: int = 7,
    day: int = 1,
) -> Scenario:
    """``country`` joins ``org`` on ``start``: recompute that policy column.

    Parameters
    ----------
    org : str
        Organisation id (``EEU``, ``CIS``) or its policy column (``eeu``, ``cis``).
    is_member : callable ``(org, country, date) -> bool``
        The baseline memberships (knowledge base or a hand-made table).
    """
    columns = {v: k for k, v in DEFAULT_ORGS.items()}
    column = columns.get(org.upper(), org.lower())
    org_id = DEFAULT_ORGS.get(column, org)
    if column not in model.regressors:
        raise InvalidOptionError("org", org, [DEFAULT_ORGS[c] for c in DEFAULT_ORGS if c in model.regressors])

    def changed(o: str, c: str, on: dt.date) -> bool:
        return (c == country and on >= start) or bool(is_member(o, c, on))

    frame = model.frame
    rows = frame[(frame["origin"] == country) | (frame["destination"] == country)]
    dates = [observation_date(y, month, day) for y in rows["year"]]
    new = both_members(changed, org_id, rows["origin"], rows["destination"], dates)
    values = pd.DataFrame({column: new}, index=rows.index)
    return Scenario(f"{country} joins {org_id} from {start.isoformat()}", values)


def driver_change(model: GravityModel, area: str, driver: str, percent: float) -> Scenario:
    """``area``'s ``driver`` (``gdppc`` or ``pop``) changes by ``percent`` in every year.

    Changes ``ln_<driver>_o`` where ``area`` is the origin and ``ln_<driver>_d`` where
    it is the destination; the model must include them (fit with ``pair+year``).
    """
    if percent <= -100:
        raise InvalidOptionError("percent", percent, "a change above -100 (%)")
    shift = np.log1p(percent / 100)
    cols = {"o": f"ln_{driver}_o", "d": f"ln_{driver}_d"}
    present = [c for c in cols.values() if c in model.regressors]
    if not present:
        raise InvalidOptionError(
            "driver", driver,
            "a driver in the model; with origin-year and destination-year effects GDP and "
            "population are absorbed: fit with fixed_effects='pair+year' (steppe gravity --fe pair+year)",
        )
    frame = model.frame
    rows = frame[(frame["origin"] == area) | (frame["destination"] == area)]
    values = pd.DataFrame(index=rows.index)
    for end, col in cols.items():
        if col in model.regressors:
            hit = (rows["origin" if end == "o" else "destination"] == area).to_numpy()
            values[col] = rows[col].to_numpy() + shift * hit
    return Scenario(f"{driver} of {area} changes by {percent:+g}%", values)


def pair_change(
    model: GravityModel, column: str, a: str, b: str, value: float, start_year: int
) -> Scenario:
    """Set ``column`` to ``value`` for both directions of the pair ``a``-``b`` from
    ``start_year`` on (e.g. ``visa_free`` = 1: the two countries lift visa or stay limits)."""
    if column not in model.regressors:
        raise InvalidOptionError(
            "column", column,
            f"a regressor of the model ({', '.join(model.regressors)}); add visa_free or an "
            "agreement with --policy",
        )
    frame = model.frame
    pair = ((frame["origin"] == a) & (frame["destination"] == b)) | (
        (frame["origin"] == b) & (frame["destination"] == a))
    rows = frame[pair & (frame["year"] >= start_year)]
    values = pd.DataFrame({column: np.full(len(rows), float(value))}, index=rows.index)
    return Scenario(f"{column} = {value:g} for {a}-{b} from {start_year}", values)


def evaluate(
    model: GravityModel,
    scenario: Scenario,
    *,
    years: Sequence[int] | None = None,
    level: float = 0.95,
    changed_only: bool = True,
) -> pd.DataFrame:
    """Predicted corridor values under ``scenario`` with delta-method intervals.

    Returns
    -------
    DataFrame with columns origin, destination, year, baseline, scenario, change,
    lower, upper (``lower``/``upper`` bound ``change``), sorted by ``|change|``.
    Rows outside the estimation sample (no fitted baseline) are left out.
    """
    res = model.result
    frame = model.frame.loc[scenario.new_values.index]
    dx = np.zeros((len(frame), len(model.regressors)))
    for j, name in enumerate(model.regressors):
        if name in scenario.new_values:
            dx[:, j] = scenario.new_values[name].to_numpy(float) - frame[name].to_numpy(float)
    eta = dx @ res.coef
    se = np.sqrt(np.einsum("ij,jk,ik->i", dx, res.vcov, dx))
    z = stats.norm.ppf(0.5 + level / 2)
    base = frame["fitted"].to_numpy(float)
    out = pd.DataFrame(
        {
            "origin": frame["origin"].to_numpy(),
            "destination": frame["destination"].to_numpy(),
            "year": frame["year"].to_numpy(int),
            "baseline": base,
            "scenario": base * np.exp(eta),
            "change": base * np.expm1(eta),
            "lower": base * np.expm1(eta - z * se),
            "upper": base * np.expm1(eta + z * se),
        }
    )
    keep = np.isfinite(base)
    if changed_only:
        keep &= np.any(dx != 0, axis=1)
    if years is not None:
        keep &= out["year"].isin(list(years)).to_numpy()
    out = out[keep]
    return out.iloc[np.argsort(-np.abs(out["change"].to_numpy()), kind="stable")].reset_index(drop=True)
