"""Legal maximum stay used to count overstays.

The rules engine (:mod:`steppe.governance`) answers "how long may a citizen of X stay
in host H on date D?". Until it offers ``legal_max_stay_days(citizenship, host, on)``,
:func:`default_max_stay` stands in with a documented simplification:

* citizens of the Eurasian Economic Union (ARM, BLR, KAZ, KGZ, RUS) working in another
  member state: no limit (``None``; Treaty on the EAEU, 2014, art. 97);
* everyone else: 90 days (the visa-free stay most CIS and visa-waiver citizens get).
"""

from __future__ import annotations

import importlib
from datetime import date

from steppe.microdata.pipeline import MaxStay

EAEU: frozenset[str] = frozenset({"ARM", "BLR", "KAZ", "KGZ", "RUS"})
DEFAULT_DAYS = 90


def default_max_stay(citizenship: str, host: str, on: date) -> int | None:
    """Legal maximum stay in days, or ``None`` for no limit (see the module docstring)."""
    if citizenship == host:
        return None
    if citizenship in EAEU and host in EAEU:
        return None
    return DEFAULT_DAYS


def resolve_max_stay() -> tuple[MaxStay, str]:
    """The rules engine's function when available, else :func:`default_max_stay`.

    Returns the function and a label naming where limits come from.
    """
    try:
        module = importlib.import_module("steppe.governance")
        fn = module.legal_max_stay_days
    except (ImportError, AttributeError):
        return default_max_stay, "built-in default (EAEU: none; others: 90 days)"
    return fn, "steppe.governance.legal_max_stay_days"
