"""Remittance exposure: dependency by country, corridor shares, scenario effects.

Bilateral remittances (KNOMAD) are stored with origin = the sending country (the
migrants' host) and destination = the receiving country. A scenario corridor is a
migration corridor (origin = migrants' country, destination = host), so its
remittances are the bilateral value host -> origin.

The implied remittance effect assumes remittances move in proportion to the migrant
stock of the corridor (elasticity one, per-migrant remittances unchanged). KNOMAD's
bilateral estimates are themselves allocated from migrant stocks, so this is the
assumption built into the data; it is a rough guide, not a forecast.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd


def corridor_shares(remittances: pd.DataFrame) -> pd.DataFrame:
    """Share of each sending country in each receiving country's remittances.

    Parameters
    ----------
    remittances : DataFrame with ``origin`` (sender), ``destination`` (receiver), ``value``

    Returns
    -------
    DataFrame with ``receiver``, ``sender``, ``value``, ``share`` (0-1), sorted by
    receiver then descending share.
    """
    out = remittances.rename(columns={"origin": "sender", "destination": "receiver"})[
        ["receiver", "sender", "value"]
    ].copy()
    total = out.groupby("receiver")["value"].transform("sum")
    out["share"] = np.where(total > 0, out["value"] / total, np.nan)
    return out.sort_values(["receiver", "share"], ascending=[True, False]).reset_index(drop=True)


def remittance_effect(corridors: pd.DataFrame, remittances: pd.DataFrame) -> pd.DataFrame:
    """Implied change of remittances for scenario corridors (elasticity one to the stock).

    Parameters
    ----------
    corridors : DataFrame with origin, destination, baseline, change, lower, upper
        Scenario output (migration corridors).
    remittances : DataFrame with origin (sender), destination (receiver), value (usd)

    Returns
    -------
    ``corridors`` with ``remittances`` (usd sent host -> origin), and
    ``remittances_change``, ``remittances_lower``, ``remittances_upper``; NaN where the
    corridor has no remittance estimate.
    """
    flows = remittances.rename(columns={"origin": "destination", "destination": "origin",
                                        "value": "remittances"})[["origin", "destination", "remittances"]]
    out = corridors.merge(flows, on=["origin", "destination"], how="left")
    ratio = out["remittances"] / out["baseline"]
    for col in ("change", "lower", "upper"):
        out[f"remittances_{col}"] = out[col] * ratio
    return out


def dependency(con: duckdb.DuckDBPyConnection, areas: Sequence[str]) -> pd.DataFrame:
    """Latest remittances received (usd) and as % of GDP for ``areas``, with release ids."""
    return con.execute(
        """
        SELECT area, indicator, year, value, release_id FROM area_indicator
        WHERE indicator IN ('remittances_received', 'remittances_received_pct_gdp')
          AND sex = 'total' AND area IN (SELECT unnest($areas))
        QUALIFY row_number() OVER (PARTITION BY area, indicator ORDER BY year DESC, release_id DESC) = 1
        ORDER BY area, indicator
        """,
        {"areas": list(areas)},
    ).df()


def bilateral_remittances(con: duckdb.DuckDBPyConnection, year: int | None = None) -> pd.DataFrame:
    """KNOMAD bilateral remittances of ``year`` (default the latest), origin = sender."""
    return con.execute(
        """
        WITH r AS (SELECT * FROM bilateral_indicator WHERE indicator = 'remittances'
                   AND year = coalesce($year, (SELECT max(year) FROM bilateral_indicator
                                                WHERE indicator = 'remittances')))
        SELECT origin, destination, year, value, release_id FROM r
        QUALIFY row_number() OVER (PARTITION BY origin, destination ORDER BY release_id DESC) = 1
        """,
        {"year": year},
    ).df()
