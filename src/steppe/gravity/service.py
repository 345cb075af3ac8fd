"""The thin adapter between the warehouse, the knowledge base and the gravity kernels.

API-ready: :func:`fit_from_warehouse` and :func:`scenario_from_warehouse` take plain
values and return a model or JSON-ready records, for the CLI and the web API alike.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from steppe.errors import InvalidOptionError, NotLoadedError
from steppe.gravity.design import DEFAULT_ORGS, add_policy, build_panel
from steppe.gravity.exposure import bilateral_remittances, remittance_effect
from steppe.gravity.model import FIXED_EFFECTS, GravityModel, default_regressors, fit_gravity
from steppe.gravity.policy import (
    MembershipTable,
    add_pair_rule,
    governance_agreement,
    governance_table,
    governance_visa_free,
)
from steppe.gravity.scenarios import (
    SCENARIO_COLUMNS,
    Scenario,
    driver_change,
    evaluate,
    join,
    pair_change,
)
from steppe.warehouse import Warehouse

CENTRAL_ASIA: tuple[str, ...] = ("KAZ", "KGZ", "TJK", "TKM", "UZB")
from steppe.gravity.vocabulary import SUBSETS


def policy_table() -> MembershipTable:
    """EEU and CIS memberships from the governance knowledge base."""
    return governance_table(DEFAULT_ORGS.values())


def fit_from_warehouse(
    warehouse: Warehouse,
    *,
    fixed_effects: str = "pair+origin_year+destination_year",
    regressors: Sequence[str] | None = None,
    subset: str = "all",
    edition: str | None = "2020",
    vcov: str = "cluster",
    members: MembershipTable | None = None,
    outcome: str = "stock",
    extra: Sequence[str] = (),
) -> GravityModel:
    """Build the panel, add dated policy variables and fit the PPML model.

    ``extra`` adds knowledge-base pair variables to the default regressors:
    ``visa_free`` and/or ``agreement:<id>`` (both countries bound by that agreement);
    rows the knowledge base cannot answer leave the model.
    """
    if subset not in SUBSETS:
        raise InvalidOptionError("subset", subset, SUBSETS)
    if fixed_effects not in FIXED_EFFECTS:
        raise InvalidOptionError("fixed_effects", fixed_effects, FIXED_EFFECTS)
    table = members or policy_table()
    with warehouse.reader() as con:
        panel = build_panel(con, edition=edition, outcome=outcome,
                            involving=CENTRAL_ASIA if subset == "central_asia" else None)
    frame = add_policy(panel.frame, table.is_member)
    added = []
    for name in extra:
        if name == "visa_free":
            frame = add_pair_rule(frame, "visa_free", governance_visa_free())
        elif name.startswith("agreement:"):
            name = name.split(":", 1)[1]
            frame = add_pair_rule(frame, name, governance_agreement(name))
        else:
            raise InvalidOptionError("policy", name, "visa_free or agreement:<id>")
        added.append(name)
    if added:
        regressors = (*(regressors or default_regressors(fixed_effects)), *added)
    model = fit_gravity(frame, regressors=regressors, fixed_effects=fixed_effects,  # type: ignore[arg-type]
                        vcov=vcov, sources=panel.sources)  # type: ignore[arg-type]
    model.provenance.update({"subset": subset, "outcome": outcome, "release_id": panel.release_id,
                             "policy_source": "steppe.governance (verified intervals)"})
    return model


def parse_pair(text: str, option: str) -> tuple[str, str]:
    """Split ``'UZB:EEU'`` or ``'RUS:-10'`` into its two parts."""
    left, sep, right = text.partition(":")
    if not sep or not left or not right:
        raise InvalidOptionError(option, text, "COUNTRY:VALUE, e.g. UZB:EEU or RUS:-10")
    return left.strip().upper(), right.strip()


def build_scenario(
    model: GravityModel,
    members: MembershipTable,
    *,
    joins: Sequence[str] = (),
    gdp: Sequence[str] = (),
    sets: Sequence[str] = (),
    start_year: int = 2020,
) -> tuple[Scenario, list[int]]:
    """Compose ``--join`` and ``--gdp`` changes into one scenario; returns it and the years
    to report. A start after the panel's last year is applied to that last year."""
    if not joins and not gdp and not sets:
        raise InvalidOptionError(
            "scenario", None,
            "at least one --join COUNTRY:ORG, --gdp COUNTRY:PERCENT or --set COLUMN:A-B=VALUE")
    last = int(model.frame["year"].max())
    start = dt.date(min(start_year, last), 1, 1)
    years = [y for y in sorted(model.frame["year"].unique()) if y >= start.year]
    parts: list[Scenario] = []
    table = members
    for text in joins:
        country, org = parse_pair(text, "--join")
        parts.append(join(model, country, org, start, table.is_member))
        table = table.with_member(DEFAULT_ORGS.get(org.lower(), org.upper()), country, start)
    for text in gdp:
        country, pct = parse_pair(text, "--gdp")
        try:
            percent = float(pct)
        except ValueError:
            raise InvalidOptionError("--gdp", text, "COUNTRY:PERCENT, e.g. RUS:-10") from None
        parts.append(driver_change(model, country, "gdppc", percent))
    for text in sets:
        column, spec = parse_pair(text, "--set")
        pair, _, number = spec.partition("=")
        a, _, b = pair.partition("-")
        try:
            parts.append(pair_change(model, column.lower(), a.upper(), b.upper(), float(number),
                                     start.year))
        except ValueError:
            raise InvalidOptionError("--set", text, "COLUMN:A-B=VALUE, e.g. visa_free:KAZ-UZB=1") from None
    values = pd.concat([p.new_values for p in parts], axis=1)
    values = values.T.groupby(level=0).last().T  # later changes of the same column win
    for col in values.columns:
        values[col] = values[col].fillna(model.frame.loc[values.index, col])
    return Scenario("; ".join(p.name for p in parts), values), [int(y) for y in years]


def scenario_from_warehouse(
    warehouse: Warehouse,
    *,
    joins: Sequence[str] = (),
    gdp: Sequence[str] = (),
    sets: Sequence[str] = (),
    policy: Sequence[str] = (),
    start_year: int = 2020,
    fixed_effects: str | None = None,
    subset: str = "all",
    level: float = 0.95,
    remittances: bool = False,
    outcome: str = "stock",
) -> dict[str, Any]:
    """Run a scenario end to end; returns ``{"scenario", "model", "corridors"}``.

    ``corridors`` is a list of ``{origin, destination, year, baseline, scenario,
    change, lower, upper}`` (persons; ``lower``/``upper`` bound ``change``). With
    ``remittances=True`` each corridor also gets the implied remittance change
    (:func:`steppe.gravity.exposure.remittance_effect`, elasticity one).
    """
    for text in joins:
        org = parse_pair(text, "--join")[1]
        if org.upper() not in DEFAULT_ORGS.values():
            raise InvalidOptionError("--join", text, [f"COUNTRY:{o}" for o in DEFAULT_ORGS.values()])
    fe = fixed_effects or ("pair+year" if gdp else "pair+origin_year+destination_year")
    members = policy_table()
    extra = list(policy) or sorted({parse_pair(t, "--set")[0].lower() for t in sets} - {"eeu", "cis"})
    model = fit_from_warehouse(warehouse, fixed_effects=fe, subset=subset, members=members,
                               outcome=outcome, extra=extra)
    scenario, years = build_scenario(model, members, joins=joins, gdp=gdp, sets=sets,
                                     start_year=start_year)
    table = evaluate(model, scenario, years=years, level=level)
    columns = list(SCENARIO_COLUMNS)
    if remittances:
        with warehouse.reader() as con:
            sent = bilateral_remittances(con)
        if sent.empty:
            raise NotLoadedError("bilateral remittances (KNOMAD)",
                                 "run `steppe ingest` on worldbank/bilateral_remittance_matrix_2021.xlsx")
        table = remittance_effect(table, sent)
        columns += ["remittances", "remittances_change", "remittances_lower", "remittances_upper"]
    records = [
        {k: (int(v) if k == "year" else v if isinstance(v, str) else float(v)) for k, v in row.items()}
        for row in table[columns].to_dict("records")
    ]
    return {"scenario": scenario.name, "level": level, "model": model.provenance,
            "coefficients": model.coefficients().to_dict("records"), "corridors": records}


def save_model(model: GravityModel, folder: Path) -> Path:
    """Write the specification, provenance and coefficient table as JSON; returns the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"gravity-{model.provenance['model_id']}.json"
    doc = {
        "provenance": model.provenance,
        "coefficients": model.coefficients().to_dict("records"),
        "vcov": np.asarray(model.result.vcov).tolist(),
        "n_obs": model.result.n_obs,
        "converged": model.result.converged,
    }
    path.write_text(json.dumps(doc, indent=2, default=str), encoding="utf-8")
    return path
