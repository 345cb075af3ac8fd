"""``steppe profile``: a country migration profile as PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from steppe.areas import resolve
from steppe.cli.options import DbOption, console, warehouse_from


def register(app: typer.Typer) -> None:
    app.command("profile")(profile)


def profile(
    country: Annotated[str, typer.Argument(help="ISO3 code, M49 code or name, e.g. KAZ.")],
    pdf: Annotated[Path, typer.Option("--pdf", help="PDF file to write, e.g. kaz.pdf.")],
    lang: Annotated[str, typer.Option("--lang", help="en, ru or kk.")] = "en",
    db: DbOption = None,
) -> None:
    """Write the migration profile of a country as a printable PDF."""
    from steppe.web.profile_pdf import write_profile_pdf

    area = resolve(country)
    write_profile_pdf(warehouse_from(db), area, pdf, lang)
    console.print(f"wrote {pdf} ({area.name(lang)}, {lang})")
