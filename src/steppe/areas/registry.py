"""The area table, built once from pycountry, CLDR (Babel) and steppe's data files."""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

import pycountry
from babel import Locale

_DATA = resources.files("steppe.areas")
_FOOTNOTE = re.compile(r"[\s*]+$|\s*\(\d+\)$|\s*\d+$")


@dataclass(frozen=True)
class Area:
    """A country, territory or UN aggregate."""

    area_id: str
    m49: int | None
    iso3: str | None
    iso2: str | None
    kind: str  # 'country' | 'aggregate' | 'unknown'
    name_en: str
    name_ru: str | None = None
    name_kk: str | None = None
    category: str | None = None  # for aggregates: world, sdg_region, income_group...

    def name(self, lang: str = "en") -> str:
        """The name in ``en``, ``ru`` or ``kk``, English when unknown."""
        localized = {"ru": self.name_ru, "kk": self.name_kk}.get(lang)
        return localized or self.name_en


def normalize(text: str) -> str:
    """Fold a name for matching: case, accents, ``ё``, spacing, footnote marks."""
    folded = unicodedata.normalize("NFKC", str(text)).strip()
    folded = _FOOTNOTE.sub("", folded)
    folded = folded.casefold().replace("ё", "е")
    folded = "".join(
        ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch)
    )
    return re.sub(r"\s+", " ", folded).strip()


def _read_csv(file_name: str) -> list[dict[str, str]]:
    with _DATA.joinpath(file_name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


class AreaRegistry:
    """All areas, with indexes by id, code and folded name."""

    def __init__(self, areas: list[Area], aliases: dict[str, str], groups: dict[str, tuple[str, ...]]):
        self.areas = sorted(areas, key=lambda a: (a.kind != "country", a.name_en))
        self.by_id = {a.area_id: a for a in self.areas}
        self.by_m49 = {a.m49: a for a in self.areas if a.m49 is not None}
        self.groups = groups
        index: dict[str, Area] = {}
        for area in self.areas:
            keys = [area.area_id, area.iso2, area.name_en, area.name_ru, area.name_kk]
            for key in keys:
                if key:
                    index.setdefault(normalize(key), area)
        for alias, area_id in aliases.items():
            index[normalize(alias)] = self.by_id[area_id]
        self._index = index

    def lookup(self, text: str | int) -> Area | None:
        """Resolve an id, ISO2/ISO3, M49 number or a name; ``None`` when unknown."""
        if isinstance(text, int) or (isinstance(text, str) and text.strip().isdigit()):
            return self.by_m49.get(int(text))
        if not isinstance(text, str) or not text.strip():
            return None
        stripped = text.strip()
        if stripped.upper().startswith("M49:") and stripped[4:].isdigit():
            return self.by_m49.get(int(stripped[4:]))
        return self.by_id.get(stripped.upper()) or self._index.get(normalize(stripped))


def _countries(ru: Locale, kk: Locale) -> list[Area]:
    areas = []
    for country in pycountry.countries:
        areas.append(
            Area(
                area_id=country.alpha_3,
                m49=int(country.numeric),
                iso3=country.alpha_3,
                iso2=country.alpha_2,
                kind="country",
                name_en=getattr(country, "common_name", None) or country.name,
                name_ru=ru.territories.get(country.alpha_2),
                name_kk=kk.territories.get(country.alpha_2),
            )
        )
    return areas


def _extra_aliases() -> dict[str, str]:
    aliases = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                aliases[value] = country.alpha_3
    for row in _read_csv("aliases.csv"):
        aliases[row["alias"]] = row["area_id"]
    return aliases


@functools.cache
def registry() -> AreaRegistry:
    """The one area registry of this process (built on first use)."""
    ru, kk = Locale("ru"), Locale("kk")
    areas = _countries(ru, kk)
    for row in _read_csv("extra_areas.csv"):
        areas.append(
            Area(
                area_id=row["area_id"],
                m49=int(row["m49"]),
                iso3=row["area_id"],
                iso2=row["iso2"] or None,
                kind="country",
                name_en=row["name_en"],
                name_ru=row["name_ru"] or None,
                name_kk=row["name_kk"] or None,
            )
        )
    for row in _read_csv("aggregates.csv"):
        areas.append(
            Area(
                area_id=f"M49:{row['m49']}",
                m49=int(row["m49"]),
                iso3=None,
                iso2=None,
                kind="aggregate",
                name_en=row["name_en"],
                category=row["category"],
            )
        )
    areas.append(Area("OTHER", 2003, None, None, "unknown", "Other / unknown origin",
                      "Прочие / неизвестно", "Басқа / белгісіз"))
    groups: dict[str, list[str]] = {}
    for row in _read_csv("groups.csv"):
        groups.setdefault(row["group_id"], []).append(row["area_id"])
    return AreaRegistry(areas, _extra_aliases(), {k: tuple(v) for k, v in groups.items()})
