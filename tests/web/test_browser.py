"""The portal in headless Debian Chromium (Playwright), network limited to the server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from steppe.api import create_app
from steppe.warehouse import Warehouse

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(undesa_warehouse: Warehouse, shared_data: Path) -> Iterator[str]:
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(undesa_warehouse.path, data_dir=shared_data),
                            host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _page(browser: object, base: str, errors: list[str]):  # type: ignore[no-untyped-def]
    context = browser.new_context()  # type: ignore[attr-defined]
    # the portal must work offline: anything not from our server is refused
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                  else route.abort())
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page


def test_pages_load_without_console_errors(browser: object, server: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    page = _page(browser, server, errors)
    for name, url in (("home", "/"), ("country", "/country/KAZ"), ("corridor", "/corridor/TJK/RUS"),
                      ("rights", "/rights"), ("data", "/data")):
        page.goto(server + url)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(ARTIFACTS / f"portal-{name}.png"), full_page=name != "country")
    assert errors == []


def test_map_draws_all_countries_and_click_opens_profile(browser: object, server: str) -> None:
    errors: list[str] = []
    page = _page(browser, server, errors)
    page.goto(server + "/?lang=en")
    assert page.locator("svg.worldmap a.country").count() == 176
    box = page.locator('a.country[data-iso3="KAZ"] path').bounding_box()
    assert box and box["width"] > 5
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/country/KAZ**")
    assert "Kazakhstan" in page.locator("h1").inner_text()
    assert errors == []


def test_charts_render(browser: object, server: str) -> None:
    errors: list[str] = []
    page = _page(browser, server, errors)
    page.goto(server + "/country/KAZ?lang=en")
    page.wait_for_selector("#plot-immigrants .main-svg")
    assert page.locator("#plot-immigrants .scatterlayer .trace").count() == 3
    assert page.locator("svg.chart path").count() > 10  # chord diagram
    page.screenshot(path=str(ARTIFACTS / "portal-country-kaz.png"), full_page=True)
    assert errors == []


def test_language_switch_to_russian_and_kazakh(browser: object, server: str) -> None:
    errors: list[str] = []
    page = _page(browser, server, errors)
    page.goto(server + "/country/KAZ?lang=en")
    page.click('a[data-lang="ru"]')
    page.wait_for_url("**lang=ru")
    assert "миграционный профиль" in page.locator("h1").inner_text()
    page.goto(server + "/rights")  # remembered by the cookie
    assert page.locator("h1").inner_text() == "Проверка прав"
    page.click('a[data-lang="kk"]')
    page.wait_for_url("**lang=kk")
    assert page.locator("h1").inner_text() == "Құқықтарды тексеру"
    page.screenshot(path=str(ARTIFACTS / "portal-rights-kk.png"))
    assert errors == []


def test_rights_form_returns_an_answer_with_citation(browser: object, server: str) -> None:
    errors: list[str] = []
    page = _page(browser, server, errors)
    page.goto(server + "/rights?lang=en")
    page.select_option("#citizenship", "KGZ")
    page.select_option("#host", "KAZ")
    page.fill("#on", "2016-01-01")
    page.keyboard.press("Enter")
    page.wait_for_selector("#answer table")
    text = page.locator("#answer").inner_text()
    assert "Work permit required" in text and "Art. 97" in text
    page.screenshot(path=str(ARTIFACTS / "portal-rights-answer.png"), full_page=True)
    assert errors == []
