"""Names the gravity model accepts, kept light so the CLI can list them without numpy."""

from __future__ import annotations

from typing import Literal, get_args

FixedEffects = Literal[
    "origin_year+destination_year", "pair+origin_year+destination_year", "pair+year",
    "origin+destination+year",
]
FIXED_EFFECTS: tuple[str, ...] = get_args(FixedEffects)
SUBSETS: tuple[str, ...] = ("all", "central_asia")
