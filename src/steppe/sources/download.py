"""Downloading official files into the cache, checked against their checksum."""

from __future__ import annotations

from pathlib import Path

from steppe.errors import ChecksumMismatchError, SourceFileError
from steppe.sources.base import KnownFile, sha256_of


def download(known: KnownFile, folder: Path) -> Path:
    """Fetch ``known.url`` into ``folder`` (reusing a cached copy with the right checksum)."""
    import httpx

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / known.file_name
    if target.is_file() and (known.sha256 is None or sha256_of(target) == known.sha256):
        return target
    partial = target.with_name(target.name + ".part")
    try:
        with httpx.stream("GET", known.url, follow_redirects=True, timeout=60) as response:
            response.raise_for_status()
            with partial.open("wb") as handle:
                for chunk in response.iter_bytes():
                    handle.write(chunk)
    except httpx.HTTPError as exc:
        partial.unlink(missing_ok=True)
        raise SourceFileError(
            f"could not download {known.url}: {exc}. If you are offline, pass a local copy "
            "with --from PATH (or set STEPPE_DATA to a folder of official files)."
        ) from exc
    if known.sha256 and sha256_of(partial) != known.sha256:
        partial.unlink(missing_ok=True)
        raise ChecksumMismatchError(
            f"the file downloaded from {known.url} does not have the known sha256 "
            f"{known.sha256}; the publisher may have replaced it. Check the release and "
            "update the loader's KnownFile."
        )
    partial.replace(target)
    return target
