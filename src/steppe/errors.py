"""One family of error types.

Every error says what is wrong and what to do next. Each class also inherits the
nearest builtin so callers can catch ``ValueError``/``LookupError`` as usual.
Context lives in attributes (``path``, ``source_id``, ``names``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class SteppeError(Exception):
    """Base class of every error steppe raises on purpose."""

    exit_code: int = 1


class InvalidOptionError(SteppeError, ValueError):
    """An argument or option has a value outside the accepted ones."""

    def __init__(self, name: str, value: object, accepted: Iterable[object] | str) -> None:
        self.name = name
        self.value = value
        accepted_text = accepted if isinstance(accepted, str) else ", ".join(map(repr, accepted))
        super().__init__(f"{name}={value!r} is not accepted; expected {accepted_text}.")


class UnknownAreaError(SteppeError, LookupError):
    """One or more country/area names or codes could not be resolved."""

    def __init__(self, names: Iterable[str], context: str = "") -> None:
        self.names = sorted({str(n) for n in names})
        where = f" in {context}" if context else ""
        listed = "; ".join(repr(n) for n in self.names)
        super().__init__(
            f"{len(self.names)} unknown country/area name(s){where}: {listed}. "
            "Use an ISO3 code, an M49 code or an English/Russian name, or add the spelling "
            "to src/steppe/areas/aliases.csv with its ISO3 code."
        )

    def __str__(self) -> str:  # LookupError would otherwise repr() the message
        return str(self.args[0])


class SourceFileError(SteppeError, ValueError):
    """A source file is missing, corrupt, truncated or not the expected dataset."""

    def __init__(self, message: str, *, path: Path | str | None = None, source_id: str = "") -> None:
        self.path = Path(path) if path is not None else None
        self.source_id = source_id
        super().__init__(message)


class ChecksumMismatchError(SourceFileError):
    """A file claims to be a known release but its sha256 differs."""


class UnknownDatasetError(SteppeError, LookupError):
    """A dataset id that no loader knows."""

    def __init__(self, dataset: str, known: Iterable[str]) -> None:
        self.dataset = dataset
        super().__init__(
            f"unknown dataset {dataset!r}; known datasets: {', '.join(sorted(known))}. "
            "Run `steppe sources --available` to list them."
        )

    def __str__(self) -> str:
        return str(self.args[0])


class WarehouseError(SteppeError, RuntimeError):
    """The warehouse file cannot be used."""

    def __init__(self, message: str, *, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        super().__init__(message)


class WarehouseLockedError(WarehouseError):
    """Another process is writing to the warehouse."""


class NotLoadedError(SteppeError, LookupError):
    """A query needs data that has not been ingested yet."""

    def __init__(self, what: str, hint: str = "run `steppe ingest --from ../shared/data`") -> None:
        super().__init__(f"{what} is not in the warehouse; {hint}.")

    def __str__(self) -> str:
        return str(self.args[0])
