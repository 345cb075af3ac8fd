"""Profile and corridor documents built once per release fingerprint.

The API routes and the portal pages share these bundles through the app's
:class:`~steppe.api.responses.RowCache`, so a profile is computed once per loaded
set of releases and language, whichever asks first (or :mod:`steppe.api.warmup`).
"""

from __future__ import annotations

from typing import Any

from steppe.api.corridor import build_corridor
from steppe.api.profile import build_profile
from steppe.api.readers import Snapshot
from steppe.api.responses import RowCache
from steppe.areas import Area


def profile_bundle(snap: Snapshot, cache: RowCache, area: Area, lang: str) -> dict[str, Any]:
    """``{"sections", "releases"}`` of :func:`build_profile`, cached per fingerprint."""
    key = (snap.fingerprint, f"profile-bundle|{area.area_id}|{lang}")
    return cache.get_or_build(key, lambda: build_profile(snap.con, area, lang))  # type: ignore[no-any-return]


def corridor_bundle(snap: Snapshot, cache: RowCache, first: Area, second: Area) -> dict[str, Any]:
    """``{"sections", "releases"}`` of :func:`build_corridor`, cached per fingerprint."""
    key = (snap.fingerprint, f"corridor-bundle|{first.area_id}|{second.area_id}")
    return cache.get_or_build(key, lambda: build_corridor(snap.con, first, second))  # type: ignore[no-any-return]
