"""PDF profiles of the five Central Asian states, text extracted and checked."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from steppe.areas import resolve
from steppe.warehouse import Warehouse
from steppe.web.profile_pdf import write_profile_pdf

# immigrant stock in 2024, IMS 2024 (un_desa_stock_totals 2024), as printed in en
IMMIGRANTS_2024 = {"KAZ": "2,089,797"}


@pytest.mark.slow
@pytest.mark.parametrize("code", ["KAZ", "KGZ", "TJK", "TKM", "UZB"])
def test_pdf_profile_has_key_figures(code: str, undesa_warehouse: Warehouse, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from steppe.api import create_app

    with TestClient(create_app(undesa_warehouse.path, portal=False)) as client:
        figures = client.get(f"/api/v1/profiles/{code}").json()["sections"]["key_figures"]["data"]
    path = write_profile_pdf(undesa_warehouse, resolve(code), tmp_path / f"{code}.pdf", "en")
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    assert resolve(code).name_en in text
    assert f"{figures['immigrant_stock']['value']:,.0f}" in text
    assert f"{figures['emigrant_stock']['value']:,.0f}" in text
    if code in IMMIGRANTS_2024:
        assert IMMIGRANTS_2024[code] in text
    assert "un_desa_stock@2024" in text


def test_pdf_in_russian(undesa_warehouse: Warehouse, tmp_path: Path) -> None:
    path = write_profile_pdf(undesa_warehouse, resolve("KAZ"), tmp_path / "kaz.pdf", "ru")
    text = pypdf.PdfReader(path).pages[0].extract_text().replace("\xa0", " ")
    assert "Казахстан" in text and "Численность" in text and "2 089 797" in text
