"""A country profile as a printable PDF (WeasyPrint), charts embedded as vector SVG.

The profile is the portal's: :func:`steppe.api.bundle.profile_bundle` on a
read-only snapshot, so the PDF and ``/country/{ISO3}`` show the same figures
(a server passes its own cache; the command line gets a fresh one).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from steppe.api.bundle import profile_bundle
from steppe.api.readers import ReaderPool
from steppe.api.responses import RowCache, release_refs
from steppe.areas import Area
from steppe.warehouse import Warehouse
from steppe.web import i18n
from steppe.web.profile_view import charts


def profile_html(warehouse: Warehouse, area: Area, lang: str = "en",
                 cache: RowCache | None = None) -> str:
    """The printable HTML of the profile of ``area`` in ``lang``."""
    from steppe.web.portal import environment

    pool = ReaderPool(warehouse)
    try:
        with pool.snapshot() as snap:
            built = profile_bundle(snap, cache or RowCache(size=8), area, lang)
            refs = release_refs(snap.con, built["releases"])
    finally:
        pool.close()
    env = environment(lang)
    return env.get_template("profile_pdf.html").render(
        area=area, s=built["sections"], releases=refs, charts=charts(built["sections"], area, lang),
        today=dt.date.today(), area_name=lambda code: _name(code, lang))


def _name(code: str, lang: str) -> str:
    from steppe.areas import name

    return name(code, lang)


def write_profile_pdf(warehouse: Warehouse, area: Area, path: Path, lang: str = "en",
                      cache: RowCache | None = None) -> Path:
    """Write the profile PDF to ``path`` and return it."""
    if lang not in i18n.LANGS:
        from steppe.errors import InvalidOptionError

        raise InvalidOptionError("--lang", lang, i18n.LANGS)
    from weasyprint import HTML

    HTML(string=profile_html(warehouse, area, lang, cache)).write_pdf(str(path))
    return path
