"""The portal: server-rendered pages over the same builders the API uses.

Pages: ``/`` (map), ``/country/{ISO3}``, ``/corridor/{A}/{B}``, ``/rights``, ``/data``;
``?lang=en|ru|kk`` switches the language and a cookie remembers it. Assets are
served locally: ``/static/plotly.min.js`` from the installed plotly package.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from steppe.api.bundle import corridor_bundle, profile_bundle
from steppe.api.responses import release_refs
from steppe.areas import Area, countries, group, resolve
from steppe.errors import SteppeError
from steppe.web import i18n
from steppe.web.mapdata import map_values
from steppe.web.worldmap import geojson_path, render

TEMPLATES = resources.files("steppe.web").joinpath("templates")
STATIC = resources.files("steppe.web").joinpath("static")


@functools.cache
def environment(lang: str) -> jinja2.Environment:
    """A Jinja environment with the ``lang`` catalogue installed (one per language)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["num"] = lambda v, d=0: i18n.number(v, lang, d)
    env.filters["day"] = lambda v: i18n.day(v, lang)
    env.globals.update(lang=lang, langs=i18n.LANGS, ENTITLEMENTS=i18n.ENTITLEMENTS,
                       INDICATORS=i18n.INDICATORS, SEXES=i18n.SEXES)
    return env


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = i18n.pick_lang(request.query_params.get("lang"), request.cookies.get(i18n.COOKIE),
                          request.headers.get("accept-language"))
    env = environment(lang)
    html = env.get_template(template).render(request=request, path=request.url.path,
                                             area_name=lambda a: _name(a, lang), **context)
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in i18n.LANGS:
        response.set_cookie(i18n.COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


def _name(area_id: str, lang: str) -> str:
    try:
        return resolve(area_id).name(lang)
    except SteppeError:
        return area_id


def _lang(request: Request) -> str:
    return i18n.pick_lang(request.query_params.get("lang"), request.cookies.get(i18n.COOKIE),
                          request.headers.get("accept-language"))


def _area(text: str) -> Area | None:
    try:
        return resolve(text)
    except SteppeError:
        return None


def install(app: FastAPI) -> None:
    """Add the portal's pages and static files to ``app``."""
    pool = app.state.pool
    cache = app.state.rows

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        import plotly

        return FileResponse(Path(plotly.__file__).parent / "package_data" / "plotly.min.js",
                            media_type="text/javascript")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in ("portal.css", "portal.js"):
            return Response(status_code=404)
        media = "text/css" if name.endswith(".css") else "text/javascript"
        return Response(STATIC.joinpath(name).read_bytes(), media_type=media)

    @app.get("/", include_in_schema=False)
    def home(request: Request, indicator: str = "immigrant_share") -> HTMLResponse:
        lang = _lang(request)
        if indicator not in i18n.INDICATORS:
            indicator = "immigrant_share"
        map_svg = legend = meta = error = None
        try:
            path = geojson_path(app.state.data_dir)
            with pool.snapshot() as snap:
                values, meta = cache.get_or_build((snap.fingerprint, f"map|{indicator}"),
                                                  lambda: map_values(snap.con, indicator))
                refs = release_refs(snap.con, [meta["release"]]) if meta else []
            digits = 1 if indicator in ("immigrant_share", "remittances_gdp") else 0
            map_svg, legend = render(
                path, values, name=lambda c, f: _name(c, lang) if _area(c) else f,
                fmt=lambda v: i18n.number(v, lang, digits),
                href=lambda c: f"/country/{c}?lang={lang}",
                title=i18n.translations(lang).gettext(i18n.INDICATORS[indicator]),
                no_data=i18n.translations(lang).gettext("no data"))
        except SteppeError as exc:
            error, refs = str(exc), []
        return page(request, "home.html", indicator=indicator, map_svg=map_svg, legend=legend,
                    meta=meta, releases=refs, error=error, values_loaded=bool(meta))

    @app.get("/country/{code}", include_in_schema=False)
    def country(request: Request, code: str) -> HTMLResponse:
        lang = _lang(request)
        area = _area(code)
        if area is None:
            return page(request, "missing.html", status=404, what=code)
        try:
            with pool.snapshot() as snap:
                built = profile_bundle(snap, cache, area, lang)
                refs = release_refs(snap.con, built["releases"])
        except SteppeError as exc:
            return page(request, "missing.html", status=404, what=str(exc))
        from steppe.web.profile_view import charts

        return page(request, "country.html", area=area, s=built["sections"], releases=refs,
                    charts=charts(built["sections"], area, lang),
                    neighbours=[a for a in (*group("central_asia"), "RUS") if a != area.area_id])

    @app.get("/corridor/{a}/{b}", include_in_schema=False)
    def corridor(request: Request, a: str, b: str) -> HTMLResponse:
        first, second = _area(a), _area(b)
        if first is None or second is None:
            return page(request, "missing.html", status=404, what=f"{a} / {b}")
        with pool.snapshot() as snap:
            built = corridor_bundle(snap, cache, first, second)
            refs = release_refs(snap.con, built["releases"])
        return page(request, "corridor.html", a=first, b=second, s=built["sections"], releases=refs)

    @app.get("/rights", include_in_schema=False)
    def rights(request: Request, citizenship: str = "", host: str = "", on: str = "") -> HTMLResponse:
        from steppe import governance

        engine = governance.default_engine()
        answer = error = None
        if citizenship and host:
            try:
                answer = governance.rights(citizenship, host, on or engine.kb.reviewed,
                                           engine=engine).to_json(engine)
            except SteppeError as exc:
                error = str(exc)
        return page(request, "rights.html", answer=answer, error=error, countries=countries(),
                    form={"citizenship": citizenship, "host": host,
                          "on": on or engine.kb.reviewed.isoformat()},
                    reviewed=engine.kb.reviewed)

    @app.get("/data", include_in_schema=False)
    def data(request: Request) -> HTMLResponse:
        sources: list[dict[str, Any]] = []
        error = None
        try:
            with pool.snapshot() as snap:
                cursor = snap.con.execute(
                    "SELECT s.dataset, s.title, s.publisher, s.licence, s.citation, s.url, "
                    "list(r.release_id ORDER BY r.release_id) FILTER (r.release_id IS NOT NULL) "
                    "FROM sources s LEFT JOIN releases r USING (dataset) GROUP BY ALL ORDER BY 1")
                keys = ("dataset", "title", "publisher", "licence", "citation", "url", "releases")
                sources = [dict(zip(keys, row)) for row in cursor.fetchall()]
        except SteppeError as exc:
            error = str(exc)
        return page(request, "data.html", sources=sources, error=error)
