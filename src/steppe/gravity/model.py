"""A gravity model fitted on a corridor panel: specification, estimate, provenance."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from steppe.errors import InvalidOptionError, NotLoadedError
from steppe.gravity.ppml import PPMLResult, VcovKind, fit_ppml
from steppe.gravity.vocabulary import FIXED_EFFECTS, FixedEffects

POLICY_REGRESSORS: tuple[str, ...] = (
    "ln_distance", "contiguity", "common_language_ethno", "eeu", "cis",
)
"""Default with origin-year and destination-year effects (country-year drivers are absorbed)."""

DRIVER_REGRESSORS: tuple[str, ...] = (
    "ln_gdppc_o", "ln_gdppc_d", "ln_pop_o", "ln_pop_d", "eeu", "cis",
)
"""Default with pair and year effects: wage gaps and population at both ends."""

PAIR_POLICY_REGRESSORS: tuple[str, ...] = ("eeu", "cis")
"""Default with pair, origin-year and destination-year effects: the policy variables are
identified only from changes within a corridor over time (Yotov et al. 2016, ch. 3)."""


def default_regressors(fixed_effects: str) -> tuple[str, ...]:
    """The regressors a specification can identify, by default."""
    if fixed_effects == "pair+origin_year+destination_year":
        return PAIR_POLICY_REGRESSORS
    if fixed_effects == "origin_year+destination_year":
        return POLICY_REGRESSORS
    return DRIVER_REGRESSORS


@dataclass(frozen=True)
class GravityModel:
    """A fitted gravity model and the rows it was fitted on.

    Attributes
    ----------
    result : PPMLResult
    frame : DataFrame
        The estimation panel (origin, destination, year, y, regressors) with a
        ``fitted`` column (NaN for rows outside the estimation sample).
    regressors : tuple of str
    fixed_effects : str
    provenance : dict
        Release ids of the inputs, the specification and a hash of both.
    """

    result: PPMLResult
    frame: pd.DataFrame
    regressors: tuple[str, ...]
    fixed_effects: str
    provenance: dict[str, object] = field(default_factory=dict)

    def coefficients(self) -> pd.DataFrame:
        """Tidy coefficient table (term, estimate, std_error, z, p_value, conf_low, conf_high)."""
        return self.result.tidy()


_NEEDS = {
    "ln_distance": "bilateral_indicator 'distance_km'",
    "contiguity": "bilateral_indicator 'contiguity'",
    "common_language_ethno": "bilateral_indicator 'common_language_ethno'",
    "common_official_language": "bilateral_indicator 'common_official_language'",
    "ln_gdppc_o": "area_indicator 'gdp_per_capita'",
    "ln_gdppc_d": "area_indicator 'gdp_per_capita'",
    "ln_pop_o": "area_indicator 'population'",
    "ln_pop_d": "area_indicator 'population'",
}


def fixed_effect_labels(frame: pd.DataFrame, spec: str) -> dict[str, np.ndarray]:
    """Group labels of each fixed effect in ``spec`` for the rows of ``frame``."""
    if spec not in FIXED_EFFECTS:
        raise InvalidOptionError("fixed_effects", spec, FIXED_EFFECTS)
    o, d, y = frame["origin"].astype(str), frame["destination"].astype(str), frame["year"].astype(str)
    parts = {
        "origin_year": o + "|" + y,
        "destination_year": d + "|" + y,
        "pair": o + ">" + d,
        "year": y,
        "origin": o,
        "destination": d,
    }
    return {name: parts[name].to_numpy() for name in spec.split("+")}


def fit_gravity(
    frame: pd.DataFrame,
    *,
    regressors: Sequence[str] | None = None,
    fixed_effects: FixedEffects = "origin_year+destination_year",
    vcov: VcovKind = "cluster",
    sources: Sequence[str] = (),
) -> GravityModel:
    """Fit a PPML gravity model on a corridor panel.

    Rows with a missing regressor are dropped (and counted in ``provenance``).
    Standard errors are clustered by corridor (pair) when ``vcov='cluster'``.
    """
    if fixed_effects not in FIXED_EFFECTS:
        raise InvalidOptionError("fixed_effects", fixed_effects, FIXED_EFFECTS)
    regs = tuple(regressors or default_regressors(fixed_effects))
    unknown = [r for r in regs if r not in frame.columns]
    if unknown:
        raise InvalidOptionError("regressors", unknown, sorted(c for c in frame.columns if c not in
                                                               ("origin", "destination", "year", "y")))
    finite = frame[list(regs)].apply(np.isfinite)
    empty = [r for r in regs if not finite[r].any()]
    unknown_policy = [r for r in empty if r not in _NEEDS]
    if unknown_policy:
        raise InvalidOptionError(
            "regressor", unknown_policy[0],
            "a variable with known values; the governance knowledge base answers 'unknown' "
            "for every corridor-year of this one (see `steppe governance`)",
        )
    if empty:
        raise NotLoadedError(
            f"data for regressor(s) {', '.join(empty)} ({_NEEDS.get(empty[0], 'its indicator')})",
            "load the covariates with `steppe ingest` or choose other --regressor/--fe",
        )
    complete = finite.all(axis=1) & frame["y"].notna()
    data = frame.loc[complete].reset_index(drop=True)
    pair = (data["origin"] + ">" + data["destination"]).to_numpy()
    result = fit_ppml(
        data["y"].to_numpy(float),
        data[list(regs)].to_numpy(float),
        regs,
        fixed_effect_labels(data, fixed_effects),
        vcov=vcov,
        cluster=pair if vcov == "cluster" else None,
    )
    data = data.assign(fitted=result.fitted)
    spec = {
        "estimator": "ppml",
        "regressors": list(regs),
        "fixed_effects": fixed_effects,
        "vcov": vcov,
        "sources": sorted(sources),
        "rows": len(frame),
        "rows_missing_regressor": int((~complete).sum()),
        "rows_used": result.n_obs,
    }
    spec["model_id"] = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]
    return GravityModel(result, data, regs, fixed_effects, spec)
