"""The knowledge base's items, validated with pydantic.

Every item carries ``cite``: at least one :class:`Citation`, and a ``grade`` copied
from the confidence label of ``governance-sources.md``. Dated items use ``from``
(first day the item holds) and ``ends`` (first day it no longer holds; open when
absent), the convention of the sources file. Two optional dates record what the
sources could not pin down: ``sure_from`` (the start lies somewhere in
``[from, sure_from)``) and ``sure_until`` (nothing verified on or after that day).
The engine answers ``unknown`` inside those windows.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Grade = Literal["verified", "reference", "reference_verified", "unverified", "contradicted"]
"""Confidence labels: ``unverified`` = the sources file's "from memory-unverified"."""

Status = Literal[
    "founding_member",
    "member",
    "associate",
    "observer",
    "dialogue_partner",
    "partner",
    "participant_non_member",
    "invited",
    "suspended",
    "withdrawn",
    "none",
]
MEMBER_STATUSES = frozenset({"member", "founding_member"})

Entitlement = Literal[
    "work_permit_required",
    "quota_applies",
    "registration_free_days",
    "max_stay_days_visa_free",
    "contract_term_stay",
    "social_insurance_equal",
    "pension_export",
    "school_access",
    "emergency_care",
    "diploma_recognition",
    "resident_tax_from_day_one",
    "refugee_convention_party_host",
    "visa_free_entry",
]
ENTITLEMENTS: tuple[str, ...] = Entitlement.__args__[:12]  # type: ignore[attr-defined]
"""The twelve entitlements of the public ``rights`` contract (``visa_free_entry`` is internal)."""


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Citation(_Item):
    """Where a fact comes from: document, article or paragraph, date, URL."""

    document: str = Field(min_length=3, description="title of the text or web page")
    article: str | None = Field(None, description="article/paragraph, when one is cited")
    date: dt.date | None = Field(None, description="date of the document")
    url: str | None = Field(None, pattern=r"^https?://\S+$")
    facts: tuple[str, ...] = Field((), description="fact ids (F001...) in governance-sources.md")


class Dated(_Item):
    """An item that holds over ``[from, ends)`` with optional uncertainty windows."""

    start: dt.date = Field(alias="from")
    ends: dt.date | None = None
    sure_from: dt.date | None = None
    sure_until: dt.date | None = None
    grade: Grade
    note: str = ""
    cite: tuple[Citation, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Dated:
        if self.ends is not None and self.ends <= self.start:
            raise ValueError(f"ends {self.ends} is not after from {self.start}")
        if self.sure_from is not None and self.sure_from < self.start:
            raise ValueError(f"sure_from {self.sure_from} is before from {self.start}")
        return self


class Organisation(_Item):
    """An organisation, framework or process."""

    id: str
    name: str
    kind: Literal["organisation", "framework", "process", "agency", "network"]
    established: dt.date | None = None
    roster: Literal["complete", "partial"] = Field(
        description="complete: a country absent from the memberships has status none"
    )
    grade: Grade
    note: str = ""
    cite: tuple[Citation, ...] = Field(min_length=1)


class Membership(Dated):
    """One country's status in one organisation over a dated interval."""

    org: str
    country: str
    status: Status


class Article(_Item):
    """One article (or paragraph) of an agreement, summarised in our own words."""

    id: str = Field(description="e.g. '97(1)'; 'I' for a whole text")
    title: str = ""
    summary: str
    number_verified: bool = True
    grade: Grade
    cite: tuple[Citation, ...] = Field(min_length=1)


class Party(_Item):
    """A state's steps under an agreement."""

    country: str
    signed: dt.date | None = None
    consent: dt.date | None = Field(None, description="ratification/accession/approval")
    consent_kind: Literal["ratification", "accession", "approval", "acceptance"] | None = None
    in_force: dt.date | None = Field(None, description="the agreement applies to it from")
    sure_from: dt.date | None = None
    left: dt.date | None = Field(None, description="withdrawal takes effect")
    sure_until: dt.date | None = None
    grade: Grade
    note: str = ""
    cite: tuple[Citation, ...] = Field(min_length=1)


class NonParty(Dated):
    """A state verified not to be party over ``[from, ends)``."""

    country: str


class Agreement(_Item):
    """A treaty, convention, protocol, compact or national law."""

    id: str
    title: str
    kind: Literal[
        "treaty", "convention", "protocol", "agreement", "national_law", "compact", "regulation"
    ]
    organisation: str | None = None
    signed: dt.date | None = None
    in_force: dt.date | None = None
    in_force_rule: str = ""
    binding: bool = True
    roster: Literal["complete", "partial"] = "partial"
    parties: tuple[Party, ...] = ()
    non_parties: tuple[NonParty, ...] = ()
    articles: tuple[Article, ...] = ()
    grade: Grade
    note: str = ""
    cite: tuple[Citation, ...] = Field(min_length=1)


class Condition(_Item):
    """When a rule applies, beyond its host and citizenship lists (all must hold)."""

    both_members: str | None = None
    citizenship_not_member: str | None = None
    both_parties: str | None = None
    host_party: str | None = None
    host_non_party: str | None = None


class Rule(Dated):
    """One entitlement's value for some hosts and citizenships over a dated interval."""

    id: str
    entitlement: Entitlement
    value: bool | int | Literal["contract_term"]
    host: tuple[str, ...] | None = None
    citizenship: tuple[str, ...] | None = None
    when: Condition = Condition()
    priority: int = 0
    agreement: str
    articles: tuple[str, ...] = ()


class Claim(_Item):
    """A disputed claim: both sides, and which one the engine uses and why."""

    id: str
    subject: str
    claim: str
    claimed_by: tuple[Citation, ...] = Field(min_length=1)
    contradicted_by: tuple[Citation, ...] = Field(min_length=1)
    engine_uses: str
    reason: str
    grade: Grade = "contradicted"


class KBFile(_Item):
    """One YAML file of ``governance/rules/``."""

    id: str
    title: str
    reviewed: dt.date
    organisations: tuple[Organisation, ...] = ()
    memberships: tuple[Membership, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    rules: tuple[Rule, ...] = ()
    claims: tuple[Claim, ...] = ()
