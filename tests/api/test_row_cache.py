"""The API's result cache: one build per key even when requests arrive together."""

import threading
import time

import pytest

from steppe.api.responses import RowCache


def _together(n, call):
    """Run ``call`` in ``n`` threads started at once; their results or exceptions."""
    results, start = [None] * n, threading.Barrier(n)

    def run(i):
        start.wait()
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return results


def test_concurrent_requests_for_one_key_share_one_build():
    cache, builds = RowCache(), []

    def build():
        builds.append(1)
        time.sleep(0.2)  # a slow build (a profile, a model fit) that others arrive during
        return {"value": len(builds)}

    results = _together(6, lambda: cache.get_or_build(("release", "profile|KAZ"), build))
    assert len(builds) == 1
    assert all(r is results[0] for r in results) and results[0] == {"value": 1}
    assert cache.get_or_build(("release", "profile|KAZ"), build) is results[0]


def test_a_failed_build_reaches_every_waiter_and_is_not_cached():
    cache, builds = RowCache(), []

    def failing():
        builds.append(1)
        time.sleep(0.2)
        raise ValueError("fit did not converge")

    results = _together(4, lambda: cache.get_or_build(("r", "scenario"), failing))
    assert len(builds) == 1
    assert all(isinstance(r, ValueError) and str(r) == "fit did not converge" for r in results)
    assert cache.get_or_build(("r", "scenario"), lambda: "second try") == "second try"


def test_other_keys_are_not_held_up_and_the_oldest_entry_is_evicted():
    cache = RowCache(size=2)
    for name in ("a", "b", "c"):
        cache.get_or_build(("r", name), lambda name=name: name.upper())
    with pytest.raises(KeyError):
        cache.get_or_build(("r", "a"), lambda: (_ for _ in ()).throw(KeyError("rebuilt")))
    assert cache.get_or_build(("r", "c"), lambda: "not rebuilt") == "C"
