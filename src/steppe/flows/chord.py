"""Chord diagrams of origin–destination flows (matplotlib; no I/O).

Each region is an arc of the circle whose length is its total out- plus in-flows;
each flow is a ribbon leaving its origin's arc (in the origin's colour) and landing on
the destination's arc, as on global-migration.info (Abel & Sander 2014).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Wedge
from matplotlib.path import Path
from numpy.typing import ArrayLike

from steppe.flows import checks
from steppe.flows.checks import Array

CENTRAL_ASIA_AND_RUSSIA = ("KAZ", "KGZ", "TJK", "TKM", "UZB", "RUS")
REST = "Rest of world"


def group_matrix(od: ArrayLike, areas: Sequence[str],
                 keep: Sequence[str] = CENTRAL_ASIA_AND_RUSSIA,
                 rest: str = REST) -> tuple[Array, tuple[str, ...]]:
    """Collapse an (n, n) flow table to ``keep`` plus one "rest of world" region.

    Flows within the rest of the world are dropped (they are not flows among the
    regions shown). Regions of ``keep`` absent from ``areas`` get zero rows.
    """
    m = checks.as_matrix("od", od)
    if m.shape[0] != len(areas):
        raise ValueError(f"od is {m.shape[0]}×{m.shape[0]} but {len(areas)} areas were given")
    labels = tuple(keep) + (rest,)
    position = {a: i for i, a in enumerate(keep)}
    target = np.array([position.get(a, len(keep)) for a in areas])
    out = np.zeros((len(labels), len(labels)))
    np.add.at(out, (target[:, None], target[None, :]), m)
    np.fill_diagonal(out, 0.0)
    return out, labels


def chord_figure(matrix: ArrayLike, labels: Sequence[str], *, title: str = "",
                 gap_degrees: float = 2.0, colors: Sequence[str] | None = None,
                 size: float = 7.0) -> Figure:
    """A chord diagram of a square flow table ``matrix[origin, destination]``.

    Parameters
    ----------
    matrix : (k, k) non-negative flows; the diagonal is ignored.
    labels : k region names, in the order of the matrix.
    title : figure title.
    gap_degrees : gap between neighbouring arcs.
    colors : k matplotlib colours (default: the tab10 cycle).

    Returns
    -------
    A matplotlib Figure (not attached to pyplot); save it with ``fig.savefig(path)``.
    """
    m = checks.as_matrix("matrix", matrix).copy()
    checks.non_negative("matrix", m)
    np.fill_diagonal(m, 0.0)
    k = m.shape[0]
    if len(labels) != k:
        raise ValueError(f"labels has {len(labels)} names but matrix is {k}×{k}")
    palette = list(colors) if colors is not None else \
        [f"C{i % 10}" for i in range(k)]
    fig = Figure(figsize=(size, size))
    ax = fig.add_axes((0.08, 0.08, 0.84, 0.84))
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-1.3, 1.3)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        fig.suptitle(title)
    totals = m.sum(axis=1) + m.sum(axis=0)
    if totals.sum() <= 0:
        ax.text(0, 0, "no flows", ha="center", va="center")
        return fig
    gap = np.deg2rad(gap_degrees)
    span = 2 * np.pi - gap * k
    widths = span * totals / totals.sum()
    starts = np.concatenate([[0.0], np.cumsum(widths + gap)[:-1]])
    # each arc: outflows first (by destination order), then inflows
    out_pos = starts.copy()
    in_pos = starts + span * m.sum(axis=1) / totals.sum()
    scale = span / totals.sum()
    for i in range(k):
        a0, a1 = np.rad2deg(starts[i]), np.rad2deg(starts[i] + widths[i])
        ax.add_patch(Wedge((0, 0), 1.08, 90 - a1, 90 - a0, width=0.06, color=palette[i]))
        mid = starts[i] + widths[i] / 2
        x, y = 1.18 * np.sin(mid), 1.18 * np.cos(mid)
        rotation = 90 - np.rad2deg(mid)
        if np.cos(mid - np.pi / 2) < 0:  # left half: keep text upright
            rotation += 180
        ax.text(x, y, labels[i], ha="center", va="center", rotation=rotation,
                rotation_mode="anchor", fontsize=9)
    for i in range(k):
        for j in range(k):
            if m[i, j] <= 0:
                continue
            w = m[i, j] * scale
            src = (out_pos[i], out_pos[i] + w)
            out_pos[i] += w
            dst = (in_pos[j], in_pos[j] + w)
            in_pos[j] += w
            ax.add_patch(PathPatch(_ribbon(src, dst), facecolor=palette[i], edgecolor="none",
                                   alpha=0.65))
    return fig


def _point(theta: float, r: float = 1.0) -> tuple[float, float]:
    return r * np.sin(theta), r * np.cos(theta)


def _arc(t0: float, t1: float, r: float = 1.0) -> list[tuple[float, float]]:
    return [_point(t, r) for t in np.linspace(t0, t1, max(2, int(abs(t1 - t0) * 40)))]


def _ribbon(src: tuple[float, float], dst: tuple[float, float]) -> Path:
    """Closed path: source arc, Bézier to destination arc, destination arc, Bézier back."""
    vertices = _arc(*src)
    codes = [Path.MOVETO] + [Path.LINETO] * (len(vertices) - 1)
    vertices += [(0.0, 0.0), _point(dst[0])]
    codes += [Path.CURVE3, Path.CURVE3]
    d_arc = _arc(*dst)[1:]
    vertices += d_arc
    codes += [Path.LINETO] * len(d_arc)
    vertices += [(0.0, 0.0), _point(src[0]), _point(src[0])]
    codes += [Path.CURVE3, Path.CURVE3, Path.CLOSEPOLY]
    return Path(vertices, codes)
