"""Host x citizenship matrices of one entitlement on one day: table, CSV and heat map."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from steppe.governance.engine import UNKNOWN, Engine
from steppe.governance.snapshot import entitlement_matrix

MATRIX_COUNTRIES: tuple[str, ...] = (
    "KAZ", "KGZ", "TJK", "TKM", "UZB", "RUS", "BLR", "ARM", "AZE", "TUR", "CHN", "AFG", "IRN",
)
"""Central Asia with its main partners (issue 4)."""
OWN = "own"


def rights_matrix(engine: Engine, entitlement: str, on: dt.date,
                  countries: Sequence[str] = MATRIX_COUNTRIES) -> pd.DataFrame:
    """Rows: host; columns: citizenship; cells: the value (``own`` on the diagonal)."""
    values = entitlement_matrix(engine, entitlement, on, countries, countries)
    for i in range(len(countries)):
        values[i, i] = OWN
    frame = pd.DataFrame(values, index=list(countries), columns=list(countries), dtype=object)
    frame.index.name = "host"
    frame.columns.name = "citizenship"
    return frame


def write_csv(frame: pd.DataFrame, path: Path | str) -> Path:
    """The matrix as CSV: ``true``/``false``, days, ``contract_term``, ``unknown``, ``own``."""
    target = Path(path)
    frame.map(lambda v: ("true" if v else "false") if isinstance(v, bool) else v).to_csv(target)
    return target


def _code(value: object) -> float:
    if value is True:
        return 1.0
    if value is False:
        return 0.0
    if isinstance(value, int) or value == "contract_term":
        return 0.5
    return float("nan")


def write_heatmap(frame: pd.DataFrame, path: Path | str, title: str) -> Path:
    """A PNG heat map: values written in each cell, unknown in grey."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    codes = frame.map(_code).to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(1.0 + 0.6 * frame.shape[1], 1.0 + 0.5 * frame.shape[0]))
    cmap = matplotlib.colormaps["RdYlGn_r"].with_extremes(bad="#d9d9d9")
    ax.imshow(codes, cmap=cmap, vmin=0, vmax=1)
    ax.set_xticks(range(frame.shape[1]), frame.columns, rotation=90)
    ax.set_yticks(range(frame.shape[0]), frame.index)
    ax.set_xlabel("citizenship")
    ax.set_ylabel("host")
    for i in range(frame.shape[0]):
        for j in range(frame.shape[1]):
            value = frame.iat[i, j]
            text = {True: "yes", False: "no", UNKNOWN: "?", OWN: ""}.get(value, str(value))
            text = "term" if value == "contract_term" else text
            ax.text(j, i, text, ha="center", va="center", fontsize=7)
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    target = Path(path)
    fig.savefig(target, dpi=120)
    plt.close(fig)
    return target
