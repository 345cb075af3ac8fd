"""Swagger UI at ``/api/v1/docs`` from local files: the API docs work with the network off.

The JavaScript and CSS come from the ``swagger-ui-bundle`` package (Swagger UI 4.x, Apache-2.0),
served under ``/api/v1/docs/assets/``. Without that package the page still lists every path
of the schema, rendered by the server.
"""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response

ASSETS = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css",
          "favicon-32x32.png": "image/png"}


def assets_folder() -> Path | None:
    """Folder of the Swagger UI files, or None when ``swagger-ui-bundle`` is not installed."""
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    return Path(swagger_ui_bundle.swagger_ui_path)


def install(app: FastAPI, prefix: str) -> None:
    """Serve ``{prefix}/docs`` and its assets (the app must have ``docs_url=None``)."""
    folder = assets_folder()

    @app.get(f"{prefix}/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        if folder is None:
            return _plain_page(app, prefix)
        return get_swagger_ui_html(
            openapi_url=f"{prefix}/openapi.json", title=f"{app.title} - docs",
            swagger_js_url=f"{prefix}/docs/assets/swagger-ui-bundle.js",
            swagger_css_url=f"{prefix}/docs/assets/swagger-ui.css",
            swagger_favicon_url=f"{prefix}/docs/assets/favicon-32x32.png")

    @app.get(f"{prefix}/docs/assets/{{name}}", include_in_schema=False)
    def asset(name: str) -> Response:
        if folder is None or name not in ASSETS:
            return Response(status_code=404)
        return FileResponse(folder / name, media_type=ASSETS[name],
                            headers={"Cache-Control": "public, max-age=86400"})


def _plain_page(app: FastAPI, prefix: str) -> HTMLResponse:
    items = []
    for path, methods in app.openapi().get("paths", {}).items():
        for method, op in methods.items():
            items.append(f"<li><code>{method.upper()} {html.escape(path)}</code> "
                         f"{html.escape(op.get('summary', ''))}</li>")
    body = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{app.title}"
            f"</title></head><body><h1>{html.escape(app.title)}</h1><p>Schema: <a href="
            f"'{prefix}/openapi.json'>{prefix}/openapi.json</a></p><ul>{''.join(items)}</ul>"
            "</body></html>")
    return HTMLResponse(body)
