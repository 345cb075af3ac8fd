"""Question-and-answer cases from the cited texts (cases/*.yaml), OpenFisca style."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from steppe.governance import (
    Engine,
    agreements_between,
    legal_max_stay_days,
    memberships,
    rights,
    visa_free,
)

from .conftest import load_cases

RIGHTS = load_cases("rights.yaml")
QUESTIONS = load_cases("questions.yaml")


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


def test_enough_cases() -> None:
    assert len(RIGHTS) + len(QUESTIONS) >= 60
    assert all(case.get("citation") for case in RIGHTS + QUESTIONS)


@pytest.mark.parametrize("case", RIGHTS, ids=[c["name"] for c in RIGHTS])
def test_rights_case(case: dict[str, Any], engine: Engine) -> None:
    result = rights(case["input"]["citizenship"], case["input"]["host"], case["date"], engine=engine)
    data = result.to_json(engine)["entitlements"]
    got = {name: data[name]["value"] for name in case["expect"]}
    assert got == case["expect"]
    for name, day in case.get("expect_from", {}).items():
        assert data[name]["from"] == _iso(day), name
    for name, day in case.get("expect_to", {}).items():
        assert data[name]["to"] == _iso(day), name
    for name, entry in data.items():
        if entry["value"] != "unknown":
            assert entry["basis"], f"{name} has a value but no legal basis"


@pytest.mark.parametrize("case", QUESTIONS, ids=[c["name"] for c in QUESTIONS])
def test_question_case(case: dict[str, Any], engine: Engine) -> None:
    kind, day, given = case["kind"], case["date"], case["input"]
    if kind == "status":
        assert engine.status(given["org"], given["country"], day) == case["expect"]
    elif kind == "is_member":
        assert engine.is_member(given["org"], given["country"], day) is case["expect"]
    elif kind == "memberships":
        got = memberships(given["country"], day, engine=engine)
        assert {k: got[k] for k in case["expect"]} == case["expect"]
    elif kind == "party":
        assert engine.party_status(given["agreement"], given["country"], day) == case["expect"]
    elif kind in ("between", "between_in_force"):
        found = agreements_between(given["a"], given["b"], day, engine=engine)
        ids = {a["agreement"] for a in found if kind == "between" or a["in_force_for_both"]}
        assert set(case.get("expect_includes", [])) <= ids
        assert not set(case.get("expect_excludes", [])) & ids
    elif kind == "max_stay":
        assert legal_max_stay_days(given["citizenship"], given["host"], day, engine=engine) == case["expect"]
    elif kind == "visa_free":
        assert visa_free(given["citizenship"], given["host"], day, engine=engine) is case["expect"]
    else:  # pragma: no cover - a typo in a case file
        pytest.fail(f"unknown case kind {kind!r}")
