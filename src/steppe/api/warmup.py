"""Start-up warm-up: load the rules and build the most visited profiles in the background.

The first profile request otherwise pays for reading the governance YAML (about
0.5 s) and for the profile queries. :func:`start` runs :func:`warm` in a daemon
thread, so the server answers at once and requests never wait on it (a request
arriving meanwhile simply builds its own copy).
"""

from __future__ import annotations

import logging
import threading

from fastapi import FastAPI

from steppe.api.bundle import profile_bundle
from steppe.api.readers import ReaderPool
from steppe.api.responses import RowCache
from steppe.areas import group, resolve
from steppe.errors import SteppeError

LOG = logging.getLogger(__name__)
WARM_AREAS = (*group("central_asia"), "RUS")


def warm(pool: ReaderPool, cache: RowCache, langs: tuple[str, ...] = ("en",)) -> int:
    """Build the profiles of :data:`WARM_AREAS`; the number built (0 when not loaded)."""
    try:
        from steppe import governance

        governance.default_engine()
    except Exception:
        LOG.warning("governance rules could not be loaded during warm-up", exc_info=True)
    built = 0
    try:
        with pool.snapshot() as snap:
            for lang in langs:
                for code in WARM_AREAS:
                    profile_bundle(snap, cache, resolve(code), lang)
                    built += 1
    except SteppeError as exc:
        LOG.info("warm-up skipped: %s", exc)
    return built


def start(app: FastAPI) -> threading.Thread:
    """Run :func:`warm` on ``app``'s pool and cache in a daemon thread."""
    thread = threading.Thread(target=warm, args=(app.state.pool, app.state.rows),
                              name="steppe-warmup", daemon=True)
    thread.start()
    return thread
