"""Input checks shared by the flow estimators.

Every check names the argument, says what was expected and what was found, so a
caller never gets a silent proportion table or a broadcast surprise.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from steppe.errors import InvalidOptionError

__all__ = ["Array", "InvalidOptionError"]

Array = NDArray[np.float64]


def as_matrix(name: str, value: ArrayLike, *, square: bool = True) -> Array:
    """Return ``value`` as a finite float64 2-D array, or raise naming ``name``."""
    arr = np.array(value, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array; got {arr.ndim} dimension(s) {arr.shape}.")
    if square and arr.shape[0] != arr.shape[1]:
        raise ValueError(
            f"{name} must be square (rows = place of birth, columns = place of residence, "
            f"same regions in the same order); got shape {arr.shape}."
        )
    _finite(name, arr)
    return arr


def as_vector(name: str, value: ArrayLike, n: int | None = None) -> Array:
    """Return ``value`` as a finite float64 1-D array of length ``n``."""
    arr = np.array(value, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D vector; got shape {arr.shape}.")
    if n is not None and arr.shape[0] != n:
        raise ValueError(
            f"{name} has {arr.shape[0]} entries but the stock tables have {n} regions; "
            "give one value per region, in the stock tables' order."
        )
    _finite(name, arr)
    return arr


def _finite(name: str, arr: Array) -> None:
    bad = ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} contains {int(bad.sum())} missing or infinite value(s) (first at index "
            f"{where}); fill them (0 for an empty cell) before estimating flows."
        )


def non_negative(name: str, arr: Array, *, allow_diagonal: bool = False) -> None:
    """Raise if ``arr`` has negative cells (the diagonal may be exempted)."""
    neg = arr < 0
    if allow_diagonal and arr.ndim == 2:
        np.fill_diagonal(neg, False)
    if neg.any():
        where = tuple(int(i) for i in np.argwhere(neg)[0])
        raise ValueError(
            f"{name} has {int(neg.sum())} negative value(s) (first {arr[where]:g} at index "
            f"{where}); counts of people and events cannot be negative."
        )


def same_shape(names: tuple[str, str], a: Array, b: Array) -> None:
    """Raise if two arrays have different shapes."""
    if a.shape != b.shape:
        raise ValueError(
            f"{names[0]} has shape {a.shape} but {names[1]} has shape {b.shape}; "
            "both must cover the same regions in the same order."
        )


def choice(name: str, value: object, accepted: Iterable[object]) -> None:
    """Raise :class:`InvalidOptionError` unless ``value`` is one of ``accepted``."""
    options = tuple(accepted)
    if value not in options:
        raise InvalidOptionError(name, value, options)


def tolerance_value(value: object) -> tuple[float, bool]:
    """Map ``tolerance`` to (absolute stopping value, migest mode)."""
    if isinstance(value, str):
        if value != "migest":
            raise InvalidOptionError("tolerance", value, "'migest' or a positive float")
        return 1e-3, True
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise InvalidOptionError("tolerance", value, "'migest' or a positive float")
    return float(value), False
