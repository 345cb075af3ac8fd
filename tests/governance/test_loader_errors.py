"""Malformed or contradictory knowledge-base files fail as a whole, naming file, item, problem."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from steppe.governance import Engine, KnowledgeBaseError, load
from steppe.governance.queries import default_engine

from .conftest import DATA


def _folder(tmp_path: Path, *names: str) -> Path:
    for name in names:
        shutil.copy(DATA / f"{name}.yaml", tmp_path / f"{name}.yaml")
    return tmp_path


def test_minimal_fixture_loads(tmp_path: Path) -> None:
    kb = load(_folder(tmp_path, "minimal_ok"))
    engine = Engine(kb)
    assert engine.decide("work_permit_required", "KAZ", "KAZ", dt.date(2001, 1, 1))[0] is False
    assert kb.reviewed == dt.date(2020, 1, 1)


@pytest.mark.parametrize(
    ("name", "item", "problem"),
    [
        ("overlapping_intervals", "membership ORG/KAZ", "overlaps"),
        ("rule_without_citation", "rules[0] (no_permit)", "has no citation"),
        ("article_not_in_agreement", "rule no_permit", "article 'Art. 9' does not exist in agreement 'treaty'"),
        ("unknown_country", "membership ORG/XXX", "unknown country code 'XXX'"),
        ("malformed", "file", "is not valid YAML"),
        ("bad_date", "memberships[0] (ORG KAZ)", "from"),
    ],
)
def test_broken_file_names_file_item_problem(tmp_path: Path, name: str, item: str, problem: str) -> None:
    with pytest.raises(KnowledgeBaseError) as info:
        load(_folder(tmp_path, name))
    message = str(info.value)
    assert f"{name}.yaml" in message
    assert item in message
    assert problem in message
    assert all(p.file == f"{name}.yaml" for p in info.value.problems)


def test_load_fails_as_a_whole(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "minimal_ok", "article_not_in_agreement")
    with pytest.raises(KnowledgeBaseError) as info:
        load(folder)
    # duplicates between the two files are reported too, but nothing is returned
    assert "article_not_in_agreement.yaml" in str(info.value)


def test_contradictory_rules_raise_when_both_apply(tmp_path: Path) -> None:
    engine = Engine(load(_folder(tmp_path, "contradictory_rules")))
    with pytest.raises(KnowledgeBaseError, match="contradictory_rules.yaml.*different work_permit_required"):
        engine.decide("work_permit_required", "KAZ", "KAZ", dt.date(2005, 1, 1))


def test_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="holds no"):
        load(tmp_path)


def test_bundled_knowledge_base_is_valid() -> None:
    kb = default_engine().kb
    assert len(kb.memberships) > 100 and len(kb.rules) > 50 and len(kb.agreements) > 30
