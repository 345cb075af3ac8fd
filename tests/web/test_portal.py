"""Portal pages without a browser: languages, numbers, map links, graceful sections."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from steppe.web import i18n
from steppe.web.catalog import msgids


def test_every_interface_string_is_translated_in_ru_and_kk() -> None:
    ids = msgids()
    assert len(ids) > 80
    for lang in ("ru", "kk"):
        catalog = i18n.translations(lang)
        untranslated = sorted(m for m in ids if catalog.gettext(m) == m and m not in
                              {"Licence", "Map", "Timeline"} | ({"Licence"} if lang == "kk" else set()))
        assert not untranslated, (lang, untranslated)


def test_home_map_links_every_country(portal: TestClient) -> None:
    html = portal.get("/?lang=en").text
    links = re.findall(r'<a href="/country/([A-Z]{3})\?lang=en" class="country"', html)
    assert len(links) == 176  # Natural Earth 1:110m has 177 features; Antarctica is left out
    assert {"KAZ", "KGZ", "TJK", "TKM", "UZB", "RUS", "XKX"} <= set(links)


def test_language_switch_and_cookie(portal: TestClient) -> None:
    ru = portal.get("/country/KAZ?lang=ru")
    assert ru.cookies.get("steppe_lang") == "ru"
    assert "миграционный профиль" in ru.text and '<html lang="ru">' in ru.text
    # 2,089,797 immigrants (IMS 2024) written the Russian way, with non-breaking spaces
    assert 'data-figure="immigrant_stock">2\xa0089\xa0797<' in ru.text
    remembered = portal.get("/country/KAZ", cookies={"steppe_lang": "kk"})
    assert "көші-қон профилі" in remembered.text
    en = portal.get("/country/KAZ?lang=en")
    assert 'data-figure="immigrant_stock">2,089,797<' in en.text


def test_pages_load_and_degrade(portal: TestClient) -> None:
    for url in ("/", "/country/TJK", "/corridor/TJK/RUS", "/rights", "/data",
                "/rights?citizenship=TJK&host=RUS&on=2020-01-01"):
        assert portal.get(url).status_code == 200, url
    page = portal.get("/country/UZB?lang=en").text
    assert "Not loaded yet: run steppe ingest." in page  # flows, remittances, quality
    assert portal.get("/country/Narnia").status_code == 404


def test_rights_form_answers_with_citation(portal: TestClient) -> None:
    html = portal.get("/rights?lang=en&citizenship=KGZ&host=KAZ&on=2016-01-01").text
    assert "Work permit required" in html
    assert "Treaty on the Eurasian Economic Union" in html and "Art. 97" in html


def test_assets_are_local(portal: TestClient) -> None:
    js = portal.get("/static/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000
    for url in ("/", "/country/KAZ", "/corridor/KAZ/RUS"):
        html = portal.get(url).text
        assert not re.search(r'(src|href)="https?://(?!127\.0\.0\.1)[^"]*\.(js|css)', html)
