"""The world map: Natural Earth boundaries read at run time, drawn as linked SVG paths.

Every country is a link to its profile (keyboard-focusable, with its name and value
as accessible text), so the map works without scripts and offline.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from pathlib import Path

from markupsafe import escape

from steppe.errors import SourceFileError
from steppe.web.charts import SCALE, bins

GEO_FILE = Path("geo") / "ne_110m_admin_0_countries.geojson"
# Natural Earth features without an ISO code of their own, drawn as their UN country
NE_FIXES = {"KOS": "XKX", "CYN": "CYP", "SOL": "SOM"}
WIDTH, HEIGHT = 960, 470


def geojson_path(data_dir: Path | None) -> Path:
    """The boundaries file under ``data_dir`` (default STEPPE_DATA, then ../shared/data)."""
    base = data_dir or Path(os.environ.get("STEPPE_DATA") or "../shared/data")
    path = Path(base) / GEO_FILE
    if not path.is_file():
        raise SourceFileError(
            f"world boundaries not found at {path}; set STEPPE_DATA to the folder of the shared "
            f"data (it must contain {GEO_FILE}) and restart `steppe serve`.", path=path)
    return path


def _ring(ring: list[list[float]]) -> str:
    pts = [(WIDTH * (lon + 180) / 360, HEIGHT * (90 - min(lat, 84)) / 174) for lon, lat in ring]
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z"


@functools.cache
def shapes(path: Path) -> tuple[tuple[str, str, str], ...]:
    """(area id, Natural Earth name, SVG path) of every feature, Antarctica left out."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    out = []
    for feature in features:
        props = feature["properties"]
        code = props.get("ISO_A3_EH") or props.get("ADM0_A3")
        code = NE_FIXES.get(props.get("ADM0_A3"), code) if code in (None, "-99") else code
        if code == "ATA":
            continue
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        d = "".join(_ring(poly[0]) for poly in polygons)
        out.append((code, props.get("NAME_EN") or props["NAME"], d))
    return tuple(out)


def render(path: Path, values: dict[str, float], *, name: Callable[[str, str], str],
           fmt: Callable[[float], str], href: Callable[[str], str], title: str,
           no_data: str) -> tuple[str, list[tuple[str, str]]]:
    """(SVG map, legend entries) coloured by quantiles of ``values``."""
    edges = bins(list(values.values()))
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'class="worldmap" role="group" aria-label="{escape(title)}">'
            f'<title>{escape(title)}</title>')]
    for code, fallback, d in shapes(path):
        value = values.get(code)
        colour = "#e3e3e3" if value is None else SCALE[next(
            (k for k, e in enumerate(edges) if value <= e), len(SCALE) - 1)]
        label = f"{name(code, fallback)}: {no_data if value is None else fmt(value)}"
        out.append(f'<a href="{escape(href(code))}" class="country" data-iso3="{code}" '
                   f'aria-label="{escape(label)}"><path d="{d}" fill="{colour}" '
                   f'stroke="#fff" stroke-width="0.4"><title>{escape(label)}</title></path></a>')
    out.append("</svg>")
    legend, low = [], None
    for k, edge in enumerate(edges):
        legend.append((SCALE[k], f"{fmt(low) if low is not None else '≤'} – {fmt(edge)}"
                       if low is not None else f"≤ {fmt(edge)}"))
        low = edge
    return "".join(out), legend
