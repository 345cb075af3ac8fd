"""Errors of the governance knowledge base (subclasses of steppe's family)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from steppe.errors import SteppeError


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a knowledge-base file."""

    file: str
    item: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: {self.item}: {self.problem}"


class KnowledgeBaseError(SteppeError, ValueError):
    """The knowledge base is malformed or contradictory; nothing was loaded."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        listed = "\n  ".join(str(p) for p in self.problems)
        super().__init__(
            f"the governance knowledge base did not load ({len(self.problems)} problem(s)); "
            f"fix these items and load again:\n  {listed}"
        )
