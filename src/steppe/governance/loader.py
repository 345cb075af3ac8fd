"""Read ``rules/*.yaml``, validate every item and the links between files.

Loading is all or nothing: every problem found (YAML syntax, schema, missing
citation, overlapping intervals, unknown countries, articles missing from their
agreement, ...) is collected and raised in one :class:`KnowledgeBaseError` naming
file, item and problem.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from steppe.governance.errors import KnowledgeBaseError, Problem
from steppe.governance.models import Agreement, Claim, KBFile, Membership, Organisation, Rule

RULES_DIR = Path(str(resources.files("steppe.governance").joinpath("rules")))


@dataclass(frozen=True)
class KnowledgeBase:
    """Every validated item, with the file each came from."""

    files: tuple[KBFile, ...]
    sources: dict[str, str] = field(default_factory=dict)  # item key -> file name
    reviewed: dt.date = dt.date(1991, 1, 1)
    digest: str = ""

    @property
    def organisations(self) -> dict[str, Organisation]:
        return {o.id: o for f in self.files for o in f.organisations}

    @property
    def agreements(self) -> dict[str, Agreement]:
        return {a.id: a for f in self.files for a in f.agreements}

    @property
    def memberships(self) -> list[Membership]:
        return [m for f in self.files for m in f.memberships]

    @property
    def rules(self) -> list[Rule]:
        return [r for f in self.files for r in f.rules]

    @property
    def claims(self) -> list[Claim]:
        return [c for f in self.files for c in f.claims]


def _item_label(raw: Any, loc: tuple[int | str, ...]) -> str:
    """'rules[2] (id=eeu_no_permit)' from a pydantic error location."""
    parts: list[str] = []
    node = raw
    for key in loc[:2]:
        parts.append(f"[{key}]" if isinstance(key, int) else str(key))
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
    label = "".join(parts) or "file"
    if isinstance(node, dict):
        name = node.get("id") or " ".join(str(node.get(k, "")) for k in ("org", "country")).strip()
        if name:
            label += f" ({name})"
    return label


def _pydantic_problems(name: str, raw: Any, exc: ValidationError) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        where = ".".join(str(p) for p in loc[2:]) or "item"
        if loc and loc[-1] == "cite" and err["type"] in ("missing", "too_short"):
            text = "has no citation; add `cite:` with at least one {document, article, url}"
        else:
            text = f"{where}: {err['msg']}"
        problems.append(Problem(name, _item_label(raw, loc), text))
    return problems


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML without implicit timestamps: pydantic parses dates and reports bad ones per item."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_file(path: Path) -> tuple[KBFile | None, list[Problem]]:
    """Parse and validate one YAML file; problems instead of exceptions."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        return None, [Problem(path.name, "file", f"is not valid YAML: {exc}")]
    if not isinstance(raw, dict):
        return None, [Problem(path.name, "file", "must be a mapping with id, title, reviewed, ...")]
    try:
        return KBFile.model_validate(raw), []
    except ValidationError as exc:
        return None, _pydantic_problems(path.name, raw, exc)


def load(directory: Path | str | None = None) -> KnowledgeBase:
    """Load and validate every ``*.yaml`` under ``directory`` (default: the bundled rules)."""
    from steppe.governance.checks import cross_check

    folder = Path(directory) if directory is not None else RULES_DIR
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise KnowledgeBaseError([Problem(str(folder), "folder", "holds no *.yaml files")])
    files: list[KBFile] = []
    names: dict[str, str] = {}
    problems: list[Problem] = []
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
        kb_file, found = read_file(path)
        problems.extend(found)
        if kb_file is None:
            continue
        if kb_file.id != path.stem:
            problems.append(Problem(path.name, "id", f"{kb_file.id!r} differs from the file name"))
        files.append(kb_file)
        names[kb_file.id] = path.name
    if not problems:
        problems.extend(cross_check(files, names))
    if problems:
        raise KnowledgeBaseError(problems)
    return KnowledgeBase(
        files=tuple(files),
        sources=names,
        reviewed=max(f.reviewed for f in files),
        digest=digest.hexdigest(),
    )
