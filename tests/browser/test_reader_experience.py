"""Issue 14 in real Chromium at 375 px and 1280 px: one test (or group) per numbered finding.

test_1_* results first on a phone, test_2_* filters apply at once, test_3_* dates, test_4_* the case text
early, test_5_* older readers, test_6_* map and charts, test_7_* the API pages, test_8_* printing a list,
test_9_* the small things; then the 纠错 form and the screenshots for docs/screenshots/.
"""

import itertools
import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, Site

pytestmark = pytest.mark.browser

WIDTHS = ["phone", "site"]  # 375 x 812 and 1280 x 900 (tests/browser/conftest.py)


@pytest.fixture(autouse=True)
def _database_before_the_live_server(transactional_library):
    """Tests ask for their tab by name (request.getfixturevalue); the test database must exist first."""


def prefer(tab, *, size="medium", contrast="normal"):
    """Set the reader's display preferences as the switch would (cookies pref_*)."""
    tab.context.add_cookies(
        [
            {"name": "pref_text_size", "value": size, "url": tab.base},
            {"name": "pref_contrast", "value": contrast, "url": tab.base},
        ]
    )


def viewport_height(page) -> int:
    return page.viewport_size["height"]


def top_of(page, selector) -> float:
    return page.evaluate(
        "(s) => document.querySelector(s).getBoundingClientRect().top + window.scrollY", selector
    )


def search_from_home(page, words):
    page.locator("#home-q").fill(words)
    with page.expect_navigation():
        page.locator("#home-q").press("Enter")


# 1. The filters bury the results on a phone -------------------------------------------------------


@pytest.mark.parametrize("tab_name", WIDTHS)
def test_1_after_a_search_the_first_result_is_on_the_first_screen(request, tab_name):
    tab = request.getfixturevalue(tab_name)
    page = tab.open("/")
    search_from_home(page, "凉山")
    first = page.locator(".case-cards .case-card-title").first
    assert top_of(page, ".case-cards .case-card-title") + 30 < viewport_height(page)
    assert first.is_visible()
    # The filters sit above the results in a disclosure that counts the active filters.
    summary = page.locator(".filters-panel > summary")
    assert summary.is_visible() and top_of(page, ".filters-panel > summary") < top_of(page, ".case-cards")
    assert page.locator(".filters-panel > summary").inner_text().startswith("筛选")
    page = tab.open("/cases/?q=凉山&tier=best")
    assert "筛选 (1)" in page.locator(".filters-panel > summary").inner_text()
    assert top_of(page, ".case-cards .case-card-title") + 30 < viewport_height(page)
    assert tab.scroll_width() <= page.viewport_size["width"]


@pytest.mark.parametrize("tab_name", WIDTHS)
def test_1_options_that_find_nothing_wait_behind_show_all(request, tab_name):
    tab = request.getfixturevalue(tab_name)
    page = tab.open("/cases/?q=凉山&prefecture=510100")
    if page.locator("details.filters-panel").get_attribute("open") is None:
        page.locator(".filters-panel > summary").click()
    counts = page.evaluate(
        "[...document.querySelectorAll('.facet li')].filter(li => li.checkVisibility())"
        ".map(li => [li.querySelector('input').checked, li.textContent.includes('（0')])"
    )
    assert counts and all(checked or not zero for checked, zero in counts)  # only a selected option shows (0)
    assert page.locator("#f-prefecture-510100").is_visible()  # selected, though it finds nothing here
    hidden = page.locator("#f-prefecture-510300")
    assert not hidden.is_visible()
    page.locator(".facet-prefecture .facet-more > summary").click()
    assert hidden.is_visible()


# 2. Filters apply only after pressing 应用筛选 ------------------------------------------------------


@pytest.mark.parametrize("tab_name", WIDTHS)
def test_2_a_choice_applies_at_once_and_keeps_the_focus(request, tab_name):
    tab = request.getfixturevalue(tab_name)
    page = tab.open("/cases/?prefecture=510100")
    if page.locator("details.filters-panel").get_attribute("open") is None:
        page.locator(".filters-panel > summary").click()
    assert not page.get_by_role("button", name="应用筛选").is_visible()
    with page.expect_navigation():
        page.locator("#f-tier-best").check()
    assert "tier=best" in urlsplit(page.url).query and "prefecture=510100" in urlsplit(page.url).query
    assert "共 2 个案例" in page.locator("#results-title").inner_text()
    assert page.evaluate("document.activeElement.id") == "f-tier-best"
    with page.expect_navigation():
        page.locator("#sort").select_option("prefecture")
    assert "sort=prefecture" in page.url and page.evaluate("document.activeElement.id") == "sort"
    assert not tab.errors


@pytest.mark.parametrize("tab_name", WIDTHS)
def test_2_the_keyboard_reaches_the_first_result_in_a_few_steps(request, tab_name):
    tab = request.getfixturevalue(tab_name)
    page = tab.open("/cases/?q=凉山")
    page.locator("#list-q").focus()
    first_result = page.locator(".case-cards .case-card-title a").first.get_attribute("href")
    for _ in range(8):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.getAttribute('href')")
        if focused == "#results":
            page.keyboard.press("Enter")
        if focused == first_result:
            break
    assert focused == first_result, f"still at {focused!r} after 8 presses of Tab"


def test_2_without_javascript_the_apply_button_does_it(no_js):
    page = no_js.open("/cases/?prefecture=510100")
    page.locator(".filters-panel > summary").click()
    page.locator("#f-tier-best").check()
    with page.expect_navigation():
        page.get_by_role("button", name="应用筛选").click()
    assert "共 2 个案例" in page.locator("#results-title").inner_text()


# 3. No visible date on any item -------------------------------------------------------------------


@pytest.mark.parametrize("tab_name", WIDTHS)
@pytest.mark.parametrize(
    ("path", "scope"),
    [
        ("/cases/2021-best-01/", ".case-header"),
        ("/cases/?tier=best", ".case-card"),
        ("/notices/chuanzhenggonghan-2022-35/", ".notice-text header"),
    ],
)
def test_3_every_case_card_and_notice_shows_its_dates(request, tab_name, path, scope):
    page = request.getfixturevalue(tab_name).open(path)
    box = page.locator(scope).first
    for label in ("发布日期", "更新日期"):
        assert box.get_by_text(label).first.is_visible(), label
    text = box.inner_text()
    assert re.search(r"发布日期\s*[:：]?\s*2022-01-26", text)
    assert re.search(r"更新日期\s*[:：]?\s*\d{4}-\d{2}-\d{2}", text)


# 4. The case text starts 2.4 screens down on a phone ----------------------------------------------


@pytest.mark.parametrize("size", ["medium", "large"])
def test_4_the_case_text_starts_within_two_screens_on_a_phone(phone, size):
    prefer(phone, size=size)
    page = phone.open("/cases/2021-best-08/")
    assert top_of(page, ".case-text p") < 2 * viewport_height(page)
    if size == "medium":
        assert top_of(page, ".case-text p") < viewport_height(page)  # in fact on the first screen
    # The contents are folded, and open on a tap.
    toc = page.locator("details.toc")
    assert toc.get_attribute("open") is None
    page.locator("details.toc > summary").click()
    link = page.locator("details.toc a").nth(1)
    assert link.is_visible()
    link.click()
    assert re.search(r"#s\d+$", page.url)


def test_4_on_a_wide_screen_the_contents_stand_open_beside_the_text(site):
    page = site.open("/cases/2021-best-08/")
    assert page.locator("details.toc").get_attribute("open") is not None
    assert page.locator("details.toc a").first.is_visible()
    assert top_of(page, ".case-text p") < viewport_height(page)
    toc_box = page.locator("details.toc").bounding_box()
    text_box = page.locator(".case-text").bounding_box()
    assert toc_box["x"] > text_box["x"] + text_box["width"]


# 5. Older readers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "contrast"), [("medium", "normal"), ("large", "normal"), ("large", "high")])
@pytest.mark.parametrize("path", ["/cases/2021-best-01/", "/cases/?q=凉山", "/"])
def test_5_the_phone_header_takes_at_most_a_third_of_the_screen(phone, size, contrast, path):
    prefer(phone, size=size, contrast=contrast)
    page = phone.open(path)
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= viewport_height(page) / 3, header["height"]
    assert phone.scroll_width() <= 375
    # The search box is on the first screen of every page that has one.
    search = page.locator("input[type=search]").first.bounding_box()
    assert search["y"] + search["height"] <= viewport_height(page)


@pytest.mark.parametrize("tab_name", WIDTHS)
def test_5_large_text_is_at_least_24_px(request, tab_name):
    tab = request.getfixturevalue(tab_name)
    prefer(tab, size="large")
    page = tab.open("/cases/2021-best-01/")
    sizes = page.evaluate(
        "['html', 'body', '.case-text p'].map(s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"
    )
    assert min(sizes) >= 24, sizes
    assert tab.scroll_width() <= page.viewport_size["width"]


def luminance(rgb: str) -> float:
    channels = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_5_high_contrast_is_in_the_same_switch_and_needs_no_javascript(no_js):
    page = no_js.open("/cases/2021-best-01/")
    switch = page.get_by_role("button", name="高对比度")
    assert switch.get_attribute("aria-pressed") == "false"
    with page.expect_navigation():
        switch.click()
    assert page.url.endswith("/cases/2021-best-01/")
    assert "contrast-high" in page.locator("html").get_attribute("class")
    assert page.get_by_role("button", name="高对比度").get_attribute("aria-pressed") == "true"
    colours = page.evaluate(
        "(() => { const b = getComputedStyle(document.body), a = getComputedStyle(document.querySelector('.case-text a, .case-facts a'));"
        " return [b.color, b.backgroundColor, a.color]; })()"
    )
    assert contrast_ratio(colours[0], colours[1]) >= 15 and contrast_ratio(colours[2], colours[1]) >= 12
    # It persists and combines with the text size.
    with page.expect_navigation():
        page.get_by_role("button", name="大字号").click()
    page = no_js.open("/statistics/")
    assert page.locator("html").get_attribute("class") == "text-large contrast-high"
    with page.expect_navigation():
        page.get_by_role("button", name="高对比度").click()
    assert page.locator("html").get_attribute("class") == "text-large"


@pytest.mark.parametrize("tab_name", WIDTHS)
def test_5_back_to_top_on_long_pages(request, tab_name):
    tab = request.getfixturevalue(tab_name)
    page = tab.open("/cases/2021-best-08/")
    back = page.get_by_role("link", name="返回顶部")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 2)")
    expect(page.locator(".back-to-top")).to_have_class(re.compile("floating"))
    assert back.is_visible()
    box = back.bounding_box()
    assert box["y"] + box["height"] <= viewport_height(page)  # floating on the screen
    back.click()
    expect(page.locator("#top")).to_be_in_viewport()
    assert page.evaluate("window.scrollY") == 0
    # Short pages do without it.
    page = tab.open("/no-such-page/")
    if page.evaluate("document.documentElement.scrollHeight") <= 2 * viewport_height(page):
        assert not page.get_by_role("link", name="返回顶部").is_visible()


def test_5_the_home_search_box_is_on_the_first_screen_in_large_text(phone):
    prefer(phone, size="large")
    page = phone.open("/")
    box = page.locator("#home-q").bounding_box()
    assert box["y"] + box["height"] <= viewport_height(page)


# 6. Map and charts ---------------------------------------------------------------------------------

VISIBLE_LABEL_RECTS = """
[...document.querySelectorAll('.insights-map-svg text')]
  .filter(t => t.getClientRects().length && getComputedStyle(t).visibility !== 'hidden'
          && !t.closest('.insights-region-info'))
  .map(t => { const r = t.getBoundingClientRect();
              return {text: t.textContent.trim(), l: r.left, t: r.top, r: r.right, b: r.bottom,
                      px: t.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize)}; })
"""


def map_labels(page):
    return [label for label in page.evaluate(VISIBLE_LABEL_RECTS) if label["r"] > label["l"]]


@pytest.mark.parametrize("tab_name", WIDTHS)
@pytest.mark.parametrize("size", ["small", "medium", "large"])
def test_6_map_labels_never_overlap(request, tab_name, size):
    tab = request.getfixturevalue(tab_name)
    prefer(tab, size=size)
    page = tab.open("/statistics/")
    labels = map_labels(page)
    assert len(labels) >= 21
    for a, b in itertools.combinations(labels, 2):
        apart = a["r"] <= b["l"] or b["r"] <= a["l"] or a["b"] <= b["t"] or b["b"] <= a["t"]
        assert apart, (a, b)


def test_6_naming_neijiang_and_zigong_apart_at_1280(site):
    page = site.open("/statistics/")
    labels = {label["text"].split()[0]: label for label in map_labels(page)}
    neijiang, zigong = labels["内江"], labels["自贡"]
    assert neijiang["b"] <= zigong["t"] or zigong["b"] <= neijiang["t"] or neijiang["r"] <= zigong["l"]


def test_6_regions_are_named_on_a_phone(phone):
    page = phone.open("/statistics/")
    names = {label["text"].split()[0] for label in map_labels(page)}
    for name in ("成都", "自贡", "内江", "甘孜", "凉山", "攀枝花", "广元", "达州"):
        assert name in names
    assert min(label["px"] for label in map_labels(page)) >= 12


@pytest.mark.parametrize("tab_name", WIDTHS)
def test_6_map_and_charts_follow_the_text_size(request, tab_name):
    tab = request.getfixturevalue(tab_name)
    sizes = {}
    for size in ("medium", "large"):
        prefer(tab, size=size)
        page = tab.open("/statistics/")
        sizes[size] = (
            min(label["px"] for label in map_labels(page)),
            page.evaluate(
                "Math.min(...[...document.querySelectorAll('.insights-bar-label')]"
                ".map(t => t.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize)))"
            ),
        )
    assert sizes["large"][0] > sizes["medium"][0] * 1.1  # map labels
    assert sizes["large"][1] > sizes["medium"][1] * 1.1  # chart labels
    if tab_name == "phone":
        assert sizes["medium"][1] >= 15, sizes  # chart labels readable on a phone at 中


# 7. Unfinished pages: /api/v1/data/ and /api/v1/docs/ --------------------------------------------


@pytest.mark.parametrize("tab_name", WIDTHS)
def test_7_data_dictionary_never_breaks_a_field_name_inside_a_word(request, tab_name):
    tab = request.getfixturevalue(tab_name)
    page = tab.open("/api/v1/data/")
    broken = page.evaluate(
        """[...document.querySelectorAll('table code')].flatMap(code => {
             const words = [];
             const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
             while (walker.nextNode()) {
               const node = walker.currentNode;
               let start = 0;
               for (const part of node.textContent.split(/(?<=_)/)) {
                 const range = document.createRange();
                 range.setStart(node, start); range.setEnd(node, start + part.length);
                 const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                 if (lines.size > 1) words.push(part);
                 start += part.length;
               }
             }
             return words; })"""
    )
    assert not broken, broken
    assert tab.scroll_width() <= page.viewport_size["width"]
    assert page.locator("html").get_attribute("lang") == "zh-CN"


@pytest.mark.parametrize("tab_name", WIDTHS)
def test_7_api_docs_speak_chinese_lead_back_and_pass_the_scan(request, tab_name):
    tab = request.getfixturevalue(tab_name)
    page = tab.open("/api/v1/docs/")
    page.wait_for_selector(".opblock")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    back = page.get_by_role("link", name="返回网站首页")
    assert back.is_visible()
    page.locator(".opblock-summary-control").first.click()
    page.wait_for_selector(".opblock.is-open .parameters, .opblock.is-open .responses-wrapper")
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious
    assert tab.hosts == {urlsplit(tab.base).netloc}
    with page.expect_navigation():
        back.click()
    assert urlsplit(page.url).path == "/"


# 8. Printing a list -------------------------------------------------------------------------------


def test_8_a_list_prints_across_the_page_from_its_print_button(site, no_js):
    page = site.open("/cases/?tier=best")
    button = page.get_by_role("button", name="打印本页")
    assert button.is_visible()
    page.evaluate("window.print = () => { window.printed = true; }")
    button.click()
    assert page.evaluate("window.printed === true")
    page.emulate_media(media="print")
    results = page.locator(".results").bounding_box()
    body = page.evaluate("document.body.getBoundingClientRect().width")
    assert results["width"] >= 0.9 * body, (results["width"], body)
    for selector in (".filters", ".print-button", ".site-nav", ".pagination"):
        if page.locator(selector).count():
            assert not page.locator(selector).first.is_visible(), selector
    assert page.locator(".case-card").count() == 10 and page.locator(".case-card").first.is_visible()
    # Without JavaScript the button would do nothing, so it is not shown.
    page = no_js.open("/cases/?tier=best")
    assert not page.get_by_role("button", name="打印本页").is_visible()


# 9. Small things ----------------------------------------------------------------------------------

HEADING_LEVELS = "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => Number(h.tagName[1]))"


@pytest.mark.parametrize("tab_name", WIDTHS)
def test_9_tier_pages_step_from_h1_to_h2(request, tab_name):
    tab = request.getfixturevalue(tab_name)
    for path in ("/notices/chuanzhenggonghan-2022-35/best/", "/notices/chuanzhenggonghan-2022-35/excellent/"):
        levels = tab.open(path).evaluate(HEADING_LEVELS)
        assert levels[0] == 1
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


@pytest.mark.parametrize("tab_name", WIDTHS)
def test_9_the_unit_breadcrumb_passes_through_the_prefectures(request, tab_name):
    page = request.getfixturevalue(tab_name).open("/units/1/")
    crumbs = page.get_by_role("navigation", name="当前位置").get_by_role("link")
    assert [crumbs.nth(i).inner_text() for i in range(2)] == ["首页", "市（州）"]


@pytest.mark.parametrize("tab_name", WIDTHS)
def test_9_next_case_is_not_offered_again_as_related(request, tab_name):
    tab = request.getfixturevalue(tab_name)
    for slug in ("2021-best-01", "2021-best-05", "2021-excellent-12", "2021-excellent-34"):
        page = tab.open(f"/cases/{slug}/")
        neighbours = {
            page.locator(".prev-next a").nth(i).get_attribute("href")
            for i in range(page.locator(".prev-next a").count())
        }
        related = {
            page.locator(".related a").nth(i).get_attribute("href")
            for i in range(page.locator(".related a").count())
        }
        assert related and not neighbours & related, slug


@pytest.mark.parametrize("tab_name", WIDTHS)
def test_9_statistics_speak_plainly(request, tab_name):
    lead = request.getfixturevalue(tab_name).open("/statistics/").locator(".insights-lead").inner_text()
    assert "全省 21 个市（州）都有获奖案例" in lead and "中的" not in lead


@pytest.mark.parametrize("tab_name", WIDTHS)
def test_9_the_notice_page_leads_to_the_original_document(request, tab_name):
    tab = request.getfixturevalue(tab_name)
    page = tab.open("/notices/chuanzhenggonghan-2022-35/")
    link = page.get_by_role("link", name="查看通报原文文本")
    assert link.is_visible()
    response = page.request.get(tab.base + link.get_attribute("href"))
    assert response.ok and "川政公函〔2022〕35号" in response.text()[:400]


@pytest.mark.parametrize("tab_name", WIDTHS)
def test_9_sorting_by_prefecture_shows_group_headings(request, tab_name):
    page = request.getfixturevalue(tab_name).open("/cases/?sort=prefecture")
    headings = page.locator(".group-heading")
    assert headings.count() >= 5 and headings.first.inner_text().startswith("成都市")
    assert headings.first.is_visible()
    first_group_cards = page.locator(".result-group").first.locator(".case-card-meta")
    assert all("成都市" in first_group_cards.nth(i).inner_text() for i in range(first_group_cards.count()))


# 纠错, downloads and sharing ----------------------------------------------------------------------


def test_a_reader_reports_an_error_from_a_phone_without_javascript(no_js):
    from cases.models import Feedback

    page = no_js.open("/cases/2021-best-01/")
    # The short form is on the case page itself; a refused report comes back on the form's own page.
    with page.expect_navigation():
        page.get_by_role("button", name="提交纠错").click()
    assert urlsplit(page.url).path == "/cases/2021-best-01/feedback/"
    alert = page.get_by_role("alert")
    assert "请写下您发现的问题" in alert.inner_text()
    page.get_by_label("哪里有误").fill("第二段的“功能区”应为“功能区域”。")
    page.get_by_label("联系方式（选填）").fill("reader@example.com")
    with page.expect_navigation():
        page.get_by_role("button", name="提交纠错").click()
    assert "已收到您的纠错" in page.locator("h1").inner_text()
    assert Feedback.objects.get().message == "第二段的“功能区”应为“功能区域”。"
    assert no_js.scroll_width() <= 375


@pytest.mark.parametrize("tab_name", WIDTHS)
def test_the_case_page_offers_word_print_copy_link_and_a_qr_code(request, tab_name):
    tab = request.getfixturevalue(tab_name)
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=tab.base)
    page = tab.open("/cases/2021-best-01/")
    assert page.get_by_role("button", name="打印本案例").is_visible()
    qr = page.get_by_role("img", name=re.compile("^本案例网址的二维码"))
    assert qr.is_visible() and qr.bounding_box()["width"] >= 120
    page.get_by_role("button", name="复制链接").click()
    assert page.evaluate("navigator.clipboard.readText()") == tab.base + "/cases/2021-best-01/"
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Word 文档").click()
    assert download.value.suggested_filename.startswith("最佳案例第1号 ")
    assert download.value.suggested_filename.endswith(".docx")
    assert tab.hosts == {urlsplit(tab.base).netloc}


def test_without_javascript_the_address_is_shown_to_copy_by_hand(no_js):
    page = no_js.open("/cases/2021-best-01/")
    assert page.locator("#share-url").inner_text() == no_js.base + "/cases/2021-best-01/"
    assert not page.get_by_role("button", name="复制链接").count()


# Screenshots for docs/screenshots/ (UPDATE_SCREENSHOTS=1 writes them there) ------------------------


def test_screenshots_of_the_phone_pages(browser, live_server, transactional_library):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shots = [
        ("phone-search.png", "/cases/?q=凉山", {}),
        ("phone-case.png", "/cases/2021-best-08/", {}),
        ("phone-large-high-contrast.png", "/cases/2021-best-08/", {"size": "large", "contrast": "high"}),
        ("phone-map.png", "/statistics/#map", {}),
    ]
    for name, path, prefs in shots:
        tab = Site(browser, live_server, width=375, height=812)
        try:
            if prefs:
                prefer(tab, **prefs)
            page = tab.open(path)
            page.screenshot(path=str(SCREENSHOTS / name))
        finally:
            tab.close()
    tab = Site(browser, live_server, width=1280, height=900)
    try:
        tab.open("/statistics/").locator(".insights-map-svg").screenshot(
            path=str(SCREENSHOTS / "map-desktop.png")
        )
    finally:
        tab.close()
    for name, *_ in shots:
        assert (SCREENSHOTS / name).stat().st_size > 10_000
