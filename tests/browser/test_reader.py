"""A reader in real Chromium: home, a prefecture, a tier, a case, a section, back to the filters."""

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def checked(page, facet, value) -> bool:
    return page.locator(f"#f-{facet}-{value}").is_checked()


def journey(tab, *, screenshots=False):
    page = tab.open("/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    # Pick a prefecture from the home page's entry points.
    page.get_by_role("region", name="按市（州）浏览").get_by_role("link", name=re.compile("^成都市")).click()
    page.wait_for_url(re.compile(r"/cases/\?prefecture=510100$"))
    assert "共 3 个案例" in page.locator("#results-title").inner_text()

    # Narrow by tier in the filter form (folded on a phone: open it first).
    panel = page.locator("details.filters-panel")
    if panel.get_attribute("open") is None:
        page.locator("details.filters-panel > summary").click()
    apply = page.get_by_role("button", name="应用筛选")
    if apply.is_visible():  # without JavaScript: choose, then apply
        page.get_by_label(re.compile("^最佳案例")).check()
        apply.click()
    else:  # with JavaScript a choice applies at once
        with page.expect_navigation():
            page.get_by_label(re.compile("^最佳案例")).check()
    page.wait_for_url(re.compile(r"tier=best"))
    query = urlsplit(page.url).query
    assert "prefecture=510100" in query and "tier=best" in query
    assert "共 2 个案例" in page.locator("#results-title").inner_text()
    chips = page.get_by_role("link", name=re.compile("^移除筛选条件"))
    assert chips.count() == 2
    list_url = page.url
    if screenshots:
        page.screenshot(path=str(SCREENSHOTS / "case-list.png"))

    # Open a case and jump to a section from its table of contents.
    page.locator(".case-cards .case-card-title a").first.click()
    page.wait_for_url(re.compile(r"/cases/2021-best-0\d/$"))
    title = page.locator("h1").inner_text()
    assert title
    if screenshots:
        page.screenshot(path=str(SCREENSHOTS / "case-page.png"))
    if page.locator("details.toc").get_attribute("open") is None:  # folded on a phone
        page.locator("details.toc > summary").click()
    toc_link = page.get_by_role("navigation", name="目录").get_by_role("link").nth(1)
    heading = toc_link.inner_text()
    toc_link.click()
    page.wait_for_url(re.compile(r"#s\d+$"))
    target = page.locator(urlsplit(page.url).fragment.join(["#", ""]))
    assert target.get_by_role("heading").first.inner_text() == heading
    assert target.get_by_role("heading").first.is_visible()
    box = target.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"], "the section is scrolled into view"

    # Back (past the jump) to the list: the filters are still set.
    page.go_back()
    page.go_back()
    page.wait_for_url(list_url)
    if page.locator("details.filters-panel").get_attribute("open") is None:
        page.locator("details.filters-panel > summary").click()
    assert checked(page, "prefecture", "510100") and checked(page, "tier", "best")
    assert not checked(page, "tier", "excellent")
    assert "共 2 个案例" in page.locator("#results-title").inner_text()
    return page


def test_reader_journey_on_a_desktop(site):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    journey(site, screenshots=True)
    assert site.hosts == {urlsplit(site.base).netloc}, "a request went to another host"
    assert not site.errors


def test_reader_journey_on_a_phone_without_horizontal_scrolling(phone):
    for path in (
        "/",
        "/cases/",
        "/cases/?prefecture=510100&tier=best",
        "/cases/2021-best-01/",
        "/prefectures/",
    ):
        phone.open(path)
        assert phone.scroll_width() <= 375, path
    # On a phone the filters start folded so that the results come first.
    phone.open("/cases/")
    assert phone.page.locator("details.filters-panel").get_attribute("open") is None
    journey(phone)
    assert phone.scroll_width() <= 375
    assert phone.hosts == {urlsplit(phone.base).netloc}


def font_size(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.querySelector('.case-text p')).fontSize)")


def test_larger_text_mode_persists_and_works_by_keyboard(site):
    page = site.open("/cases/2021-best-01/")
    medium = font_size(page)
    # Keyboard only: the first Tab reaches the skip link, which moves focus into the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.get_by_role("button", name="大字号").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/cases/2021-best-01/")
    assert page.locator("html").get_attribute("class") == "text-large"
    assert font_size(page) > medium
    assert page.get_by_role("button", name="大字号").get_attribute("aria-pressed") == "true"

    # It persists on the next page and the next visit, and can be set back to small.
    page = site.open("/cases/")
    assert page.locator("html").get_attribute("class") == "text-large"
    with page.expect_navigation():
        page.get_by_role("button", name="小字号").click()
    assert page.url.endswith("/cases/")
    assert page.locator("html").get_attribute("class") == "text-small"
    page = site.open("/cases/2021-best-01/")
    assert font_size(page) < medium
    assert site.scroll_width() <= 1280


def test_focus_is_visible(site):
    page = site.open("/cases/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert outline[0] != "none" and outline[1] >= 2


@pytest.mark.parametrize(
    "path", ["/", "/cases/", "/cases/?prefecture=510100&tier=best", "/cases/2021-best-08/"]
)
def test_no_serious_or_critical_accessibility_violations(site, path):
    page = site.open(path)
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not violations, "\n".join(violations)


def test_print_stylesheet_keeps_the_text_and_drops_the_controls(site):
    page = site.open("/cases/2021-best-01/")
    page.emulate_media(media="print")
    for selector in (".site-nav", ".text-size", ".prev-next", ".related", ".breadcrumbs"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator(".case-text").is_visible() and page.locator("#reference").is_visible()


def test_opengraph_tags(site):
    page = site.open("/cases/2021-best-01/")
    og = page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('meta[property^=\"og:\"]')]"
        ".map(m => [m.getAttribute('property'), m.content]))"
    )
    assert og["og:title"] == page.locator("h1").inner_text()
    assert og["og:url"].endswith("/cases/2021-best-01/") and og["og:type"] == "article"
    assert og["og:description"]


def test_everything_works_without_javascript(no_js):
    page = journey(no_js)
    with page.expect_navigation():
        page.get_by_role("button", name="大字号").click()
    assert page.locator("html").get_attribute("class") == "text-large"
    assert no_js.scroll_width() <= 375
