"""``steppe gravity`` (fit, coefficient table and plot) and ``steppe scenario``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from steppe.cli.options import (
    DbOption,
    FormatOption,
    OutputFormat,
    OutputOption,
    console,
    emit,
    warehouse_from,
)
from steppe.config import Settings
from steppe.gravity.vocabulary import FIXED_EFFECTS, SUBSETS

FeOption = Annotated[
    str | None,
    typer.Option("--fe", help=f"Fixed effects: {', '.join(FIXED_EFFECTS)}."),
]
SubsetOption = Annotated[str, typer.Option("--subset", help=f"Corridors: {', '.join(SUBSETS)}.")]
OutcomeOption = Annotated[str, typer.Option("--outcome", help="stock (UN DESA) or flow (stored flow estimates).")]


def register(app: typer.Typer) -> None:
    app.command("gravity")(gravity)
    app.command("scenario")(scenario)


def gravity(
    fe: FeOption = None,
    regressor: Annotated[list[str] | None, typer.Option("--regressor", "-r",
                         help="Regressor (repeat); default depends on --fe.")] = None,
    subset: SubsetOption = "all",
    outcome: OutcomeOption = "stock",
    policy: Annotated[list[str] | None, typer.Option("--policy", help="Add visa_free or agreement:<id> (repeat).")] = None,
    edition: Annotated[str, typer.Option(help="UN DESA revision of the stocks.")] = "2020",
    vcov: Annotated[str, typer.Option(help="iid, hetero or cluster (by corridor).")] = "cluster",
    plot: Annotated[Path | None, typer.Option(help="Save a coefficient plot (PNG/SVG) here.")] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """Fit the PPML gravity model on the corridor panel and print its coefficients."""
    from steppe.gravity.service import fit_from_warehouse, save_model

    model = fit_from_warehouse(
        warehouse_from(db), fixed_effects=fe or "pair+origin_year+destination_year",
        regressors=regressor or None, subset=subset, edition=edition, vcov=vcov, outcome=outcome,
        extra=policy or (),
    )
    saved = save_model(model, Settings().cache / "gravity")
    records = model.coefficients().to_dict("records")
    prov = model.provenance
    caption = (f"PPML, fixed effects {prov['fixed_effects']}, {prov['vcov']} SE; "
               f"{prov['rows_used']:,} rows; stocks {prov.get('release_id')}; saved {saved}")
    emit(records, fmt, title="Gravity model coefficients", output=output, caption=caption)
    if plot is not None:
        _coefficient_plot(records, plot, caption)
        console.print(f"plot written to {plot}")


def _coefficient_plot(records: list[dict[str, object]], path: Path, caption: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 0.5 * len(records) + 1.5))
    ys = range(len(records))
    est = [float(r["estimate"]) for r in records]  # type: ignore[arg-type]
    lo = [e - float(r["conf_low"]) for e, r in zip(est, records)]  # type: ignore[arg-type]
    hi = [float(r["conf_high"]) - e for e, r in zip(est, records)]  # type: ignore[arg-type]
    ax.errorbar(est, list(ys), xerr=[lo, hi], fmt="o", capsize=3)
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_yticks(list(ys), [str(r["term"]) for r in records])
    ax.set_xlabel("coefficient (95% CI)")
    ax.set_title("PPML gravity model", fontsize=10)
    fig.text(0.01, 0.01, caption, fontsize=6, wrap=True)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    fig.savefig(path, dpi=120)
    plt.close(fig)


def scenario(
    join: Annotated[list[str] | None, typer.Option("--join", help="COUNTRY:ORG joins, e.g. UZB:EEU (repeat).")] = None,
    gdp: Annotated[list[str] | None, typer.Option("--gdp", help="COUNTRY:PERCENT change of GDP per capita, e.g. RUS:-10.")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="COLUMN:A-B=VALUE for both directions, e.g. visa_free:KAZ-UZB=1 (repeat).")] = None,
    policy: Annotated[list[str] | None, typer.Option("--policy", help="Add visa_free or agreement:<id> to the model (repeat).")] = None,
    start: Annotated[int, typer.Option("--from", help="First year of the change.")] = 2020,
    fe: FeOption = None,
    subset: SubsetOption = "all",
    outcome: OutcomeOption = "stock",
    level: Annotated[float, typer.Option(help="Confidence level of the intervals.")] = 0.95,
    remittances: Annotated[bool, typer.Option("--remittances", help="Add the implied remittance change (KNOMAD, usd).")] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """Predicted change by corridor under a scenario, with confidence intervals.

    Example: steppe scenario --join UZB:EEU --from 2020 --format json
    """
    from steppe.gravity.service import scenario_from_warehouse

    result = scenario_from_warehouse(
        warehouse_from(db), joins=join or [], gdp=gdp or [], sets=set_ or [], policy=policy or [],
        start_year=start,
        fixed_effects=fe, subset=subset, level=level, remittances=remittances,
        outcome=outcome,
    )
    rows = result["corridors"]
    if fmt is OutputFormat.json and output is None:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    caption = (f"{result['scenario']}; PPML with {result['model']['fixed_effects']} fixed effects; "
               f"lower/upper bound the change at {level:.0%} (coefficient uncertainty only; "
               "see docs/gravity.md)")
    emit(rows, fmt, title=f"Scenario: {result['scenario']}", output=output, caption=caption)
