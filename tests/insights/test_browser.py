"""The map and charts in real Chromium: accessibility scan, 375 px phone, keyboard and pointer.

Same approach as the site's browser tests: Playwright for Python driving Debian's Chromium
(/usr/bin/chromium, never ``playwright install``) against the live server, axe-core for the scan.
Skipped where Playwright, axe-playwright-python or Chromium is missing.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses that unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} 不存在（apt-get install -y chromium）")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def open_page(chromium, live_server, path, width, hosts):
    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(live_server.url + path)
    return page


@pytest.mark.parametrize("width", [1280, 375])
def test_statistics_page_passes_the_accessibility_scan(chromium, live_server, transactional_library, width):
    hosts = set()
    page = open_page(chromium, live_server, "/statistics/", width, hosts)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    axe = axe_module.Axe()
    # The map, the charts and their tables: no violation at all.
    ours = axe.run(page, context={"include": [[".insights-page"]]}, options={"resultTypes": ["violations"]})
    assert not ours.response["violations"], [
        (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in ours.response["violations"]
    ]
    # The whole page: nothing serious or critical.
    whole = axe.run(page, options={"resultTypes": ["violations"]})
    assert not [v["id"] for v in whole.response["violations"] if v["impact"] in ("serious", "critical")]
    assert hosts == {urlsplit(live_server.url).netloc}
    page.context.close()


def test_map_and_charts_read_at_375_px(chromium, live_server, transactional_library):
    page = open_page(chromium, live_server, "/statistics/", 375, set())
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for selector in (".insights-map-svg", ".insights-chart-svg"):
        box = page.locator(selector).first.bounding_box()
        assert box["x"] > 0 and box["x"] + box["width"] <= 375, selector
    # Drawn text stays at a readable size on the phone: map counts and bar labels.
    sizes = page.evaluate(
        "[...document.querySelectorAll('.insights-region-count, .insights-bar-label')]"
        ".map(t => t.getBoundingClientRect().height)"
    )
    assert len(sizes) == 21 + page.locator(".insights-bar-label").count()
    assert min(sizes) >= 11, min(sizes)
    # Wide tables scroll inside their own box, not the page.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.context.close()


def test_keyboard_focus_shows_the_counts_and_enter_opens_the_filtered_list(
    chromium, live_server, transactional_library
):
    page = open_page(chromium, live_server, "/statistics/", 1280, set())
    page.locator(".insights-toc a").last.focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if "insights-region" in (page.evaluate("document.activeElement.getAttribute('class')") or ""):
            break
    region = page.locator(".insights-region:focus")
    code = region.get_attribute("data-code")
    info = region.locator(".insights-region-info")
    assert info.is_visible()
    assert region.get_attribute("data-cases") in info.text_content()
    assert not page.locator(
        f".insights-region:not([data-code='{code}']) .insights-region-info"
    ).first.is_visible()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(rf"/cases/\?prefecture={code}$", page.url)
    page.context.close()


def test_hovering_a_region_and_clicking_a_bar(chromium, live_server, transactional_library):
    page = open_page(chromium, live_server, "/statistics/", 1280, set())
    region = page.locator(".insights-region[data-code='513400']")
    assert not region.locator(".insights-region-info").is_visible()
    region.locator("path").hover()
    assert region.locator(".insights-region-info").is_visible()
    assert "凉山州" in region.locator(".insights-region-info").text_content()
    bar = page.locator("#by-tier .insights-bar").first
    with page.expect_navigation():
        bar.click()
    assert page.url.endswith("/cases/?tier=best")
    page.context.close()
