"""Estimated flows in the country profile (chord, table, run) and in the PDF, on real data."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from fastapi.testclient import TestClient

from steppe.areas import resolve
from steppe.warehouse import Warehouse
from steppe.web.profile_pdf import write_profile_pdf

SIX = ("KAZ", "KGZ", "TJK", "TKM", "UZB", "RUS")


def _run(warehouse: Warehouse) -> tuple[str, str, list[str]]:
    with warehouse.reader() as con:
        run_id, period, releases = con.execute(
            "SELECT run_id, period_start || '-' || period_end, input_releases "
            "FROM flow_runs").fetchone()
    return run_id, period, sorted(releases)


def _flow(warehouse: Warehouse, origins: str, destination: str) -> float:
    """Sum of stored estimates into ``destination`` from the origins matching ``origins``."""
    with warehouse.reader() as con:
        row = con.execute(f"SELECT sum(value) FROM flow_estimate WHERE destination = ? AND "
                          f"{origins}", [destination]).fetchone()
    return float(row[0])


def _figure(html: str) -> str:
    match = re.search(r'<figure class="flow-chord".*?</figure>', html, re.DOTALL)
    assert match, "no flow chord on the page"
    return match.group(0)


def test_country_page_shows_the_flow_chord(flows_portal: TestClient,
                                          flows_warehouse: Warehouse) -> None:
    html = flows_portal.get("/country/KAZ?lang=en").text
    figure = _figure(html)
    svg = figure[figure.index("<svg"):figure.index("</svg>")]
    labels = re.findall(r"<text[^>]*>([^<]+)</text>", svg)
    names = [resolve(code).name_en for code in SIX] + ["Rest of the world"]
    assert set(names) <= set(labels)
    assert 'role="img"' in svg and "<desc>Chord diagram of estimated migration flows, 2015-2020" in svg
    run_id, period, releases = _run(flows_warehouse)
    assert period == "2015-2020" and run_id in figure and all(r in figure for r in releases)
    assert any(r.startswith("un_wpp@2024") for r in releases)
    # the table behind the chord: the cells match independent sums over flow_estimate
    uzb_rus = format(_flow(flows_warehouse, "origin = 'UZB'", "RUS"), ",.0f")
    rest_rus = format(_flow(flows_warehouse, f"origin NOT IN {SIX}", "RUS"), ",.0f")
    table = html[html.index("Persons moving from (rows) to (columns)"):]
    rows = dict(re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', table[:table.index("</table>")]))
    cells = lambda label: re.findall(r"<td>([^<]*)</td>", rows[label])
    assert cells("Uzbekistan")[SIX.index("RUS")] == uzb_rus
    assert cells("Rest of the world")[SIX.index("RUS")] == rest_rus
    assert cells("Rest of the world")[-1] == "0"  # flows within the rest of the world are left out
    # every input release is cited in the sources, and nothing is loaded from elsewhere
    sources = html[html.index('id="h-src"'):]
    assert all(f"<code>{r}</code>" in sources for r in releases)
    assert not re.search(r'(src|href)="https?://(?!127\.0\.0\.1)[^"]*\.(js|css|svg)', html)


def test_flow_chord_in_russian(flows_portal: TestClient) -> None:
    figure = _figure(flows_portal.get("/country/TJK?lang=ru").text)
    assert "Остальной мир" in figure and "Казахстан" in figure and "Оценки потоков" in figure


def test_flow_section_degrades_without_a_run(portal: TestClient) -> None:
    html = portal.get("/country/KAZ?lang=en").text
    section = html[html.index('id="h-flows"'):html.index('id="h-member"')]
    assert 'class="flow-chord"' not in section
    assert "Not loaded yet" in section and "steppe flows estimate --period 2015-2020" in section
    assert portal.get("/api/v1/profiles/KAZ").json()["sections"]["flow_chord"]["status"] == \
        "not_loaded"


def test_pdf_has_quality_score_and_flows(flows_portal: TestClient, flows_warehouse: Warehouse,
                                        tmp_path: Path) -> None:
    sections = flows_portal.get("/api/v1/profiles/KAZ").json()["sections"]
    path = write_profile_pdf(flows_warehouse, resolve("KAZ"), tmp_path / "kaz.pdf", "en")
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    flat = " ".join(text.split())
    quality = sections["quality"]["data"]
    assert f"Score: {quality['score']:,.0f} / 100" in flat
    assert " ".join(quality["reasons"][0].split())[:60] in flat
    kaz_rus = _flow(flows_warehouse, "origin = 'KAZ'", "RUS")
    assert f"Kazakhstan → Russian Federation 2015-2020 demographic-accounting {kaz_rus:,.0f}" in flat
    run_id, _, releases = _run(flows_warehouse)
    assert run_id in flat and releases[0] in flat and "Rest of the world" in flat
    # the same figures as the portal page (both come from the profile bundle)
    immigrants = sections["key_figures"]["data"]["immigrant_stock"]["value"]
    assert f"{immigrants:,.0f}" in flat


@pytest.mark.parametrize("lang, words", [("ru", ("Оценка", "Остальной мир")),
                                         ("kk", ("Баға", "Әлемнің қалған бөлігі"))])
def test_pdf_flows_translated(lang: str, words: tuple[str, ...], flows_warehouse: Warehouse,
                              tmp_path: Path) -> None:
    path = write_profile_pdf(flows_warehouse, resolve("UZB"), tmp_path / "uzb.pdf", lang)
    flat = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(path).pages).split())
    assert all(w in flat for w in words), (lang, words)
