"""``steppe serve``: the portal and the API on one port."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from steppe.cli.options import DbOption, console, warehouse_from


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes (each keeps its own cache).",
                                         min=1, max=64)] = 1,
    db: DbOption = None,
) -> None:
    """Serve the portal at / and the API at /api/v1 (read-only; ingests may run meanwhile)."""
    import uvicorn

    from steppe.api.app import from_settings

    warehouse = warehouse_from(db)
    if not warehouse.exists():
        console.print(f"[yellow]no warehouse at {warehouse.path} yet:[/] pages will say "
                      "'not loaded yet'; run `steppe ingest` (the server picks it up).")
    os.environ["STEPPE_DB"] = str(warehouse.path)  # read by from_settings in every worker
    console.print(f"steppe portal on http://{host}:{port}/  (API: http://{host}:{port}/api/v1/docs)")
    if workers == 1:
        uvicorn.run(from_settings(), host=host, port=port, log_level="warning")
    else:
        uvicorn.run("steppe.api.app:from_settings", factory=True, host=host, port=port,
                    workers=workers, log_level="warning")
