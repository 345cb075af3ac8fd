"""Chart data and SVG charts of a profile, shared by the country page and the PDF."""

from __future__ import annotations

import json
from typing import Any

from steppe.api.profile_extra import REST
from steppe.areas import Area, name
from steppe.web import i18n
from steppe.web.charts import bar_chart, chord_diagram, line_chart


def by_sex(section: dict[str, Any]) -> dict[str, list[tuple[int, float]]]:
    """{sex: [(year, value)]} of a stock series section."""
    out: dict[str, list[tuple[int, float]]] = {}
    for row in (section.get("data") or {}).get("series", []):
        out.setdefault(row["sex"], []).append((row["year"], row["value"]))
    return out


def charts(sections: dict[str, Any], area: Area, lang: str) -> dict[str, Any]:
    """SVG charts and Plotly figure JSON for the sections that have data."""
    _ = i18n.translations(lang).gettext
    fmt = lambda v: i18n.number(v, lang)
    out: dict[str, Any] = {}
    for key, title in (("immigrants", _("Immigrant stock by sex")),
                       ("emigrants", _("Emigrant stock by sex"))):
        series = by_sex(sections[key])
        if not series:
            continue
        labelled = {_(i18n.SEXES[s]): series[s] for s in ("total", "male", "female") if s in series}
        out[key + "_svg"] = line_chart(labelled, title=title, fmt=fmt)
        out[key + "_plotly"] = json.dumps({
            "title": title,
            "traces": [{"name": label, "x": [p[0] for p in pts], "y": [p[1] for p in pts]}
                       for label, pts in labelled.items()],
            "separators": ", " if lang != "en" else ".,"})
    for key, title, side in (("top_origins", _("Top countries of origin"), "origin"),
                             ("top_destinations", _("Top countries of destination"), "destination")):
        rows = sections[key]["data"] or []
        if rows:
            out[key + "_svg"] = bar_chart([(name(r[side], lang), r["value"]) for r in rows],
                                          title=title, fmt=fmt)
    chord = sections["corridors"]["data"]
    if chord:
        out["chord_svg"] = chord_diagram([name(a, lang) for a in chord["areas"]], chord["matrix"],
                                         title=_("Migrant stocks among Central Asia and Russia"),
                                         fmt=fmt)
    flow = sections.get("flow_chord", {}).get("data")
    if flow:
        out.update(flow_chord(flow, lang))
    return out


def flow_label(code: str, lang: str) -> str:
    """The name of a region of the flow chord (the rest of the world included)."""
    if code == REST:
        return i18n.translations(lang).gettext("Rest of the world")
    return name(code, lang)


def flow_chord(data: dict[str, Any], lang: str) -> dict[str, Any]:
    """The chord SVG of estimated flows, its region names and its text alternative."""
    _ = i18n.translations(lang).gettext

    def fmt(value: float) -> str:
        return i18n.number(value, lang)

    labels = [flow_label(a, lang) for a in data["areas"]]
    matrix = data["matrix"]
    pairs = sorted(((matrix[i][j], i, j) for i in range(len(labels)) for j in range(len(labels))
                    if i != j and matrix[i][j] > 0), reverse=True)[:3]
    largest = "; ".join(f"{labels[i]} → {labels[j]}: {fmt(v)}" for v, i, j in pairs)
    title = _("Estimated flows among Central Asia, Russia and the rest of the world")
    alt = (_("Chord diagram of estimated migration flows, %(period)s, among: %(regions)s. "
             "Largest flows: %(largest)s.")
           % {"period": data["period"], "regions": ", ".join(labels), "largest": largest or "–"})
    return {"flow_chord_svg": chord_diagram(labels, matrix, title=title, fmt=fmt, desc=alt),
            "flow_chord_labels": labels, "flow_chord_alt": alt}
