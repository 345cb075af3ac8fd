"""Integer rescaling of the native-born diagonal, and R's random remainder position.

migest's global balance rounds the native-born cells to integers and puts the
rounding remainder on one region. The intended region is the largest one; in
migest 2.0.5 R's ``sample()`` picks a random position in ``1..k`` instead, where
``k`` is the position of the largest cell. :class:`RSampler` reproduces that draw
for a given ``set.seed()`` value (METHODS.md, Appendix A) so bit-matching tests can
inject the same position; steppe's own default is the intended largest region.
"""

from __future__ import annotations

import math

import numpy as np

from steppe.flows.checks import Array


def integer_rescale(x: Array, total: float, remainder_index: int | None = None) -> tuple[Array, int | None]:
    """Scale ``x`` to sum to ``total``, rounded half-to-even, remainder on one element.

    Parameters
    ----------
    x : 1-D array with a non-zero sum.
    total : the new sum.
    remainder_index : 0-based element that receives ``total − sum(rounded)``;
        ``None`` means the largest |x| (the first if tied).

    Returns
    -------
    The rescaled vector and the index that received a non-zero remainder (or None).
    """
    y = np.rint(x * total / x.sum())
    d = total - y.sum()
    if d == 0:
        return y, None
    idx = int(np.argmax(np.abs(x))) if remainder_index is None else int(remainder_index)
    if not 0 <= idx < x.shape[0]:
        raise ValueError(f"remainder_index={idx} is outside 0..{x.shape[0] - 1}.")
    y[idx] += d
    return y, idx


class RSampler:
    """R's default generator (Mersenne-Twister, Rejection sampling) after ``set.seed(seed)``."""

    def __init__(self, seed: int) -> None:
        s = seed & 0xFFFFFFFF
        for _ in range(50):
            s = (69069 * s + 1) & 0xFFFFFFFF
        key = []
        for _ in range(625):
            s = (69069 * s + 1) & 0xFFFFFFFF
            key.append(s)
        self._bitgen = np.random.MT19937()
        self._bitgen.state = {
            "bit_generator": "MT19937",
            "state": {"key": np.array(key[1:], dtype=np.uint32), "pos": 624},
        }

    def unif(self) -> float:
        """One uniform draw in (0, 1), as R's ``unif_rand()``."""
        u = int(self._bitgen.random_raw()) * 2.3283064365386963e-10
        return min(max(u, 0.5 * 2.328306437080797e-10), 1.0 - 0.5 * 2.328306437080797e-10)

    def position(self, k: int) -> int:
        """A uniform draw from 1..k (1-based), as R's ``sample(k, 1)``."""
        if k <= 1:
            return 1
        bits = math.ceil(math.log2(k))
        while True:
            v = 0
            n = 0
            while n <= bits:
                v = 65536 * v + math.floor(self.unif() * 65536)
                n += 16
            v &= (1 << bits) - 1
            if v < k:
                return v + 1
