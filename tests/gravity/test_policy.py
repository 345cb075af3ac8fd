"""Dated policy variables: both members on the date of each observation."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from gravity.membership_cases import HAND_TABLE

from steppe.gravity.design import add_policy
from steppe.gravity.policy import both_members, observation_date

D = dt.date


def _eeu(origin: str, destination: str, on: dt.date) -> float:
    return float(both_members(HAND_TABLE.is_member, "EEU", [origin], [destination], [on])[0])


@pytest.mark.parametrize(
    ("country", "accession"), [("ARM", D(2015, 1, 2)), ("KGZ", D(2015, 8, 12))]
)
def test_eeu_changes_exactly_on_the_accession_date(country: str, accession: dt.date) -> None:
    day_before = accession - dt.timedelta(days=1)
    assert _eeu(country, "RUS", day_before) == 0.0
    assert _eeu(country, "RUS", accession) == 1.0
    assert _eeu("KAZ", country, accession) == 1.0


def test_annual_observations_use_mid_year() -> None:
    frame = pd.DataFrame(
        {"origin": ["KGZ", "KGZ", "ARM", "UZB", "GEO", "GEO"],
         "destination": ["RUS", "RUS", "KAZ", "RUS", "RUS", "RUS"],
         "year": [2015, 2016, 2015, 2020, 2005, 2010]}
    )
    out = add_policy(frame, HAND_TABLE.is_member)
    # Kyrgyzstan joined on 12 August 2015, after the 1 July 2015 reference date
    assert out["eeu"].tolist() == [0.0, 1.0, 1.0, 0.0, 0.0, 0.0]
    # Georgia left the CIS on 18 August 2009
    assert out["cis"].tolist() == [1.0, 1.0, 1.0, 1.0, 1.0, 0.0]
    assert observation_date(2015) == D(2015, 7, 1)


def test_with_member_is_a_changed_copy() -> None:
    joined = HAND_TABLE.with_member("EEU", "UZB", D(2020, 1, 1))
    assert joined.is_member("EEU", "UZB", D(2020, 6, 1))
    assert not HAND_TABLE.is_member("EEU", "UZB", D(2020, 6, 1))
    assert joined.members("EEU", D(2016, 1, 1)) == ["ARM", "BLR", "KAZ", "KGZ", "RUS"]


def test_variable_is_symmetric_and_zero_off_members() -> None:
    rng = np.random.default_rng(0)
    codes = np.array(["ARM", "BLR", "KAZ", "KGZ", "RUS", "UZB", "TJK", "DEU"])
    o, d = rng.choice(codes, 200), rng.choice(codes, 200)
    days = [D(2010, 1, 1) + dt.timedelta(days=int(x)) for x in rng.integers(0, 4000, 200)]
    ab = both_members(HAND_TABLE.is_member, "EEU", o, d, days)
    ba = both_members(HAND_TABLE.is_member, "EEU", d, o, days)
    assert np.array_equal(ab, ba)
    assert not ab[np.isin(o, ["UZB", "TJK", "DEU"])].any()


@pytest.mark.parametrize(
    ("country", "accession"), [("ARM", D(2015, 1, 2)), ("KGZ", D(2015, 8, 12))]
)
def test_eeu_variable_from_the_knowledge_base(country: str, accession: dt.date) -> None:
    """Acceptance: the EEU variable changes exactly on the accession dates of the KB."""
    from steppe.gravity.policy import governance_is_member, governance_table

    table = governance_table(["EEU"])
    before = accession - dt.timedelta(days=1)
    for is_member in (table.is_member, governance_is_member):
        values = both_members(is_member, "EEU", [country, country, "RUS"],
                              ["RUS", "RUS", country], [before, accession, accession])
        assert values.tolist() == [0.0, 1.0, 1.0]
    # Uzbekistan is an observer (since 2020-12-11), not a member
    assert not table.is_member("EEU", "UZB", D(2024, 1, 1))
    assert table.members("EEU", D(2015, 1, 1)) == ["BLR", "KAZ", "RUS"]


def test_pair_rules_from_the_knowledge_base() -> None:
    from steppe.gravity.policy import add_pair_rule, governance_agreement, governance_visa_free

    frame = pd.DataFrame({"origin": ["KGZ", "KGZ", "TKM", "DEU"],
                          "destination": ["RUS", "RUS", "RUS", "RUS"],
                          "year": [1995, 2020, 2010, 2020]})
    out = add_pair_rule(frame, "visa_free", governance_visa_free())
    # unknown stays unknown (NaN), never guessed; Turkmen citizens need a visa for Russia
    assert np.isnan(out.visa_free[0]) and out.visa_free[1] == 1.0 and out.visa_free[2] == 0.0
    assert np.isnan(out.visa_free[3])
    treaty = add_pair_rule(frame, "eeu_treaty", governance_agreement("eeu_treaty_2014"))
    assert treaty.eeu_treaty[1] == 1.0 and treaty.eeu_treaty[0] == 0.0
    from steppe.errors import InvalidOptionError

    with pytest.raises(InvalidOptionError, match="eeu_treaty_2014"):
        governance_agreement("no_such_treaty")
