"""The one small interface every dataset loader offers.

A loader module defines ``SOURCE``, an instance of a :class:`Source` subclass:

* ``info`` – a :class:`SourceInfo` (id, title, publisher, licence, URLs) with the
  :class:`KnownFile` releases it recognises (edition, file name, official URL, sha256);
* ``recognise(path)`` – which known release a local file is (by checksum, then name);
* ``fetch(cache_dir, edition)`` – download the official file into the cache;
* ``read(path, known)`` – parse the untouched file into canonical rows (:class:`Parsed`);
* ``validate(parsed)`` – problems that forbid loading (an empty list when fine).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from steppe.errors import ChecksumMismatchError, SourceFileError


@dataclass(frozen=True)
class KnownFile:
    """One official file of one release of a dataset."""

    edition: str  #: release label users see, e.g. the revision year '2024'
    file_name: str  #: the official (or documented) file name
    url: str  #: where the publisher distributes these bytes
    sha256: str | None = None  #: checksum of the known bytes; None when any copy is accepted
    size: int | None = None
    fmt: str = ""  #: a label the loader uses to pick its parser, e.g. 'long-csv', 'xlsx'


@dataclass(frozen=True)
class SourceInfo:
    """What a dataset is and where it comes from."""

    id: str
    title: str
    publisher: str
    licence: str
    url: str
    citation: str
    files: tuple[KnownFile, ...] = ()


@dataclass
class Parsed:
    """Canonical rows ready for the warehouse, and what parsing met on the way."""

    tables: dict[str, pa.Table]  #: warehouse table name -> rows (without release_id, load_id)
    counts: dict[str, int] = field(default_factory=dict)  #: e.g. {'missing_marker': 122}

    @property
    def rows(self) -> int:
        return sum(t.num_rows for t in self.tables.values())


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    """The sha256 hex digest of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


class Source:
    """Base class: recognising, fetching and checking files; subclasses parse."""

    info: SourceInfo

    def recognise(self, path: Path, sha256: str | None = None) -> KnownFile | None:
        """The known release this file is: by checksum first, then by file name.

        Raises
        ------
        ChecksumMismatchError
            The name is a known release's but the bytes differ from it.
        """
        digest = sha256 or sha256_of(path)
        for known in self.info.files:
            if known.sha256 == digest:
                return known
        for known in self.info.files:
            if known.file_name == path.name:
                if known.sha256 is None:
                    return known
                raise ChecksumMismatchError(
                    f"{path} is named like the {self.info.id} {known.edition} release but its "
                    f"sha256 is {digest}, not {known.sha256}. The file may be truncated, "
                    f"re-saved or a different edition: download it again from {known.url}.",
                    path=path,
                    source_id=self.info.id,
                )
        return None

    def fetch(self, cache_dir: Path, edition: str | None = None) -> Path:
        """Download the official file of ``edition`` (default: the newest) into the cache."""
        from steppe.sources.download import download

        candidates = [k for k in self.info.files if edition in (None, k.edition)]
        if not candidates:
            raise SourceFileError(
                f"{self.info.id} has no edition {edition!r}; known: "
                f"{', '.join(sorted({k.edition for k in self.info.files}))}",
                source_id=self.info.id,
            )
        known = max(candidates, key=lambda k: k.edition)
        return download(known, cache_dir / self.info.id)

    def read(self, path: Path, known: KnownFile) -> Parsed:  # pragma: no cover - abstract
        raise NotImplementedError

    def validate(self, parsed: Parsed) -> list[str]:
        """Problems that forbid loading; by default: a file that gave no rows."""
        return [] if parsed.rows else ["the file gave no data rows"]
