"""Countries, areas and UN aggregates, and resolving their names and codes.

Every UN M49 country or area (from ISO 3166 via pycountry, plus Kosovo and the
Channel Islands as UN DESA reports them) has an ``area_id``: its ISO3 code. UN DESA
aggregates (World, SDG regions, income groups...) are kept apart with ids
``M49:<code>``; UN DESA's "other/unknown origin" is ``OTHER``. Names come in
English, Russian and Kazakh (CLDR via Babel, ISO names via pycountry).

Resolution accepts ISO3, ISO2, M49 numbers, English, Russian and Kazakh names and
the spellings listed in ``aliases.csv``. An unknown name is an error that lists
every unmatched name; nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterable

from steppe.areas.registry import Area, registry
from steppe.errors import UnknownAreaError

__all__ = [
    "Area",
    "aggregates",
    "countries",
    "get",
    "group",
    "name",
    "resolve",
    "resolve_many",
    "try_resolve",
]


def get(area_id: str) -> Area:
    """The area with this exact id (``KAZ``, ``M49:900``, ``OTHER``)."""
    try:
        return registry().by_id[area_id]
    except KeyError:
        raise UnknownAreaError([area_id]) from None


def try_resolve(text: str | int) -> Area | None:
    """The area a code or name stands for, or ``None``."""
    return registry().lookup(text)


def resolve(text: str | int) -> Area:
    """The area a code or name stands for; :class:`UnknownAreaError` if none."""
    area = registry().lookup(text)
    if area is None:
        raise UnknownAreaError([str(text)])
    return area


def resolve_many(names: Iterable[str | int], context: str = "") -> dict[str | int, Area]:
    """Resolve every name; one error listing all the names that did not match."""
    table = registry()
    found: dict[str | int, Area] = {}
    missing: list[str] = []
    for text in names:
        area = table.lookup(text)
        if area is None:
            missing.append(str(text))
        else:
            found[text] = area
    if missing:
        raise UnknownAreaError(missing, context)
    return found


def countries() -> list[Area]:
    """Every country or area (no aggregates), ordered by English name."""
    return [a for a in registry().areas if a.kind == "country"]


def aggregates() -> list[Area]:
    """UN DESA's aggregates (World, SDG regions, development and income groups...)."""
    return [a for a in registry().areas if a.kind == "aggregate"]


def group(group_id: str) -> tuple[str, ...]:
    """The area ids of a named grouping, e.g. ``central_asia``."""
    groups = registry().groups
    if group_id not in groups:
        from steppe.errors import InvalidOptionError

        raise InvalidOptionError("group", group_id, sorted(groups))
    return groups[group_id]


def name(area_id: str, lang: str = "en") -> str:
    """The area's name in ``en``, ``ru`` or ``kk`` (falls back to English)."""
    return get(area_id).name(lang)
