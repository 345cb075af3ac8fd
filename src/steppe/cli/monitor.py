"""``steppe monitor``: breaks and unusual changes in warehouse series, and nowcasts."""

from __future__ import annotations

from typing import Annotated

import typer

from steppe.areas import group, resolve
from steppe.cli.options import (
    DbOption,
    FormatOption,
    OutputFormat,
    OutputOption,
    emit,
    warehouse_from,
)


def register(app: typer.Typer) -> None:
    app.command("monitor")(monitor)


def monitor(
    area: Annotated[list[str] | None, typer.Option("--area", "-a",
                    help="Areas whose series to scan (repeat); default the five Central Asian states.")] = None,
    since: Annotated[int | None, typer.Option(help="Only alerts from this year on.")] = None,
    threshold: Annotated[float, typer.Option(help="z-score above which a change is unusual.")] = 3.0,
    forecast: Annotated[bool, typer.Option("--nowcast/--no-nowcast",
                        help="List nowcasts (with prediction intervals) instead of alerts.")] = False,
    horizon: Annotated[int, typer.Option(help="Nowcast steps ahead.")] = 2,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """Alerts (structural breaks, unusual changes) for every series touching the areas.

    Each alert names its series (table:indicator:key) and its release and source URL.
    """
    from steppe.monitor.alerts import scan

    areas = [resolve(a).area_id for a in area] if area else list(group("central_asia"))
    with warehouse_from(db).reader() as con:
        if forecast:
            rows = _nowcasts(con, areas, horizon)
            emit(rows, fmt, title="Nowcasts (80% prediction intervals)", output=output)
            return
        alerts = scan(con, areas, since=since, threshold=threshold)
    rows = [
        {"year": a.time, "series": a.series_id, "kind": a.kind, "percent": round(a.percent, 1),
         "detail": a.detail, "release_id": a.release_id, "source": a.url}
        for a in alerts
    ]
    columns = None if fmt is not OutputFormat.table else ["year", "series", "kind", "percent", "detail", "release_id"]
    emit(rows, fmt, title=f"Alerts for {', '.join(areas)}", output=output, columns=columns,
         caption="" if rows else "no breaks or unusual changes found (or no series loaded)")


def _nowcasts(con: object, areas: list[str], horizon: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    from steppe.monitor.alerts import warehouse_series
    from steppe.monitor.nowcast import nowcast

    for sid, rid, _url, t, y in warehouse_series(con, areas):  # type: ignore[arg-type]
        out = nowcast(t, y, horizon=horizon)
        if not out.ok:
            rows.append({"series": sid, "year": None, "forecast": None, "lower": None,
                         "upper": None, "note": out.reason, "release_id": rid})
            continue
        for i in range(len(out.time)):
            rows.append({"series": sid, "year": int(out.time[i]), "forecast": float(out.mean[i]),
                         "lower": float(out.lower[i]), "upper": float(out.upper[i]),
                         "note": f"drift {out.drift * 100:+.1f}%/period, {out.n_obs} obs",
                         "release_id": rid})
    return rows
