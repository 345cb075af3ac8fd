"""Read migest's worked cases (``../shared/flows/cases/<case>/``) into numpy arrays."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from conftest import cases_path

CASES = cases_path()


def case_names(prefix: str) -> list[str]:
    """Names of the cases whose folder starts with ``prefix`` (empty if the folder is missing)."""
    if not CASES.is_dir():
        return []
    return sorted(p.name for p in CASES.iterdir() if p.name.startswith(prefix))


def rows(path: Path) -> list[list[str]]:
    with path.open(newline="") as fh:
        return list(csv.reader(fh))[1:]


@dataclass
class Case:
    name: str
    path: Path
    params: dict

    def file(self, name: str) -> Path:
        return self.path / name

    def has(self, name: str) -> bool:
        return (self.path / name).exists()

    def order(self) -> list[str]:
        """Region order: the births file when present, else first appearance in stocks/P1/m."""
        for fname in ("input_births.csv",):
            if self.has(fname):
                return [r[0] for r in rows(self.file(fname))]
        for fname in ("input_stock_start.csv", "input_P1.csv", "input_m.csv", "output_n.csv", "output_mu.csv"):
            if self.has(fname):
                seen: list[str] = []
                for r in rows(self.file(fname)):
                    if r[0] not in seen:
                        seen.append(r[0])
                return seen
        raise FileNotFoundError(self.path)

    def vector(self, fname: str, order: list[str]) -> np.ndarray:
        vals = {r[0]: float(r[1]) for r in rows(self.file(fname))}
        return np.array([vals[k] for k in order])

    def array(self, fname: str, labels: list[list[str]]) -> np.ndarray:
        """Array with one axis per label list; integer labels (1-based) index by position."""
        out = np.zeros([len(lab) for lab in labels])
        for r in rows(self.file(fname)):
            idx = []
            for ax, key in enumerate(r[:-1]):
                idx.append(labels[ax].index(key) if key in labels[ax] else int(key) - 1)
            out[tuple(idx)] = float(r[-1])
        return out


def load(name: str) -> Case:
    path = CASES / name
    return Case(name, path, json.loads((path / "params.json").read_text()))


def close(actual: np.ndarray, expected: np.ndarray) -> None:
    """|steppe − migest| ≤ 1e-6 + 1e-12·|migest| everywhere."""
    assert actual.shape == expected.shape
    err = np.abs(actual - expected) - (1e-6 + 1e-12 * np.abs(expected))
    worst = np.unravel_index(np.argmax(err), err.shape)
    assert err.max() <= 0, (
        f"max excess {err.max():.3g} at {worst}: steppe {actual[worst]!r} vs migest {expected[worst]!r}"
    )


needs_cases = __import__("pytest").mark.skipif(
    not CASES.is_dir(), reason=f"migest worked cases not found at {CASES} (set STEPPE_DATA)"
)
