"""Record schemas of the three administrative sources.

Migration services hold one row per event; steppe accepts three kinds of file, each
described by a :class:`RecordSchema` whose fields are documented where declared.

* ``registrations``: a foreigner registered at an address (migration registration).
* ``permits``: a work permit or patent issued to a foreign worker.
* ``crossings``: one crossing of the state border by a foreigner.

Codes
-----
* ``person_key``: a pseudonymous 64-bit integer the data holder derives from the
  national identifier with a keyed hash (HMAC) it keeps secret; steppe never sees
  identities and never publishes keys.
* ``citizenship``: ISO 3166-1 alpha-3 (``UZB``); ``XKX`` (Kosovo) and ``STA``
  (stateless) are also accepted.
* ``region``: ISO 3166-2 subdivision code of the host country (``KZ-75`` is Almaty).
* ``sex``: ``male`` | ``female``; ``age_group``: the :data:`AGE_GROUPS`.
* Dates are calendar dates (Arrow ``date32``); a missing end date means "still open".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pyarrow as pa
import pycountry

from steppe.errors import InvalidOptionError

SEXES: tuple[str, ...] = ("male", "female")
AGE_GROUPS: tuple[str, ...] = ("0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
PURPOSES: tuple[str, ...] = ("work", "study", "family", "other")
DIRECTIONS: tuple[str, ...] = ("entry", "exit")
PERMIT_KINDS: tuple[str, ...] = ("permit", "patent")
# NACE Rev. 2 / ISIC Rev. 4 sections
SECTORS: tuple[str, ...] = tuple("ABCDEFGHIJKLMNOPQRSTU")


@lru_cache(maxsize=1)
def citizenship_codes() -> frozenset[str]:
    """ISO3 codes accepted as citizenship (ISO 3166-1 plus ``XKX`` and ``STA``)."""
    return frozenset({c.alpha_3 for c in pycountry.countries} | {"XKX", "STA"})


@lru_cache(maxsize=32)
def region_codes(host: str) -> tuple[str, ...]:
    """ISO 3166-2 subdivision codes of the host country, sorted.

    Parameters
    ----------
    host : ISO3 code of the host country, e.g. ``"KAZ"``.
    """
    country = pycountry.countries.get(alpha_3=host.upper())
    if country is None:
        raise InvalidOptionError("host", host, "an ISO3 country code such as 'KAZ' or 'RUS'")
    subs = pycountry.subdivisions.get(country_code=country.alpha_2) or []  # type: ignore[no-untyped-call]
    return tuple(sorted(s.code for s in subs if s.parent_code is None))


# Kazakhstan's official border crossing points used by the generator (a sample, coded
# <host ISO2>-BP-<nn>); real files may carry any code listed in a border-point file.
BORDER_POINTS: dict[str, tuple[str, ...]] = {
    "KAZ": tuple(f"KZ-BP-{i:02d}" for i in range(1, 31)),
}


@dataclass(frozen=True)
class Field:
    """One column of a record schema."""

    name: str
    """column name in the file"""
    dtype: pa.DataType
    """Arrow type after validation"""
    description: str
    """what the value means"""
    codes: str | None = None
    """name of the code list the value must belong to, or ``None``"""
    nullable: bool = False
    """whether the value may be missing"""


@dataclass(frozen=True)
class RecordSchema:
    """A documented record schema for one administrative source."""

    name: str
    """source id: ``registrations``, ``permits`` or ``crossings``"""
    fields: tuple[Field, ...]
    """columns, in file order"""
    key: tuple[str, ...]
    """columns that identify a record; a repeated key is a duplicate"""
    date_order: tuple[str, str] | None
    """(start, end) date columns that must satisfy start <= end, if any"""
    partition_date: str
    """date column the Parquet files are partitioned by (year, month)"""

    @property
    def names(self) -> list[str]:
        """Column names, in order."""
        return [f.name for f in self.fields]

    def arrow_schema(self) -> pa.Schema:
        """The Arrow schema of a valid file."""
        return pa.schema([pa.field(f.name, f.dtype, nullable=f.nullable) for f in self.fields])


_PERSON = Field("person_key", pa.int64(), "pseudonymous person key (keyed hash of the national id)")
_CITIZENSHIP = Field("citizenship", pa.string(), "citizenship, ISO 3166-1 alpha-3", "citizenship")
_REGION = Field("region", pa.string(), "host-country region, ISO 3166-2", "region")

REGISTRATIONS = RecordSchema(
    name="registrations",
    fields=(
        _PERSON,
        _CITIZENSHIP,
        Field("sex", pa.string(), "sex: male | female", "sex"),
        Field("age_group", pa.string(), "age group at registration", "age_group"),
        _REGION,
        Field("purpose", pa.string(), "purpose of stay: work | study | family | other", "purpose"),
        Field("registration_date", pa.date32(), "date the stay was registered"),
        Field("deregistration_date", pa.date32(), "date the stay ended; missing if open", None, True),
    ),
    key=("person_key", "registration_date"),
    date_order=("registration_date", "deregistration_date"),
    partition_date="registration_date",
)

PERMITS = RecordSchema(
    name="permits",
    fields=(
        _PERSON,
        _CITIZENSHIP,
        _REGION,
        Field("kind", pa.string(), "permit | patent", "kind"),
        Field("sector", pa.string(), "economic activity, NACE Rev. 2 section letter", "sector"),
        Field("issue_date", pa.date32(), "date the permit or patent was issued"),
        Field("expiry_date", pa.date32(), "date it expires"),
    ),
    key=("person_key", "kind", "issue_date"),
    date_order=("issue_date", "expiry_date"),
    partition_date="issue_date",
)

CROSSINGS = RecordSchema(
    name="crossings",
    fields=(
        _PERSON,
        _CITIZENSHIP,
        Field("border_point", pa.string(), "border crossing point code", "border_point"),
        Field("direction", pa.string(), "entry | exit", "direction"),
        Field("crossing_date", pa.date32(), "date of the crossing"),
    ),
    key=("person_key", "border_point", "direction", "crossing_date"),
    date_order=None,
    partition_date="crossing_date",
)

SCHEMAS: dict[str, RecordSchema] = {s.name: s for s in (REGISTRATIONS, PERMITS, CROSSINGS)}


def get_schema(source: str) -> RecordSchema:
    """The schema of ``source``; raises :class:`InvalidOptionError` for unknown ids."""
    try:
        return SCHEMAS[source]
    except KeyError:
        raise InvalidOptionError("source", source, list(SCHEMAS)) from None


def code_list(codes: str, host: str) -> frozenset[str]:
    """The accepted values of code list ``codes`` for files from ``host``."""
    fixed = {
        "sex": SEXES,
        "age_group": AGE_GROUPS,
        "purpose": PURPOSES,
        "direction": DIRECTIONS,
        "kind": PERMIT_KINDS,
        "sector": SECTORS,
    }
    if codes in fixed:
        return frozenset(fixed[codes])
    if codes == "citizenship":
        return citizenship_codes()
    if codes == "region":
        return frozenset(region_codes(host))
    if codes == "border_point":
        return frozenset(BORDER_POINTS.get(host.upper(), ()))
    raise InvalidOptionError("codes", codes, [*fixed, "citizenship", "region", "border_point"])
