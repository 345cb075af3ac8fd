"""Finding source files in a folder and loading them in one writer session."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from steppe.errors import SourceFileError, SteppeError
from steppe.sources import Source, all_sources, get_source
from steppe.sources.base import KnownFile, sha256_of
from steppe.warehouse.loads import LoadResult, load_file
from steppe.warehouse.store import Warehouse


@dataclass(frozen=True)
class PlannedFile:
    """A file recognised as a release of a dataset."""

    path: Path
    source: Source
    known: KnownFile
    sha256: str


@dataclass(frozen=True)
class Skipped:
    """A file that will not be loaded, and why."""

    path: Path
    reason: str


@dataclass(frozen=True)
class Failed:
    """A file whose load failed; the warehouse kept its previous state for it."""

    path: Path
    dataset: str
    error: SteppeError


def plan_folder(folder: Path, datasets: Iterable[str] = ()) -> tuple[list[PlannedFile], list[Skipped]]:
    """Recognise every file below ``folder`` (by checksum, then name) as a known release."""
    folder = Path(folder)
    if not folder.exists():
        raise SourceFileError(f"{folder} does not exist; pass the folder of official files "
                              "(for example ../shared/data) to --from.", path=folder)
    wanted = [get_source(d) for d in datasets] or list(all_sources().values())
    planned: list[PlannedFile] = []
    skipped: list[Skipped] = []
    files = [folder] if folder.is_file() else sorted(p for p in folder.rglob("*") if p.is_file())
    for path in files:
        if path.name.startswith(".") or path.suffix == ".md":
            continue
        outcome = _recognise(path, wanted)
        if isinstance(outcome, PlannedFile):
            planned.append(outcome)
        else:
            skipped.append(outcome)
    return planned, skipped


def _recognise(path: Path, sources: list[Source]) -> PlannedFile | Skipped:
    """The first source that knows this file, or why it is skipped."""
    digest = sha256_of(path)
    for source in sources:
        try:
            known = source.recognise(path, digest)
        except SourceFileError as exc:  # named like a release but with other bytes
            return Skipped(path, str(exc))
        if known is not None:
            return PlannedFile(path, source, known, digest)
    return Skipped(path, "not a file of any known dataset release")


def plan_file(path: Path, dataset: str) -> PlannedFile:
    """One file given explicitly for one dataset; it must be a known release of it."""
    source = get_source(dataset)
    path = Path(path)
    if not path.is_file():
        raise SourceFileError(f"{path} does not exist or is not a file; check the path.",
                              path=path, source_id=dataset)
    digest = sha256_of(path)
    known = source.recognise(path, digest)
    if known is None:
        raise SourceFileError(
            f"{path.name} is not a known release of {dataset} (by checksum or file name); "
            "expected one of: " + ", ".join(sorted({k.file_name for k in source.info.files})),
            path=path, source_id=dataset)
    return PlannedFile(path, source, known, digest)


def bundled_files(datasets: Iterable[str] = ()) -> list[PlannedFile]:
    """Sources shipped inside steppe (the cited reference-document figures)."""
    from steppe.sources import reference_documents

    wanted = set(datasets)
    if wanted and reference_documents.INFO.id not in wanted:
        return []
    path = reference_documents.bundled_path()
    return [PlannedFile(path, reference_documents.SOURCE, reference_documents.INFO.files[0],
                        sha256_of(path))]


def run_plan(
    warehouse: Warehouse,
    planned: list[PlannedFile],
    on_file: Callable[[PlannedFile, LoadResult | Failed], None] = lambda p, r: None,
) -> list[LoadResult | Failed]:
    """Load every planned file, each in its own transaction, in one writer session.

    A file that fails is rolled back and reported; the others are loaded. The
    governance knowledge base, when steppe has one, is written in the same session.
    """
    results: dict[int, LoadResult | Failed] = {}
    with warehouse.writer() as con, ThreadPoolExecutor(max_workers=2) as pool:
        loaded = {(r[0], r[1]) for r in con.execute("SELECT dataset, sha256 FROM releases").fetchall()}
        # parsing is pure and mostly native code (DuckDB, pyarrow, calamine): parse the files
        # not loaded yet in two threads and load each on the single writer connection as
        # soon as its parse is done, so inserting overlaps parsing
        pending = {i: item for i, item in enumerate(planned)
                   if (item.source.info.id, item.sha256) not in loaded}
        futures = {pool.submit(item.source.read, item.path, item.known): i
                   for i, item in _parse_order(pending)}
        parsed_in_order = ((futures[f], f.result) for f in as_completed(futures))
        already = ((i, None) for i in range(len(planned)) if i not in pending)
        for i, parse in itertools.chain(parsed_in_order, already):
            item = planned[i]
            try:
                result: LoadResult | Failed = load_file(
                    con, item.source, item.path, item.known, sha256=item.sha256, parse=parse)
            except SteppeError as exc:
                result = Failed(item.path, item.source.info.id, exc)
            results[i] = result
            on_file(item, result)
        _write_governance(con)
    return [results[i] for i in range(len(planned))]


def _parse_order(pending: dict[int, PlannedFile]) -> list[tuple[int, PlannedFile]]:
    """The largest file first, then the others smallest first.

    One thread parses the largest file while the other works through the small ones, which
    the writer loads meanwhile; the second largest comes last, so the writer is kept busy
    from the start rather than waiting for two large parses.
    """
    by_size = sorted(pending.items(), key=lambda p: p[1].path.stat().st_size)
    return by_size[-1:] + by_size[:-1]


def _write_governance(con: object) -> None:
    try:
        from steppe.governance.store import write_knowledge_base
    except ImportError:
        return
    write_knowledge_base(con)
