"""The map and charts in real Chromium: accessibility scan, 375 px phone, keyboard and pointer.

Runs on the site's browser fixtures (tests/browser/conftest.py: Playwright for Python driving
/usr/bin/chromium against the live server, one browser per session) with axe-core for the scan.
Until that conftest is present (branch feature/site), the module is skipped.
"""

import re
from urllib.parse import urlsplit

import pytest

pytest.importorskip("tests.browser.conftest", reason="needs the site's browser fixtures (feature/site)")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

pytestmark = pytest.mark.browser


def open_stats(tab):
    page = tab.open("/statistics/")
    return page


@pytest.mark.parametrize("tab_name", ["site", "phone"])
def test_statistics_page_passes_the_accessibility_scan(request, tab_name):
    tab = request.getfixturevalue(tab_name)
    page = open_stats(tab)
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
    assert tab.hosts == {urlsplit(tab.base).netloc}


@pytest.mark.parametrize("path", ["/", "/prefectures/"])
def test_pages_with_the_map_pass_the_accessibility_scan(site, path):
    page = site.open(path)
    if not page.locator(".insights-map").count():
        pytest.skip(f"{path} does not place the map yet")
    ours = axe_module.Axe().run(page, context={"include": [[".insights-map"]]})
    assert not ours.response["violations"], [v["id"] for v in ours.response["violations"]]


def test_map_and_charts_read_at_375_px(phone):
    page = open_stats(phone)
    assert phone.scroll_width() <= 375
    for selector in (".insights-map-svg", ".insights-chart-svg"):
        box = page.locator(selector).first.bounding_box()
        assert box["x"] > 0 and box["x"] + box["width"] <= 375, selector
    # Drawn text stays at a readable size on the phone: map labels (the phone's layer) and bar labels.
    sizes = page.evaluate(
        "[...document.querySelectorAll('.insights-labels-narrow .insights-region-label, .insights-bar-label')]"
        ".map(t => t.getBoundingClientRect().height)"
    )
    assert len(sizes) == 21 + page.locator(".insights-bar-label").count()
    assert min(sizes) >= 11, min(sizes)
    # Wide tables scroll inside their own box, not the page.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert phone.scroll_width() <= 375


def test_keyboard_focus_shows_the_counts_and_enter_opens_the_filtered_list(site):
    page = open_stats(site)
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


def test_hovering_a_region_and_clicking_a_bar(site):
    page = open_stats(site)
    region = page.locator(".insights-region[data-code='513400']")
    assert not region.locator(".insights-region-info").is_visible()
    region.locator("path").hover()
    assert region.locator(".insights-region-info").is_visible()
    assert "凉山州" in region.locator(".insights-region-info").text_content()
    bar = page.locator("#by-tier .insights-bar").first
    with page.expect_navigation():
        bar.click()
    assert page.url.endswith("/cases/?tier=best")
