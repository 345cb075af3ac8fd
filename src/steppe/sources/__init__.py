"""Dataset loaders: one module per dataset, each defining ``SOURCE`` (see :mod:`.base`).

Modules are discovered: any module in this package with a ``SOURCE`` attribute is a loader.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from steppe.errors import UnknownDatasetError
from steppe.sources.base import KnownFile, Parsed, Source, SourceInfo

__all__ = ["KnownFile", "Parsed", "Source", "SourceInfo", "all_sources", "get_source"]


@functools.cache
def all_sources() -> dict[str, Source]:
    """Every loader, by dataset id."""
    found: dict[str, Source] = {}
    for module in pkgutil.iter_modules(__path__):
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        source = getattr(loaded, "SOURCE", None)
        if isinstance(source, Source):
            found[source.info.id] = source
    return dict(sorted(found.items()))


def get_source(dataset: str) -> Source:
    """The loader of one dataset id."""
    sources = all_sources()
    if dataset not in sources:
        raise UnknownDatasetError(dataset, sources)
    return sources[dataset]
