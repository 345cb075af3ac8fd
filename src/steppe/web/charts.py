"""Charts as SVG strings (vector in the PDF, no script needed in the browser).

Pure functions: data in, SVG text out. Each chart carries a ``<title>`` and
``<desc>`` and every mark a ``<title>`` tooltip; the pages put a data table beside.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from markupsafe import escape

PALETTE = ("#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#30343f")
SCALE = ("#eef4f8", "#cfe2ee", "#a6cbe0", "#74afcf", "#4890bb", "#2470a3", "#0b4f7e")
Fmt = Callable[[float], str]


def _open(width: int, height: int, title: str, desc: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" class="chart" '
            f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
            f'<desc>{escape(desc)}</desc>')


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least ``top``."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * i for i in range(count + 2) if step * (i - 1) < top]


def line_chart(series: Mapping[str, Sequence[tuple[int, float]]], *, title: str, fmt: Fmt,
               width: int = 560, height: int = 260) -> str:
    """Lines over years, one per series, with a legend."""
    points = [p for s in series.values() for p in s]
    if not points:
        return _open(width, 40, title, "no data") + "</svg>"
    years = sorted({p[0] for p in points})
    ticks = nice_ticks(max(p[1] for p in points))
    left, right, top, bottom = 78, 16, 14, 52
    span_x = max(years[-1] - years[0], 1)

    def x(yr: float) -> float:
        return left + (yr - years[0]) / span_x * (width - left - right)

    def y(v: float) -> float:
        return top + (1 - v / ticks[-1]) * (height - top - bottom)

    out = [_open(width, height, title, f"{len(series)} series, {years[0]}–{years[-1]}")]
    for t in ticks:
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
                   f'stroke="#ddd"/><text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end" '
                   f'font-size="11">{escape(fmt(t))}</text>')
    for yr in years:
        out.append(f'<text x="{x(yr):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                   f'font-size="11">{yr}</text>')
    for i, (label, pts) in enumerate(series.items()):
        colour = PALETTE[i % len(PALETTE)]
        path = " ".join(f"{'M' if j == 0 else 'L'}{x(a):.1f},{y(b):.1f}"
                        for j, (a, b) in enumerate(sorted(pts)))
        out.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for a, b in pts:
            out.append(f'<circle cx="{x(a):.1f}" cy="{y(b):.1f}" r="3" fill="{colour}">'
                       f'<title>{escape(label)} {a}: {escape(fmt(b))}</title></circle>')
        lx = left + i * 150
        out.append(f'<rect x="{lx}" y="{height - 18}" width="12" height="4" fill="{colour}"/>'
                   f'<text x="{lx + 16}" y="{height - 12}" font-size="12">{escape(label)}</text>')
    return "".join(out) + "</svg>"


def bar_chart(items: Sequence[tuple[str, float]], *, title: str, fmt: Fmt,
              width: int = 560) -> str:
    """Horizontal bars, largest first."""
    height = 24 + 22 * len(items)
    out = [_open(width, height, title, f"{len(items)} bars")]
    top = max((v for _, v in items), default=1.0) or 1.0
    for i, (label, value) in enumerate(items):
        y0 = 12 + i * 22
        w = value / top * (width - 330)
        out.append(f'<text x="170" y="{y0 + 14}" text-anchor="end" font-size="12">'
                   f'{escape(label)}</text><rect x="178" y="{y0 + 3}" width="{w:.1f}" height="15" '
                   f'fill="{PALETTE[0]}"><title>{escape(label)}: {escape(fmt(value))}</title></rect>'
                   f'<text x="{184 + w:.1f}" y="{y0 + 14}" font-size="11">{escape(fmt(value))}</text>')
    return "".join(out) + "</svg>"


def chord_diagram(labels: Sequence[str], matrix: Sequence[Sequence[float]], *, title: str,
                  fmt: Fmt, size: int = 420, desc: str | None = None,
                  label_room: int = 90) -> str:
    """Flows among areas: an arc per area (sized by total in + out), a ribbon per pair.

    ``desc`` is the chart's text alternative (default: the number of areas);
    ``label_room`` is the space left and right of the circle for long names.
    """
    n = len(labels)
    totals = [sum(matrix[i]) + sum(matrix[j][i] for j in range(n)) for i in range(n)]
    grand = sum(totals) or 1.0
    gap = 0.04
    arc_share = 2 * math.pi - gap * n
    cx, cy = size / 2 + label_room, size / 2
    r = size / 2 - 70
    starts, angle = [], 0.0
    for t in totals:
        starts.append(angle)
        angle += t / grand * arc_share + gap

    def pt(a: float, rad: float) -> tuple[float, float]:
        return cx + rad * math.sin(a), cy - rad * math.cos(a)

    out = [_open(size + 2 * label_room, size, title, desc or f"chord diagram of {n} areas")]
    cursor = list(starts)
    ends: dict[tuple[int, int], tuple[float, float]] = {}  # outgoing ribbon ends
    ins: dict[tuple[int, int], tuple[float, float]] = {}  # incoming ribbon ends
    for i in range(n):
        for j in range(n):
            width_out = matrix[i][j] / grand * arc_share
            ends[(i, j)] = (cursor[i], cursor[i] + width_out)
            cursor[i] += width_out
        for j in range(n):
            width_in = matrix[j][i] / grand * arc_share
            ins[(j, i)] = (cursor[i], cursor[i] + width_in)
            cursor[i] += width_in
    for i in range(n):
        a0, a1 = starts[i], starts[i] + totals[i] / grand * arc_share
        (x0, y0), (x1, y1) = pt(a0, r), pt(a1, r)
        (x2, y2), (x3, y3) = pt(a1, r + 14), pt(a0, r + 14)
        large = 1 if a1 - a0 > math.pi else 0
        colour = PALETTE[i % len(PALETTE)]
        out.append(f'<path d="M{x0:.1f},{y0:.1f} A{r},{r} 0 {large} 1 {x1:.1f},{y1:.1f} '
                   f'L{x2:.1f},{y2:.1f} A{r + 14},{r + 14} 0 {large} 0 {x3:.1f},{y3:.1f} Z" '
                   f'fill="{colour}"><title>{escape(labels[i])}: {escape(fmt(totals[i]))}</title></path>')
        mid = (a0 + a1) / 2
        lx, ly = pt(mid, r + 24)
        anchor = "start" if math.sin(mid) >= 0 else "end"
        out.append(f'<text x="{lx:.1f}" y="{ly + 4:.1f}" font-size="12" text-anchor="{anchor}">'
                   f'{escape(labels[i])}</text>')
    for i in range(n):
        for j in range(n):
            if i == j or matrix[i][j] <= 0:
                continue
            s0, s1 = ends[(i, j)]
            t0, t1 = ins[(i, j)]
            p = [pt(s0, r), pt(s1, r), pt(t0, r), pt(t1, r)]
            out.append(f'<path d="M{p[0][0]:.1f},{p[0][1]:.1f} A{r},{r} 0 0 1 {p[1][0]:.1f},'
                       f'{p[1][1]:.1f} Q{cx},{cy} {p[2][0]:.1f},{p[2][1]:.1f} A{r},{r} 0 0 1 '
                       f'{p[3][0]:.1f},{p[3][1]:.1f} Q{cx},{cy} {p[0][0]:.1f},{p[0][1]:.1f} Z" '
                       f'fill="{PALETTE[i % len(PALETTE)]}" fill-opacity="0.55">'
                       f'<title>{escape(labels[i])} → {escape(labels[j])}: '
                       f'{escape(fmt(matrix[i][j]))}</title></path>')
    return "".join(out) + "</svg>"


def bins(values: Sequence[float], count: int = len(SCALE)) -> list[float]:
    """Quantile bin edges (upper bounds) for a choropleth."""
    ordered = sorted(values)
    if not ordered:
        return []
    return [ordered[min(len(ordered) - 1, int(len(ordered) * (k + 1) / count) - 1)]
            for k in range(count)]
