"""Interface languages: gettext catalogues (Babel .po files), locale-aware numbers and dates.

The ``.po`` catalogues under ``locale/`` are compiled in memory when first used,
so no compiled ``.mo`` files need to be kept in the tree. The visitor's language
comes from ``?lang=``, then the ``steppe_lang`` cookie, then ``Accept-Language``.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from importlib import resources

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

LANGS = ("en", "ru", "kk")
COOKIE = "steppe_lang"


def N_(message: str) -> str:
    """Mark a string for translation without translating it (extracted by Babel)."""
    return message


ENTITLEMENTS = {
    "visa_free_entry": N_("Visa-free entry"),
    "work_permit_required": N_("Work permit required"),
    "quota_applies": N_("Work quota applies"),
    "registration_free_days": N_("Days without registration"),
    "max_stay_days_visa_free": N_("Longest visa-free stay (days)"),
    "contract_term_stay": N_("Stay for the term of the work contract"),
    "social_insurance_equal": N_("Social insurance as nationals"),
    "pension_export": N_("Pension paid abroad"),
    "school_access": N_("Children's access to school"),
    "emergency_care": N_("Free emergency medical care"),
    "diploma_recognition": N_("Diplomas recognised"),
    "resident_tax_from_day_one": N_("Resident income tax from day one"),
    "refugee_convention_party_host": N_("Host is party to the Refugee Convention"),
}
INDICATORS = {
    "immigrant_share": N_("Immigrants as share of population"),
    "immigrant_stock": N_("Immigrant stock"),
    "emigrant_stock": N_("Emigrant stock"),
    "remittances_gdp": N_("Remittances as share of GDP"),
}
SEXES = {"total": N_("Total"), "male": N_("Men"), "female": N_("Women")}


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of ``lang`` (English is the source language)."""
    if lang == "en":
        return gettext.NullTranslations()
    source = resources.files("steppe.web").joinpath(f"locale/{lang}/LC_MESSAGES/messages.po")
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def pick_lang(query: str | None, cookie: str | None, accept: str | None) -> str:
    """The interface language for a request."""
    for candidate in (query, cookie):
        if candidate in LANGS:
            return candidate  # type: ignore[return-value]
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGS:
            return code
    return "en"


def number(value: float | None, lang: str, digits: int = 0) -> str:
    """A number written the way ``lang`` readers write it (``2 089 797`` in ru/kk)."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(round(value, digits), format=pattern, locale=lang)


def day(value: dt.date | str | None, lang: str) -> str:
    """A date in the long form of ``lang`` (``23 ноября 2026 г.``)."""
    if value is None:
        return "–"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return format_date(value, format="long", locale=lang)
