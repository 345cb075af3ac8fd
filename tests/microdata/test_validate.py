"""Every bad-input case ends in the quarantine with its reason; nothing is dropped."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from steppe.errors import SourceFileError
from steppe.microdata.schema import CROSSINGS, PERMITS, REGISTRATIONS
from steppe.microdata.validate import validate_file, validate_table

GOOD = {
    "person_key": "1001", "citizenship": "UZB", "sex": "male", "age_group": "25-34",
    "region": "KZ-75", "purpose": "work", "registration_date": "2023-03-02",
    "deregistration_date": "2023-10-20",
}


def table(*changes: dict[str, str | None]) -> pa.Table:
    """One good row followed by one row per change (each with its own key)."""
    rows = [dict(GOOD)]
    for i, change in enumerate(changes):
        rows.append({**GOOD, "person_key": str(2000 + i), **change})
    return pa.Table.from_pylist(rows, schema=pa.schema([(c, pa.string()) for c in GOOD]))


@pytest.mark.parametrize(
    ("change", "reason", "detail"),
    [
        ({"citizenship": "ZZZ"}, "unknown-code", "unknown-code:citizenship"),
        ({"region": "KZ-99"}, "unknown-code", "unknown-code:region"),
        ({"sex": "M"}, "unknown-code", "unknown-code:sex"),
        ({"age_group": "30-39"}, "unknown-code", "unknown-code:age_group"),
        ({"purpose": "tourism"}, "unknown-code", "unknown-code:purpose"),
        ({"registration_date": "2023-02-30"}, "bad-date", "bad-date:registration_date"),
        ({"deregistration_date": "20/10/2023"}, "bad-date", "bad-date:deregistration_date"),
        ({"registration_date": "2023-11-01"}, "dates-out-of-order", "dates-out-of-order"),
        ({"person_key": "AB-12"}, "bad-key", "bad-key:person_key"),
        ({"citizenship": ""}, "missing-value", "missing-value:citizenship"),
        ({"registration_date": None}, "missing-value", "missing-value:registration_date"),
    ],
)
def test_bad_row_is_quarantined_with_reason(change: dict[str, str], reason: str, detail: str) -> None:
    res = validate_table(table(change), REGISTRATIONS)
    assert res.valid.num_rows == 1
    assert res.quarantine.num_rows == 1
    row = res.quarantine.to_pylist()[0]
    assert (row["reason"], row["row_number"]) == (reason, 1)
    assert detail in row["detail"]
    assert res.counts == {reason: 1}


def test_duplicate_keeps_first_and_quarantines_the_repeat() -> None:
    res = validate_table(table({"person_key": "1001"}), REGISTRATIONS)
    assert res.valid.column("person_key").to_pylist() == [1001]
    assert res.quarantine.to_pylist()[0]["reason"] == "duplicate"
    assert res.quarantine.to_pylist()[0]["row_number"] == 1


def test_open_stay_is_valid_and_typed() -> None:
    res = validate_table(table({"deregistration_date": None}, {"deregistration_date": ""}), REGISTRATIONS)
    assert res.ok
    assert res.valid.schema == REGISTRATIONS.arrow_schema()
    assert res.valid.column("deregistration_date").null_count == 2


def test_several_problems_are_all_listed_and_rows_conserved() -> None:
    t = table({"citizenship": "XXX", "registration_date": "2023-12-01"}, {"sex": "?"}, {})
    res = validate_table(t, REGISTRATIONS)
    assert res.valid.num_rows + res.quarantine.num_rows == t.num_rows
    first = res.quarantine.to_pylist()[0]
    assert first["reason"] == "unknown-code"
    assert "dates-out-of-order" in first["detail"]
    assert first["citizenship"] == "XXX"  # kept as received


def test_permits_and_crossings_schemas() -> None:
    permits = pa.table({
        "person_key": ["1", "2"], "citizenship": ["TJK", "TJK"], "region": ["KZ-71", "KZ-71"],
        "kind": ["patent", "visa"], "sector": ["F", "F"],
        "issue_date": ["2023-01-10", "2023-05-01"], "expiry_date": ["2023-04-10", "2023-04-01"],
    })
    res = validate_table(permits, PERMITS)
    assert res.quarantine.to_pylist()[0]["detail"] == "unknown-code:kind; dates-out-of-order"
    crossings = pa.table({
        "person_key": ["1", "1"], "citizenship": ["KGZ", "KGZ"], "border_point": ["KZ-BP-01"] * 2,
        "direction": ["entry", "entry"], "crossing_date": ["2023-01-10", "2023-01-10"],
    })
    res = validate_table(crossings, CROSSINGS)
    assert res.valid.num_rows == 1 and res.counts == {"duplicate": 1}


def test_missing_column_is_a_file_error(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError, match="lacks column"):
        validate_table(table().drop(["sex"]), REGISTRATIONS)


def test_csv_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "registrations.csv"
    lines = [",".join(GOOD), ",".join(GOOD.values()), ",".join({**GOOD, "sex": "x"}.values())]
    path.write_text("\n".join(lines) + "\n")
    res = validate_file(path, "registrations")
    assert res.valid.num_rows == 1 and res.counts == {"unknown-code": 1}
    with pytest.raises(SourceFileError, match="does not exist"):
        validate_file(tmp_path / "nope.csv", "registrations")


def test_person_key_range() -> None:
    """19-digit keys are accepted up to the int64 limit and quarantined beyond it."""
    res = validate_table(table({"person_key": "9223372036854775807"}, {"person_key": "9223372036854775808"}),
                         REGISTRATIONS)
    assert res.valid.column("person_key").to_pylist() == [1001, 9223372036854775807]
    assert res.quarantine.to_pylist()[0]["reason"] == "bad-key"
